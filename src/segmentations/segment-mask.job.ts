/**
 * The segmentation job: claim the row, run the model on the asset's bytes, store the mask
 * as an 8-bit grey PNG blob, record the result. The row is SUCCEEDED, with its event, as
 * soon as the mask is stored; its review priority follows as a job of its own
 * (review-priority.job.ts), so nobody waiting for the mask waits for it. Idempotent under at-least-once delivery:
 * a final row is left alone, an identical run finished meanwhile is reused, and every
 * write is fenced by the attempt this delivery claimed, so a worker whose lease ran out
 * (and whose job another worker took) can no longer change the row.
 */
import { withStorageRetry } from '../storage/storage-retry.js';
import type { ProxyService } from '../images/proxy.service.js';
import { isAppError } from '../errors.js';
import type { InferenceEngine } from '../inference/engine.js';
import { encodeMaskPng } from '../inference/image-input.js';
import type { BlobLocks } from '../storage/blob-locks.js';
import type { Logger } from '../lib/logger.js';
import type { AppMetrics } from '../observability/metrics.js';
import { maskStats } from '../metrics/mask-stats.js';
import { maskCentre } from '../images/mask-centre.js';
import { reuseIdenticalRun } from './reuse-identical-run.js';
import type { RefineThread } from '../refinement/refine-thread.js';
import { queueReviewPriority } from './review-priority.job.js';
import { readBlob, sha256Hex, type BlobStore } from '../storage/blob-store.js';
import type { AssetRepository } from '../storage/repositories/asset.repository.js';
import type { BlobReferenceRepository } from '../storage/repositories/blob-reference.repository.js';
import type { SegmentationRepository } from '../storage/repositories/segmentation.repository.js';
import type { JobQueue, QueuedJob } from '../jobs/job-queue.js';
import { isFinal, type SegmentationEvents } from '../events/segmentation-events.js';
import { releaseUnreferenced } from '../storage/blob-release.js';
import type { SegmentationRecord } from '../storage/records.js';
import { segmentationEnded, type WebhookNotifier } from '../webhooks/webhook.service.js';

export interface SegmentMaskDeps {
  segmentations: SegmentationRepository;
  assets: AssetRepository;
  references: BlobReferenceRepository;
  blobs: BlobStore;
  blobLocks: BlobLocks;
  engine: InferenceEngine;
  /** Where each new mask's review priority is queued, to be estimated after the answer. */
  reviewPriorityQueue: JobQueue;
  /** The refinement thread, for rows with `refined` (edges refined at full resolution). */
  refiner: RefineThread;
  events: SegmentationEvents;
  logger: Logger;
  metrics: AppMetrics;
  jobTimeoutMs: number;
  /** Runs of one row before it is failed (crashes and expired leases count). */
  maxAttempts: number;
  /** A batch's runs: held while it is paused, dropped once cancelled, and it is told when each ends. */
  batches: BatchGate;
  /** Told of every run that ends (segmentation.succeeded, segmentation.failed). */
  webhooks: WebhookNotifier;
  /** A draft run reads the photo's preview proxy, not the original. */
  proxies: Pick<ProxyService, 'source'>;
  /** Told of each new model mask (not a draft's): upload rules' presets follow it. */
  masks: MaskFollower;
}

/** What happens after a mask (src/rules/upload-rule.service.ts implements it); never fails the run. */
export interface MaskFollower {
  maskReady(record: SegmentationRecord, requestId?: string): Promise<void>;
}

/** What a batch's run asks of its batch (src/batches/batch.service.ts implements it). */
export interface BatchGate {
  hold(batchId: string): Promise<'run' | 'pause' | 'cancel'>;
  settle(batchId: string): Promise<void>;
}

/**
 * A mask's bounding box in the photo's pixels, as every box is stored (subject crops read
 * it): a draft's mask has its proxy's size, scaled up here by `scale` (photo pixels per mask
 * pixel, per axis). Rounded outwards, so the box still holds the subject.
 */
function boxInPhotoPixels(
  box: { x: number; y: number; width: number; height: number } | undefined,
  scale: { x: number; y: number },
  photo: { width: number; height: number },
) {
  if (!box || (scale.x === 1 && scale.y === 1)) return box;
  const [x, y] = [Math.floor(box.x * scale.x), Math.floor(box.y * scale.y)];
  return {
    x,
    y,
    width: Math.min(photo.width, Math.ceil((box.x + box.width) * scale.x)) - x,
    height: Math.min(photo.height, Math.ceil((box.y + box.height) * scale.y)) - y,
  };
}

/** The longest a run waits for its draft to finish before it starts anyway. */
const DRAFT_WAIT_MS = 30_000;

