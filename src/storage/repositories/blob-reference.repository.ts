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
    const [assets, thumbnails, masks, truths, renditions, versions, images] = await Promise.all([
      this.prisma.asset.findMany({ where: { sha256: { in: hashes } }, select: { sha256: true }, distinct: ['sha256'] }),
      this.prisma.thumbnail.findMany({ where: { sha256: { in: hashes } }, select: { sha256: true }, distinct: ['sha256'] }),
      this.prisma.segmentation.findMany({ where: { maskSha256: { in: hashes } }, select: { maskSha256: true }, distinct: ['maskSha256'] }),
      this.prisma.groundTruth.findMany({ where: { sha256: { in: hashes } }, select: { sha256: true }, distinct: ['sha256'] }),
      this.prisma.rendition.findMany({ where: { sha256: { in: hashes } }, select: { sha256: true }, distinct: ['sha256'] }),
      this.prisma.maskVersion.findMany({ where: { sha256: { in: hashes } }, select: { sha256: true }, distinct: ['sha256'] }),
      this.prisma.imageVariant.findMany({ where: { sha256: { in: hashes } }, select: { sha256: true }, distinct: ['sha256'] }),
    ]);
    return new Set(
      [...assets, ...thumbnails, ...truths, ...renditions, ...versions, ...images].map((row) => row.sha256).concat(masks.map((row) => row.maskSha256!)),
    );
  }
}
