/**
 * The review-priority job: after a mask is stored (its row already SUCCEEDED, its answer
 * already sent), estimate how urgently it wants a person's look and record it with its own
 * event. Off the segmentation's critical path: at 4–16 MP the estimate (the other model's
 * mask, their disagreement HCE, fragments, holes) costs 0.4–1 s on the metrics threads.
 * Until it lands the row is `reviewPriorityPending` and its asset stays out of the review
 * queue (`needsReview`), so an asset never shows there at a priority that is about to change.
 */
import type { SegmentationEvents } from '../events/segmentation-events.js';
import type { JobQueue, QueuedJob } from '../jobs/job-queue.js';
import type { Logger } from '../lib/logger.js';
import type { MetricsPool } from '../metrics/metrics-pool.js';
import type { AppMetrics } from '../observability/metrics.js';
import { readBlobMask } from '../storage/mask-blobs.js';
import { otherModelsSegmentation } from './other-model-mask.js';
import type { BlobStore } from '../storage/blob-store.js';
import type { SegmentationRecord } from '../storage/records.js';
import type { SegmentationRepository } from '../storage/repositories/segmentation.repository.js';
import { reviewPriority } from './review-priority.js';

export interface ReviewPriorityDeps {
  segmentations: SegmentationRepository;
  blobs: BlobStore;
  /** The metrics threads: the estimate runs there, off the event loop, in the batch lane. */
  scoring: MetricsPool;
  events: SegmentationEvents;
  logger: Logger;
  metrics: AppMetrics;
}

/** Queues the estimate for a row that is SUCCEEDED and still waiting for it (a no-op otherwise). */
export async function queueReviewPriority(queue: JobQueue, record: SegmentationRecord | null, requestId?: string): Promise<void> {
  if (record?.status === 'SUCCEEDED' && record.reviewPriorityPending)
    await queue.send(record.id, { priority: 'interactive', ownerId: record.ownerId, requestId });
}

export function createReviewPriorityHandler(deps: ReviewPriorityDeps): (job: QueuedJob) => Promise<void> {
  return async ({ id, requestId }) => {
    const row = await deps.segmentations.findById(id);
    if (!row || row.status !== 'SUCCEEDED' || !row.reviewPriorityPending || !row.maskSha256) return;
    const started = performance.now();
    const priority = await estimateReviewPriority(deps, row);
    const updated = await deps.segmentations.setReviewPriority(id, priority, row.reviewIfPriorityAbove);
    await deps.events.publish(updated);
    deps.metrics.jobStageDuration.observe({ stage: 'review_priority', model: row.modelId }, (performance.now() - started) / 1000);
    deps.logger.info('review priority estimated', { id, requestId, reviewPriority: priority, ms: Math.round(performance.now() - started) });
  };
}

/**
 * The mask's review priority (null when it cannot be estimated: the mask is still good,
 * the asset then sorts by its other masks). Another model's mask of the same asset, if any,
 * adds their disagreement.
 */
async function estimateReviewPriority(deps: ReviewPriorityDeps, row: SegmentationRecord): Promise<number | null> {
  try {
    const { maskWidth: width, maskHeight: height } = row;
    const mask = await readBlobMask(deps.blobs, row.maskSha256!);
    const other = await otherModelsSegmentation(deps.segmentations, row.assetId, row.modelId);
    const reference = other?.maskWidth === width && other.maskHeight === height ? await readBlobMask(deps.blobs, other.maskSha256!) : undefined;
    return reviewPriority(await deps.scoring.estimate({ ownerId: row.ownerId, lane: 'batch' }, mask, reference, width!, height!));
  } catch (error) {
    deps.logger.warn('review priority not estimated', { id: row.id, error });
    return null;
  }
}
