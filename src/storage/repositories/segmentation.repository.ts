/** Segmentation rows: requests, job state and results. Reads are scoped to an owner. */
import type { Prisma } from '../generated/prisma/client.js';
import type { PrismaClient } from '../database.js';
import type { SegmentationRecord } from '../records.js';

export type NewSegmentation = Pick<
  SegmentationRecord,
  'ownerId' | 'assetId' | 'modelId' | 'weightsSha256' | 'contentKey' | 'refined' | 'inferenceWidth' | 'inferenceHeight'
> &
  Partial<Pick<SegmentationRecord, 'draftOfId' | 'reviewIfPriorityAbove'>>;

/** Whether a mask whose review priority is `priority` skips the review queue under an upload rule's `threshold`. */
export function reviewWaived(threshold: number | null | undefined, priority: number | null): boolean {
  return threshold != null && (priority === null || priority <= threshold);
}

/** The result columns copied when an identical earlier run answers a request. */
const RESULT_FIELDS = [
  'maskSha256',
  'maskWidth',
  'maskHeight',
  'maskByteSize',
  'foregroundRatio',
  'subjectFound',
  'bboxX',
  'bboxY',
  'bboxWidth',
  'bboxHeight',
  'centreX',
  'centreY',
  'reviewPriority',
  'reviewPriorityPending',
] as const satisfies readonly (keyof SegmentationRecord)[];

export class SegmentationRepository {
  constructor(private readonly prisma: PrismaClient) {}

  create(segmentation: NewSegmentation): Promise<SegmentationRecord> {
    return this.prisma.segmentation.create({ data: segmentation });
  }

  /** A row answered at once from `source`, an earlier SUCCEEDED run with the same content key. */
  async createReused(segmentation: NewSegmentation, source: SegmentationRecord): Promise<SegmentationRecord> {
    const copied = Object.fromEntries(RESULT_FIELDS.map((field) => [field, source[field]]));
    // A draft is never reviewed (nor does it raise its asset's place in the review queue).
    const review = segmentation.draftOfId
      ? { reviewPriority: null, reviewPriorityPending: false }
      : { reviewWaived: !source.reviewPriorityPending && reviewWaived(segmentation.reviewIfPriorityAbove, source.reviewPriority) };
    const now = new Date();
    return this.raiseAssetPriority(
      await this.prisma.segmentation.create({
        data: { ...segmentation, ...copied, ...review, status: 'SUCCEEDED', progress: 1, reused: true, startedAt: now, finishedAt: now, queueWaitMs: 0 },
      }),
    );
  }

  /**
   * Keeps an asset's review priority the highest of its succeeded segmentations': every
   * write that can make a row SUCCEEDED passes through here. A conditional update, so
   * concurrent results only ever raise it.
   */
  private async raiseAssetPriority<T extends SegmentationRecord | null>(record: T): Promise<T> {
    const priority = record?.status === 'SUCCEEDED' ? record.reviewPriority : null;
    if (record && priority !== null) {
      await this.prisma.asset.updateMany({ where: { id: record.assetId, reviewPriority: { lt: priority } }, data: { reviewPriority: priority } });
    }
    return record;
  }

  /** Completes a QUEUED/RUNNING row from `source`, an identical run that finished first. */
  async completeFrom(id: string, source: SegmentationRecord): Promise<SegmentationRecord | null> {
    const copied = Object.fromEntries(RESULT_FIELDS.map((field) => [field, source[field]]));
    const threshold = source.reviewPriorityPending ? null : (await this.findById(id))?.reviewIfPriorityAbove;
    const waived = reviewWaived(threshold, source.reviewPriority);
    return this.update(id, { ...copied, reviewWaived: waived, status: 'SUCCEEDED', progress: 1, reused: true, finishedAt: new Date() });
  }

  findById(id: string): Promise<SegmentationRecord | null> {
    return this.prisma.segmentation.findUnique({ where: { id } });
  }

  /** The newest draft run of `id`. */
  findDraftOf(id: string): Promise<SegmentationRecord | null> {
    return this.prisma.segmentation.findFirst({ where: { draftOfId: id }, orderBy: { createdAt: 'desc' } });
  }

  findOwned(ownerId: string, id: string): Promise<SegmentationRecord | null> {
    return this.prisma.segmentation.findFirst({ where: { id, ownerId } });
  }

  listForAsset(assetId: string): Promise<SegmentationRecord[]> {
    return this.prisma.segmentation.findMany({ where: { assetId }, orderBy: [{ createdAt: 'desc' }, { id: 'desc' }] });
  }

  /** `listForAsset` of many assets in one statement, in the order of `assetIds`. */
  async listForAssets(assetIds: readonly string[]): Promise<SegmentationRecord[][]> {
    const rows = await this.prisma.segmentation.findMany({ where: { assetId: { in: [...assetIds] } }, orderBy: [{ createdAt: 'desc' }, { id: 'desc' }] });
    return assetIds.map((assetId) => rows.filter((row) => row.assetId === assetId));
  }

  /** The owner's segmentations among `ids`, in their order (null for unknown or another owner's). */
  async findOwnedMany(ownerId: string, ids: readonly string[]): Promise<(SegmentationRecord | null)[]> {
    const rows = await this.prisma.segmentation.findMany({ where: { ownerId, id: { in: [...ids] } } });
    return ids.map((id) => rows.find((row) => row.id === id) ?? null);
  }

  /** The owner's latest finished identical run. Never another owner's: that would tell them someone had segmented the same bytes. */
  findSucceededByContentKey(ownerId: string, contentKey: string): Promise<SegmentationRecord | null> {
    return this.prisma.segmentation.findFirst({
      where: { ownerId, contentKey, status: 'SUCCEEDED', maskSha256: { not: null } },
      orderBy: { finishedAt: 'desc' },
    });
  }

