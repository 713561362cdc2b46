/** Assets' placeholders and colours (src/images/summary.service.ts). */
import type { PrismaClient } from '../database.js';
import type { AssetSummaryRecord } from '../records.js';

export class AssetSummaryRepository {
  constructor(private readonly prisma: PrismaClient) {}

  /** The summaries of many assets in one statement, in the order of `assetIds`. */
  async findMany(assetIds: readonly string[]): Promise<(AssetSummaryRecord | null)[]> {
    const rows = await this.prisma.assetSummary.findMany({ where: { assetId: { in: [...assetIds] } } });
    return assetIds.map((id) => rows.find((row) => row.assetId === id) ?? null);
  }

  /** Stores it, unless the asset was deleted meanwhile. */
  async save(summary: Omit<AssetSummaryRecord, 'computedAt'>): Promise<void> {
    const { assetId, ...rest } = summary;
    await this.prisma.$transaction(async (tx) => {
      if (!(await tx.asset.findUnique({ where: { id: assetId }, select: { id: true } }))) return;
      await tx.assetSummary.upsert({ where: { assetId }, create: summary, update: { ...rest, computedAt: new Date() } });
    });
  }
}
