/**
 * Which blobs rows still point at. Every table holding a `sha256` column that names a
 * blob is listed here, so deletion and garbage collection see all references.
 */
import type { PrismaClient } from '../database.js';

export class BlobReferenceRepository {
  constructor(private readonly prisma: PrismaClient) {}

  /** The subset of `hashes` that some row still references. */
  async referenced(hashes: string[]): Promise<Set<string>> {
    if (hashes.length === 0) return new Set();
    const [assets, thumbnails, masks, truths, renditions, versions, images, proxies] = await Promise.all([
      this.prisma.asset.findMany({ where: { sha256: { in: hashes } }, select: { sha256: true }, distinct: ['sha256'] }),
      this.prisma.thumbnail.findMany({ where: { sha256: { in: hashes } }, select: { sha256: true }, distinct: ['sha256'] }),
      this.prisma.segmentation.findMany({ where: { maskSha256: { in: hashes } }, select: { maskSha256: true }, distinct: ['maskSha256'] }),
      this.prisma.groundTruth.findMany({ where: { sha256: { in: hashes } }, select: { sha256: true }, distinct: ['sha256'] }),
      this.prisma.rendition.findMany({ where: { sha256: { in: hashes } }, select: { sha256: true }, distinct: ['sha256'] }),
      this.prisma.maskVersion.findMany({ where: { sha256: { in: hashes } }, select: { sha256: true }, distinct: ['sha256'] }),
      this.prisma.imageVariant.findMany({ where: { sha256: { in: hashes } }, select: { sha256: true }, distinct: ['sha256'] }),
      this.prisma.imageProxy.findMany({ where: { sha256: { in: hashes } }, select: { sha256: true }, distinct: ['sha256'] }),
    ]);
    return new Set(
      [...assets, ...thumbnails, ...truths, ...renditions, ...versions, ...images, ...proxies]
        .map((row) => row.sha256)
        .concat(masks.map((row) => row.maskSha256!)),
    );
  }

  /** The sources of proxies made before `cutoff` (garbage collection checks whether their source is still in use). */
  async proxySourcesBefore(cutoff: Date): Promise<string[]> {
    const rows = await this.prisma.imageProxy.findMany({ where: { createdAt: { lt: cutoff } }, select: { sourceSha256: true }, distinct: ['sourceSha256'] });
    return rows.map((row) => row.sourceSha256);
  }

  /**
   * Drops the proxies made from `hashes` (blobs being deleted: a proxy never outlives its
   * source) and returns their own blobs, for the caller to release once no row uses them.
   */
  async dropProxiesOf(hashes: string[]): Promise<string[]> {
    if (hashes.length === 0) return [];
    const proxies = await this.prisma.imageProxy.findMany({ where: { sourceSha256: { in: hashes } }, select: { sha256: true } });
    await this.prisma.imageProxy.deleteMany({ where: { sourceSha256: { in: hashes } } });
    return [...new Set(proxies.map((proxy) => proxy.sha256))];
  }
}
