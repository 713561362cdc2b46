/** Mask versions: human corrections of a segmentation's mask, numbered from 2 (1 is the model's). */
import { Prisma } from '../generated/prisma/client.js';
import type { PrismaClient } from '../database.js';
import type { MaskVersionRecord } from '../records.js';
import { assetWhere, type AssetFilter } from './asset.repository.js';

export type NewMaskVersion = Omit<MaskVersionRecord, 'id' | 'createdAt' | 'version' | 'blobMissingAt'>;

/** How often an append retries when another one took the same number first. */
const APPEND_ATTEMPTS = 5;

export class MaskVersionRepository {
  constructor(private readonly prisma: PrismaClient) {}

  list(segmentationId: string): Promise<MaskVersionRecord[]> {
    return this.prisma.maskVersion.findMany({ where: { segmentationId }, orderBy: { version: 'asc' } });
  }

  latest(segmentationId: string): Promise<MaskVersionRecord | null> {
    return this.prisma.maskVersion.findFirst({ where: { segmentationId }, orderBy: { version: 'desc' } });
  }

  /** The latest version of each segmentation in `segmentationIds` (null where it has none), in one statement. */
  async latestOfMany(segmentationIds: readonly string[]): Promise<(MaskVersionRecord | null)[]> {
    const rows = await this.prisma.maskVersion.findMany({ where: { segmentationId: { in: [...segmentationIds] } }, orderBy: { version: 'desc' } });
    return segmentationIds.map((id) => rows.find((row) => row.segmentationId === id) ?? null);
  }

  find(segmentationId: string, version: number): Promise<MaskVersionRecord | null> {
    return this.prisma.maskVersion.findUnique({ where: { segmentationId_version: { segmentationId, version } } });
  }

  /** Per reviewed segmentation of the owner (optionally of one model): its model and its latest version's HCE. */
  async latestEfforts(ownerId: string, modelId?: string, filter: AssetFilter = {}): Promise<{ segmentationId: string; modelId: string; hce: number }[]> {
    const rows = await this.prisma.maskVersion.findMany({
      where: { segmentation: { ownerId, ...(modelId ? { modelId } : {}), asset: assetWhere({ ownerId, ...filter }) } },
      select: { segmentationId: true, version: true, hce: true, segmentation: { select: { modelId: true } } },
      orderBy: [{ segmentationId: 'asc' }, { version: 'desc' }],
    });
    const latest = new Map<string, { segmentationId: string; modelId: string; hce: number }>();
    for (const row of rows)
      if (!latest.has(row.segmentationId))
        latest.set(row.segmentationId, { segmentationId: row.segmentationId, modelId: row.segmentation.modelId, hce: row.hce });
    return [...latest.values()];
  }

  /** Adds the next version: versions are never rewritten, and two at once get two numbers. */
  async append(data: NewMaskVersion): Promise<MaskVersionRecord> {
    for (let attempt = 1; ; attempt += 1) {
      const version = ((await this.latest(data.segmentationId))?.version ?? 1) + 1;
      try {
        return await this.prisma.maskVersion.create({ data: { ...data, version } });
      } catch (error) {
        const taken = error instanceof Prisma.PrismaClientKnownRequestError && error.code === 'P2002';
        if (!taken || attempt >= APPEND_ATTEMPTS) throw error;
      }
    }
  }
}
