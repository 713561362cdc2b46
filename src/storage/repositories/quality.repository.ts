/** Ground-truth masks and the quality scores computed against them. */
import type { PrismaClient } from '../database.js';
import type { GroundTruthRecord, QualityScoreRecord } from '../records.js';

export type NewQualityScore = Omit<QualityScoreRecord, 'computedAt'>;

export class QualityRepository {
  constructor(private readonly prisma: PrismaClient) {}

  findGroundTruth(assetId: string): Promise<GroundTruthRecord | null> {
    return this.prisma.groundTruth.findUnique({ where: { assetId } });
  }

  /** Sets or replaces the asset's ground truth; returns the hash it replaced, if any. */
  async saveGroundTruth(truth: Omit<GroundTruthRecord, 'createdAt' | 'updatedAt'>): Promise<string | undefined> {
    return this.prisma.$transaction(async (tx) => {
      const previous = await tx.groundTruth.findUnique({ where: { assetId: truth.assetId } });
      const { assetId, ...fields } = truth;
      await tx.groundTruth.upsert({ where: { assetId }, create: truth, update: fields });
      return previous && previous.sha256 !== truth.sha256 ? previous.sha256 : undefined;
    });
  }

  findScore(segmentationId: string): Promise<QualityScoreRecord | null> {
    return this.prisma.qualityScore.findUnique({ where: { segmentationId } });
  }

  saveScore(score: NewQualityScore): Promise<QualityScoreRecord> {
    const { segmentationId, ...fields } = score;
    return this.prisma.qualityScore.upsert({ where: { segmentationId }, create: score, update: { ...fields, computedAt: new Date() } });
  }
}
