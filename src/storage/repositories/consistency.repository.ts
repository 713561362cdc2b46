/**
 * What `maskgraph fsck` reads and repairs: every row that names a blob, in pages, and the
 * marks set on rows whose blob is gone. The tables are those of BlobReferenceRepository.
 */
import type { PrismaClient } from '../database.js';

/** Rows a person made (the mark stays on them); the rest are caches, dropped and made again on demand. */
export const MARKED_TABLES = ['asset', 'segmentation', 'maskVersion', 'groundTruth'] as const;
export const CACHE_TABLES = ['thumbnail', 'rendition', 'imageVariant', 'imageProxy'] as const;
export type BlobTable = (typeof MARKED_TABLES)[number] | (typeof CACHE_TABLES)[number];

export interface BlobRow {
  table: BlobTable;
  /** The row's id (a thumbnail's is `<assetId>/<size>`, a proxy's `<sourceSha256>/<maxSide>`, a ground truth's its asset's). */
  id: string;
  sha256: string;
  /** When fsck marked its blob missing; null for cache tables and rows never marked. */
  blobMissingAt: Date | null;
}

const PAGE = 1000;

export class ConsistencyRepository {
  constructor(private readonly prisma: PrismaClient) {}

  /** Every blob-naming row of every table, a page at a time. */
  async *blobRows(): AsyncIterable<BlobRow> {
    yield* this.pages('asset', (after) =>
      this.prisma.asset
        .findMany({ where: after ? { id: { gt: after } } : {}, orderBy: { id: 'asc' }, take: PAGE, select: { id: true, sha256: true, blobMissingAt: true } })
        .then((rows) => rows.map((row) => ({ ...row, key: row.id }))),
    );
    yield* this.pages('segmentation', (after) =>
      this.prisma.segmentation
        .findMany({
          where: { maskSha256: { not: null }, ...(after ? { id: { gt: after } } : {}) },
          orderBy: { id: 'asc' },
          take: PAGE,
          select: { id: true, maskSha256: true, blobMissingAt: true },
        })
        .then((rows) => rows.map((row) => ({ id: row.id, sha256: row.maskSha256!, blobMissingAt: row.blobMissingAt, key: row.id }))),
    );
    yield* this.pages('maskVersion', (after) =>
      this.prisma.maskVersion
        .findMany({ where: after ? { id: { gt: after } } : {}, orderBy: { id: 'asc' }, take: PAGE, select: { id: true, sha256: true, blobMissingAt: true } })
        .then((rows) => rows.map((row) => ({ ...row, key: row.id }))),
    );
    yield* this.pages('groundTruth', (after) =>
      this.prisma.groundTruth
        .findMany({
          where: after ? { assetId: { gt: after } } : {},
          orderBy: { assetId: 'asc' },
          take: PAGE,
          select: { assetId: true, sha256: true, blobMissingAt: true },
        })
        .then((rows) => rows.map((row) => ({ id: row.assetId, sha256: row.sha256, blobMissingAt: row.blobMissingAt, key: row.assetId }))),
    );
    yield* this.pages<{ assetId: string; size: number }>('thumbnail', (after) =>
      this.prisma.thumbnail
        .findMany({
          where: after ? { OR: [{ assetId: { gt: after.assetId } }, { assetId: after.assetId, size: { gt: after.size } }] } : {},
          orderBy: [{ assetId: 'asc' }, { size: 'asc' }],
          take: PAGE,
          select: { assetId: true, size: true, sha256: true },
        })
        .then((rows) => rows.map((row) => ({ id: `${row.assetId}/${row.size}`, sha256: row.sha256, blobMissingAt: null, key: row }))),
    );
    yield* this.pages('rendition', (after) =>
      this.prisma.rendition
        .findMany({ where: after ? { id: { gt: after } } : {}, orderBy: { id: 'asc' }, take: PAGE, select: { id: true, sha256: true } })
        .then((rows) => rows.map((row) => ({ ...row, blobMissingAt: null, key: row.id }))),
    );
    yield* this.pages('imageVariant', (after) =>
      this.prisma.imageVariant
        .findMany({ where: after ? { id: { gt: after } } : {}, orderBy: { id: 'asc' }, take: PAGE, select: { id: true, sha256: true } })
        .then((rows) => rows.map((row) => ({ ...row, blobMissingAt: null, key: row.id }))),
    );
    yield* this.pages<{ sourceSha256: string; maxSide: number }>('imageProxy', (after) =>
      this.prisma.imageProxy
        .findMany({
          where: after ? { OR: [{ sourceSha256: { gt: after.sourceSha256 } }, { sourceSha256: after.sourceSha256, maxSide: { gt: after.maxSide } }] } : {},
          orderBy: [{ sourceSha256: 'asc' }, { maxSide: 'asc' }],
          take: PAGE,
          select: { sourceSha256: true, maxSide: true, sha256: true },
        })
        .then((rows) => rows.map((row) => ({ id: `${row.sourceSha256}/${row.maxSide}`, sha256: row.sha256, blobMissingAt: null, key: row }))),
    );
  }

  /** Keyset pagination: each page starts after the last row's `key`. */
  private async *pages<Key = string>(
    table: BlobTable,
    page: (after: Key | undefined) => Promise<{ id: string; sha256: string; blobMissingAt: Date | null; key: Key }[]>,
  ): AsyncIterable<BlobRow> {
    let after: Key | undefined;
    for (;;) {
      const rows = await page(after);
      for (const { key: _key, ...row } of rows) yield { table, ...row };
      if (rows.length < PAGE) return;
      after = rows.at(-1)!.key;
    }
  }

  /**
   * Marks a person's row whose blob is gone (or clears the mark when it is back), only if
   * it still names that blob. A cache row is deleted instead: it is made again when asked.
   * False when the row changed or went meanwhile.
   */
  async setBlobMissing(row: BlobRow, missing: boolean): Promise<boolean> {
    const blobMissingAt = missing ? new Date() : null;
    const changed = await (() => {
      switch (row.table) {
        case 'asset':
          return this.prisma.asset.updateMany({ where: { id: row.id, sha256: row.sha256 }, data: { blobMissingAt } });
        case 'segmentation':
          return this.prisma.segmentation.updateMany({ where: { id: row.id, maskSha256: row.sha256 }, data: { blobMissingAt } });
        case 'maskVersion':
          return this.prisma.maskVersion.updateMany({ where: { id: row.id, sha256: row.sha256 }, data: { blobMissingAt } });
        case 'groundTruth':
          return this.prisma.groundTruth.updateMany({ where: { assetId: row.id, sha256: row.sha256 }, data: { blobMissingAt } });
        case 'thumbnail': {
          const [assetId, size] = row.id.split('/');
          return this.prisma.thumbnail.deleteMany({ where: { assetId: assetId!, size: Number(size), sha256: row.sha256 } });
        }
        case 'rendition':
          return this.prisma.rendition.deleteMany({ where: { id: row.id, sha256: row.sha256 } });
        case 'imageVariant':
          return this.prisma.imageVariant.deleteMany({ where: { id: row.id, sha256: row.sha256 } });
        case 'imageProxy': {
          const [sourceSha256, maxSide] = row.id.split('/');
          return this.prisma.imageProxy.deleteMany({ where: { sourceSha256: sourceSha256!, maxSide: Number(maxSide), sha256: row.sha256 } });
        }
      }
    })();
    return changed.count === 1;
  }
}