export function createSegmentMaskHandler(deps: SegmentMaskDeps): (job: QueuedJob) => Promise<void> {
  const { segmentations, metrics } = deps;
  // Every row published here that ended is also a webhook event (announced twice, delivered once).
  const events = {
    publish: async (record: SegmentationRecord | null, requestId?: string) => {
      await deps.events.publish(record);
      // Recorded right after the row's commit; one lost to a crash in between is recorded by the next worker's start.
      const ended = record && segmentationEnded(record);
      if (record && ended) await deps.webhooks.emit(record.ownerId, ended.type, ended.key, ended.data);
      if (record?.status === 'SUCCEEDED' && !record.draftOfId) {
        await deps.masks.maskReady(record, requestId).catch((error: unknown) => deps.logger.warn('after-mask work failed', { id: record.id, error }));
      }
    },
  };

  /** Runs the job; `seen` learns the row's batch. */
  const handler = async ({ id, delivery, requestId, signal }: QueuedJob, seen: { batchId: string | null }): Promise<void> => {
    const log = { id, requestId, delivery };
    const row = await segmentations.findById(id);
    seen.batchId = row?.batchId ?? null;
    if (!row || isFinal(row)) return;
    if (row.batchId) {
      // A paused batch's run waits, QUEUED, for the resume to queue it again; a cancelled one's never runs.
      const hold = await deps.batches.hold(row.batchId);
      if (hold === 'pause') return;
      if (hold === 'cancel') {
        return void (await events.publish(await segmentations.failUnfinished(row, 'CANCELLED', 'Cancelled with its batch before it ran')));
      }
    }
    if (delivery > 1) metrics.jobRedeliveries.inc({ queue: 'segmentation' });
    // A run whose draft is running elsewhere lets it finish first: both at once on a shared
    // machine would slow the draft, whose whole point is to come back at once. Only a RUNNING
    // draft is waited for (a QUEUED one may need this very slot), and at most DRAFT_WAIT_MS.
    const draft = await segmentations.findDraftOf(row.id);
    if (draft?.status === 'RUNNING') {
      const finished = deps.events.waitForFinal(draft.id, DRAFT_WAIT_MS);
      const now = await segmentations.findById(draft.id); // it may have ended before the subscription
      const stopped = new Promise((resolve) => signal.addEventListener('abort', resolve, { once: true }));
      if (now && !isFinal(now)) await Promise.race([finished, stopped]);
      if (signal.aborted) return;
    }
    if (row.attempts >= deps.maxAttempts) {
      deps.logger.warn('segmentation failed after repeated interruptions', { ...log, attempts: row.attempts });
      await events.publish(
        await segmentations.failUnfinished(row, 'INTERRUPTED', `Interrupted ${row.attempts} times (its worker stopped or its lease expired during the run)`),
      );
      metrics.jobsFinished.inc({ status: 'FAILED', model: row.modelId });
      return;
    }
    const startedAt = new Date();
    const attempt = await segmentations.claim(row, startedAt);
    if (attempt === undefined) return;
    const update = (data: Parameters<SegmentationRepository['updateRun']>[2]) => segmentations.updateRun(id, attempt, data);
    // A stopping worker gives the run back: QUEUED again, this attempt not counted (the queue job goes back too).
    const giveBack = async () => {
      await events.publish(await segmentations.releaseRun(id, attempt));
      deps.logger.info('segmentation given back to the queue: the worker is stopping', { ...log, attempt });
    };
    const queueWaitMs = startedAt.getTime() - row.createdAt.getTime();
    metrics.jobStageDuration.observe({ stage: 'queue_wait', model: row.modelId }, queueWaitMs / 1000);
    deps.logger.info('segmentation started', { ...log, attempt, model: row.modelId });
    await events.publish(await update({ queueWaitMs }));

    try {
      // An identical request may have finished while this one waited in the queue.
      const completed = await reuseIdenticalRun(deps, row, async (source) => {
        const copied = await segmentations.completeFrom(id, source);
        await events.publish(copied, requestId);
        await queueReviewPriority(deps.reviewPriorityQueue, copied, requestId); // when the source's was still pending
        return true;
      });
      if (completed) return;
      const asset = await deps.assets.findById(row.assetId);
      if (!asset) return; // deleted meanwhile; its rows went with it
      // A blob-store outage of a few seconds delays the job instead of failing it (STORAGE_UNAVAILABLE after that).
      // A draft starts from the photo's 1024 px proxy: its model's input is 320 px anyway, and
      // preparing it from 16 MP took 0.8 s of a 1.7 s draft (its mask keeps the proxy's size).
      const photo = await withStorageRetry(() =>
        row.draftOfId ? deps.proxies.source('photo', asset, { width: 1, height: 1 }) : readBlob(deps.blobs, asset.sha256),
      );
      const segment = () => deps.engine.segment(row.modelId, photo, { timeoutMs: deps.jobTimeoutMs });
      const { model, refined, refineMs } = row.refined
        ? await deps.refiner.afterModel(photo, segment, Math.max(row.inferenceWidth, row.inferenceHeight))
        : { model: await segment(), refined: undefined, refineMs: null };
      // A draft's mask keeps its proxy's size: enlarging it to 16 MP took a fifth of a draft's answer.
      const output = refined ? { ...model, mask: refined } : model;
      if (signal.aborted) return await giveBack();
      await events.publish(await update({ progress: 0.9 }));

      const storeStarted = performance.now();
      const encoding = encodeMaskPng(output.mask, output.width, output.height);
      const centring = maskCentre(output.mask, output.width, output.height);
      const stats = maskStats(output.mask, output.width, output.height); // while libvips encodes, on its own thread
      const box = boxInPhotoPixels(stats.boundingBox, { x: asset.width / output.width, y: asset.height / output.height }, asset);
      const [png, centre] = await Promise.all([encoding, centring]);
      const maskSha256 = sha256Hex(png);
      const updated = await deps.blobLocks.run(maskSha256, async () => {
        await withStorageRetry(() => deps.blobs.put(png));
        const finished = await update({
          status: 'SUCCEEDED',
          progress: 1,
          finishedAt: new Date(),
          modelLoadMs: output.timings.modelLoadMs ?? null,
          preprocessMs: output.timings.preprocessMs,
          inferenceMs: output.timings.inferenceMs,
          postprocessMs: output.timings.postprocessMs,
          refineMs,
          storeMs: performance.now() - storeStarted,
          maskSha256,
          maskWidth: output.width,
          maskHeight: output.height,
          maskByteSize: png.length,
          foregroundRatio: stats.foregroundRatio,
          subjectFound: output.subjectFound,
          bboxX: box?.x ?? null,
          bboxY: box?.y ?? null,
          bboxWidth: box?.width ?? null,
          bboxHeight: box?.height ?? null,
          centreX: centre?.x ?? null,
          centreY: centre?.y ?? null,
          reviewPriority: null,
          // A draft stands in until its run's mask arrives: never reviewed.
          reviewPriorityPending: row.draftOfId === null,
        });
        if (!finished) await releaseUnreferenced(deps.references, deps.blobs, [maskSha256]);
        return finished;
      });
      // Recorded before the answer goes out, so whoever reads /metrics after the answer sees this run.
      if (updated) {
        for (const stage of ['preprocess', 'inference', 'postprocess'] as const)
          metrics.jobStageDuration.observe({ stage, model: row.modelId }, output.timings[`${stage}Ms`] / 1000);
        if (refineMs !== null) metrics.jobStageDuration.observe({ stage: 'refine', model: row.modelId }, refineMs / 1000);
        if (output.timings.modelLoadMs !== undefined)
          metrics.jobStageDuration.observe({ stage: 'model_load', model: row.modelId }, output.timings.modelLoadMs / 1000);
        metrics.jobStageDuration.observe({ stage: 'store', model: row.modelId }, (updated.storeMs ?? 0) / 1000);
        metrics.jobsFinished.inc({ status: 'SUCCEEDED', model: row.modelId });
        deps.logger.info('segmentation succeeded', { ...log, attempt, inferenceMs: output.timings.inferenceMs });
      } else {
        deps.logger.warn('segmentation result dropped: its row was taken over, finished or deleted meanwhile', { ...log, attempt });
      }
      await events.publish(updated, requestId);
      await queueReviewPriority(deps.reviewPriorityQueue, updated, requestId).catch((error: unknown) => {
        deps.logger.warn('review priority not queued; the sweep at the next start queues it', { ...log, error });
      });
    } catch (error) {
      // The worker is stopping and ended this run: not a failure of the job.
      if (signal.aborted) return await giveBack();
      const code = isAppError(error) ? error.code : 'INFERENCE_FAILED';
      const message = isAppError(error) ? error.message : 'The segmentation failed';
      deps.logger.error('segmentation failed', { ...log, attempt, error });
      const failed = await update({ status: 'FAILED', errorCode: code, errorMessage: message, finishedAt: new Date() });
      await events.publish(failed);
      if (failed) metrics.jobsFinished.inc({ status: 'FAILED', model: row.modelId });
    }
  };
  return async (job) => {
    const seen = { batchId: null as string | null };
    await handler(job, seen);
    // A batch ends with its last run (a run given back by a stopping worker is not an end).
    if (seen.batchId && !job.signal.aborted) await deps.batches.settle(seen.batchId);
  };
}
