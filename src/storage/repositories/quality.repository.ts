/** Ground-truth masks and the quality scores computed against them. */
import type { PrismaClient } from '../database.js';
import type { GroundTruthRecord, QualityScoreRecord } from '../records.js';

export type NewQualityScore = Omit<QualityScoreRecord, 'computedAt'>;

export class QualityRepository {
  constructor(private readonly prisma: PrismaClient) {}

  findGroundTruth(assetId: string): Promise<GroundTruthRecord | null> {
    return this.prisma.groundTruth.findUnique({ where: { assetId } });
  }

  /** The ground truths of many assets in one statement, in the order of `assetIds`. */
  async findGroundTruths(assetIds: readonly string[]): Promise<(GroundTruthRecord | null)[]> {
    const rows = await this.prisma.groundTruth.findMany({ where: { assetId: { in: [...assetIds] } } });
    return assetIds.map((id) => rows.find((row) => row.assetId === id) ?? null);
  }

  /**
   * Sets or replaces the asset's ground truth; returns the hash it replaced, if any. A
   * compare-and-swap on the row (insert if absent, else update only while it is still the
   * version read), so of concurrent replacements each learns exactly the hash it replaced
   * and no blob is left unreferenced without someone deleting it.
   */
  async saveGroundTruth(truth: Omit<GroundTruthRecord, 'createdAt' | 'updatedAt' | 'blobMissingAt'>): Promise<string | undefined> {
    const { assetId, ...fields } = truth;
    for (;;) {
      const previous = await this.prisma.groundTruth.findUnique({ where: { assetId } });
      if (!previous) {
        const { count } = await this.prisma.groundTruth.createMany({ data: [truth], skipDuplicates: true });
        if (count === 1) return undefined;
        continue; // another request created it first
      }
      const { count } = await this.prisma.groundTruth.updateMany({
        where: { assetId, sha256: previous.sha256, updatedAt: previous.updatedAt },
        data: { ...fields, blobMissingAt: null },
      });
      if (count === 1) return previous.sha256 !== truth.sha256 ? previous.sha256 : undefined;
    }
  }

  findScore(segmentationId: string): Promise<QualityScoreRecord | null> {
    return this.prisma.qualityScore.findUnique({ where: { segmentationId } });
  }

  saveScore(score: NewQualityScore): Promise<QualityScoreRecord> {
    const { segmentationId, ...fields } = score;
    return this.prisma.qualityScore.upsert({ where: { segmentationId }, create: score, update: { ...fields, computedAt: new Date() } });
  }
}