  /** Updates a row and returns it; null when it no longer exists (its asset was deleted). */
  async update(id: string, data: Prisma.SegmentationUpdateInput): Promise<SegmentationRecord | null> {
    const { count } = await this.prisma.segmentation.updateMany({ where: { id }, data: data as Prisma.SegmentationUpdateManyMutationInput });
    return count === 0 ? null : this.raiseAssetPriority(await this.findById(id));
  }

  /**
   * Takes the row for one run: QUEUED, or RUNNING under an expired lease, becomes RUNNING
   * with one more attempt. The attempt number is a fencing token: only writes that name it
   * land (`updateRun`), so a worker whose lease was taken over cannot overwrite the result.
   * Undefined when the row is final, gone, or another worker took it first.
   */
  async claim(row: SegmentationRecord, startedAt: Date): Promise<number | undefined> {
    const attempt = row.attempts + 1;
    const { count } = await this.prisma.segmentation.updateMany({
      where: { id: row.id, status: { in: ['QUEUED', 'RUNNING'] }, attempts: row.attempts },
      data: { status: 'RUNNING', startedAt, progress: 0.1, attempts: attempt },
    });
    return count === 1 ? attempt : undefined;
  }

  /**
   * Gives a run back (its worker is stopping): QUEUED again with the attempt it claimed not
   * counted. Only as the holder of `attempt`; null when the row was taken over meanwhile.
   */
  async releaseRun(id: string, attempt: number): Promise<SegmentationRecord | null> {
    const { count } = await this.prisma.segmentation.updateMany({
      where: { id, status: 'RUNNING', attempts: attempt },
      data: { status: 'QUEUED', attempts: attempt - 1, progress: 0, startedAt: null },
    });
    return count === 0 ? null : this.findById(id);
  }

  /**
   * Puts an unfinished row whose job the queue lost back to QUEUED (`maskgraph fsck --repair`),
   * as it was read (same status and attempts); its attempts stay counted. Null when it changed meanwhile.
   */
  async requeueLost(row: SegmentationRecord): Promise<SegmentationRecord | null> {
    const { count } = await this.prisma.segmentation.updateMany({
      where: { id: row.id, status: row.status, attempts: row.attempts },
      data: { status: 'QUEUED', progress: 0, startedAt: null },
    });
    return count === 0 ? null : this.findById(row.id);
  }

  /** Updates a RUNNING row as the holder of `attempt`; null when the run was taken over, finished or deleted. */
  async updateRun(id: string, attempt: number, data: Prisma.SegmentationUpdateManyMutationInput): Promise<SegmentationRecord | null> {
    const { count } = await this.prisma.segmentation.updateMany({ where: { id, status: 'RUNNING', attempts: attempt }, data });
    return count === 0 ? null : this.raiseAssetPriority(await this.findById(id));
  }

  /** Fails an unfinished row (as it was read: same attempt count), e.g. when its runs were interrupted too often. */
  async failUnfinished(row: SegmentationRecord, errorCode: string, errorMessage: string): Promise<SegmentationRecord | null> {
    const { count } = await this.prisma.segmentation.updateMany({
      where: { id: row.id, status: { in: ['QUEUED', 'RUNNING'] }, attempts: row.attempts },
      data: { status: 'FAILED', errorCode, errorMessage, finishedAt: new Date() },
    });
    return count === 0 ? null : this.findById(row.id);
  }

  /**
   * Records the review priority estimated after the mask was stored (null: not estimated).
   * Conditional on the row still waiting for it, so a repeated delivery writes nothing; null
   * when nothing was written.
   */
  async setReviewPriority(id: string, reviewPriority: number | null, threshold: number | null): Promise<SegmentationRecord | null> {
    const { count } = await this.prisma.segmentation.updateMany({
      where: { id, status: 'SUCCEEDED', reviewPriorityPending: true },
      data: { reviewPriority, reviewPriorityPending: false, reviewWaived: reviewWaived(threshold, reviewPriority) },
    });
    return count === 0 ? null : this.raiseAssetPriority(await this.findById(id));
  }

  /** Succeeded rows still waiting for their review priority (the sweep at start re-sends them). */
  listPendingReviewPriority(): Promise<SegmentationRecord[]> {
    return this.prisma.segmentation.findMany({ where: { status: 'SUCCEEDED', reviewPriorityPending: true }, orderBy: { finishedAt: 'asc' } });
  }

  /** Unfinished rows in a status, oldest first (the outbox sweep and embedded recovery). */
  listByStatus(status: 'QUEUED' | 'RUNNING'): Promise<SegmentationRecord[]> {
    return this.prisma.segmentation.findMany({ where: { status }, orderBy: { createdAt: 'asc' } });
  }

  /** QUEUED rows that should have a job: single requests, and those of batches that are running (a paused batch's wait for its resume). */
  listQueuedToRun(): Promise<SegmentationRecord[]> {
    return this.prisma.segmentation.findMany({
      where: { status: 'QUEUED', OR: [{ batchId: null }, { batch: { status: 'RUNNING' } }] },
      orderBy: { createdAt: 'asc' },
    });
  }

  /**
   * Waiting single requests, in all or of one owner (queue limits are counted on rows, the
   * durable truth). Batches' rows wait in their own band and have their own bounds.
   */
  countQueued(ownerId?: string): Promise<number> {
    return this.prisma.segmentation.count({ where: { status: 'QUEUED', batchId: null, ...(ownerId ? { ownerId } : {}) } });
  }
}
