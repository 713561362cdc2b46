/**
 * Segmentation requests: validation, content-addressed reuse, queueing, and recovery of
 * jobs a previous process left unfinished. The model runs in the job handler
 * (src/segmentations/segment-mask.job.ts).
 */
import { createHash } from 'node:crypto';
import { AppError, isAppError } from '../errors.js';
import type { ModelRegistry } from '../inference/registry.js';
import type { JobPriority, JobQueue } from '../jobs/job-queue.js';
import { isFinal, type SegmentationEvents } from '../events/segmentation-events.js';
import type { SegmentationRecord } from '../storage/records.js';
import type { AssetRepository } from '../storage/repositories/asset.repository.js';
import type { NewSegmentation, SegmentationRepository } from '../storage/repositories/segmentation.repository.js';
import { REFINEMENT_VERSION } from '../refinement/refine-mask.js';
import { reuseIdenticalRun, type ReuseDeps } from './reuse-identical-run.js';
import { queueReviewPriority } from './review-priority.job.js';

/**
 * Bumped whenever pre- or post-processing changes what a model produces, so masks made
 * by an older pipeline are not reused for new requests.
 */
export const PIPELINE_VERSION = 1;

export interface SegmentRequest {
  ownerId: string;
  assetId: string;
  /** Undefined: the registry's default model. */
  modelId: string | undefined;
  /** Refine the edges at full resolution after the model (src/refinement/). */
  refine?: boolean;
  /** Interactive requests (a person waiting) run before batch ones (evaluations). */
  priority?: JobPriority;
  requestId?: string | undefined;
  /** Also a quick draft run of DRAFT_MODEL_ID, queued ahead of this one (see `request`). */
  draft?: boolean;
  /** Internal: this request is the draft of that run. */
  draftOfId?: string;
  /** From an upload rule: a review priority at or below this keeps the mask out of the review queue. */
  reviewIfPriorityAbove?: number | undefined;
}

/**
 * The model of draft runs: rembg's U²-Net-p, 4.6 MB and 5 to 10 times faster than IS-Net
 * here, with IoUs of 0.93–0.99 on the composites (docs/api/segmentations.md, Models).
 */
export const DRAFT_MODEL_ID = 'u2netp';

export interface QueueLimits {
  /** Waiting jobs of everyone; beyond it requests get BUSY. */
  maxQueued: number;
  /** Waiting jobs of one owner, so one owner filling the queue is refused before anyone else. */
  maxQueuedPerOwner: number;
  /** Runs of one row before it is failed as INTERRUPTED. */
  maxAttempts: number;
}

export class SegmentationService {
  constructor(
    private readonly segmentations: SegmentationRepository,
    private readonly assets: AssetRepository,
    private readonly registry: ModelRegistry,
    /** The model runs, and the review priorities estimated after them. */
    private readonly queues: { segment: JobQueue; reviewPriority: JobQueue },
    private readonly events: SegmentationEvents,
    private readonly reuse: ReuseDeps,
    private readonly limits: QueueLimits,
  ) {}

  /** @throws AppError BUSY when the owner's or everyone's waiting jobs are at their limit. */
  private async assertCapacity(ownerId: string): Promise<void> {
    const [mine, all] = await Promise.all([this.segmentations.countQueued(ownerId), this.segmentations.countQueued()]);
    if (mine >= this.limits.maxQueuedPerOwner) {
      throw new AppError('BUSY', `You have ${mine} segmentations waiting (the limit per owner); retry when some have finished`, {
        details: { limit: this.limits.maxQueuedPerOwner, scope: 'owner' },
      });
    }
    if (all >= this.limits.maxQueued) {
      throw new AppError('BUSY', `The job queue is full (${this.limits.maxQueued} waiting); retry later`, {
        details: { capacity: this.limits.maxQueued, scope: 'all' },
      });
    }
  }

  /**
   * Creates a segmentation: SUCCEEDED at once when an identical run of the same owner (same
   * image bytes, weights, options and pipeline) already produced a mask, else QUEUED with a
   * job. Another owner's identical run is never reused (that would reveal it); the mask
   * blob is still stored once, as every blob is, by content.
   * @throws AppError NOT_FOUND (asset), BAD_USER_INPUT / MODEL_UNAVAILABLE (model), BUSY (queue full).
   */
  async request(request: SegmentRequest): Promise<SegmentationRecord> {
    const asset = await this.assets.findOwned(request.ownerId, request.assetId);
    if (!asset) throw new AppError('NOT_FOUND', `No asset with id ${request.assetId}`, { details: { id: request.assetId } });
    const draft = request.draftOfId !== undefined;
    const row = {
      ...this.plan(request.ownerId, asset, request.modelId, request.refine ?? false, draft),
      ...(draft ? { draftOfId: request.draftOfId } : {}),
      ...(request.reviewIfPriorityAbove === undefined ? {} : { reviewIfPriorityAbove: request.reviewIfPriorityAbove }),
    };
    const reused = await reuseIdenticalRun(this.reuse, row, (source) => this.segmentations.createReused(row, source));
    if (reused) {
      await queueReviewPriority(this.queues.reviewPriority, reused, request.requestId); // when the source's was still pending
      return reused;
    }
    // Counted on rows, not atomically with the insert: parallel requests may pass a limit by a few.
    await this.assertCapacity(request.ownerId); // BUSY before a row exists
    const created = await this.segmentations.create(row);
    // The draft's job goes first, so a free worker starts it before this run.
    if (request.draft && row.modelId !== DRAFT_MODEL_ID) await this.requestDraft(request, created);
    // Committed row first, then the send (an outbox): a send lost to a crash is made again by
    // the sweep at the next start, and a repeated send of the same id does nothing.
    await this.queues.segment.send(created.id, { priority: request.priority ?? 'interactive', ownerId: request.ownerId, requestId: request.requestId });
    return created;
  }

  /**
   * A quick draft of `full` with DRAFT_MODEL_ID, interactive, queued before it (an identical
   * earlier run answers it at once). Best effort: when the draft model is missing or the queue
   * is full, the run goes on without one.
   */
  private async requestDraft(request: SegmentRequest, full: SegmentationRecord): Promise<void> {
    try {
      await this.request({ ownerId: request.ownerId, assetId: request.assetId, modelId: DRAFT_MODEL_ID, requestId: request.requestId, draftOfId: full.id });
    } catch (error) {
      if (!(isAppError(error) && ['BUSY', 'MODEL_UNAVAILABLE', 'BAD_USER_INPUT'].includes(error.code))) throw error;
    }
  }

  /** The draft asked with run `id` (`draft: true`), if any. */
  draftOf(id: string): Promise<SegmentationRecord | null> {
    return this.segmentations.findDraftOf(id);
  }

  /**
   * The row a request for `asset` would insert (model resolved, content key computed); a
   * batch inserts many at once.
   * @throws AppError BAD_USER_INPUT / MODEL_UNAVAILABLE (model).
   */
  plan(ownerId: string, asset: { id: string; sha256: string }, requestedModelId: string | undefined, refine: boolean, draft = false): NewSegmentation {
    const { modelId, model } = this.resolveModel(requestedModelId);
    // A draft runs on the preview proxy, so it has its own key: never reused for a full run, nor a full run's for it.
    const contentKey = createHash('sha256')
      .update(
        `${asset.sha256}\n${model.weightsSha256}\n${JSON.stringify({ model: model.manifest })}\n${PIPELINE_VERSION}${refine ? `\nrefined ${REFINEMENT_VERSION}` : ''}${draft ? '\ndraft from the proxy' : ''}`,
      )
      .digest('hex');
    const [height, width] = model.manifest.input.size;
    return {
      ownerId,
      assetId: asset.id,
      modelId,
      weightsSha256: model.weightsSha256,
      contentKey,
      refined: refine,
      inferenceWidth: width,
      inferenceHeight: height,
    };
  }

  /**
   * The model a request names, or the default, with its current weights.
   * @throws AppError BAD_USER_INPUT / MODEL_UNAVAILABLE.
   */
  resolveModel(requestedModelId: string | undefined): { modelId: string; weightsSha256: string; model: ReturnType<ModelRegistry['require']> } {
    const modelId = requestedModelId ?? this.registry.defaultModel()?.manifest.id;
    if (!modelId) throw new AppError('MODEL_UNAVAILABLE', 'No default model is configured');
    const model = this.registry.require(modelId);
    return { modelId, weightsSha256: model.weightsSha256, model };
  }

  /** @throws AppError NOT_FOUND for an unknown id or another owner's. */
  async get(ownerId: string, id: string): Promise<SegmentationRecord> {
    const record = await this.segmentations.findOwned(ownerId, id);
    if (!record) throw new AppError('NOT_FOUND', `No segmentation with id ${id}`, { details: { id } });
    return record;
  }

  /** Looks a segmentation up by id alone: only for routes that already verified a signed URL. */
  findById(id: string): Promise<SegmentationRecord | null> {
    return this.segmentations.findById(id);
  }

  listForAsset(assetId: string): Promise<SegmentationRecord[]> {
    return this.segmentations.listForAsset(assetId);
  }

  /** The segmentations of each asset, newest first, in one read. */
  listForAssets(assetIds: readonly string[]): Promise<SegmentationRecord[][]> {
    return this.segmentations.listForAssets(assetIds);
  }

  /** The owner's segmentations among `ids`, in their order; null for unknown ids and other owners'. */
  findOwnedMany(ownerId: string, ids: readonly string[]): Promise<(SegmentationRecord | null)[]> {
    return this.segmentations.findOwnedMany(ownerId, ids);
  }

  /** The record once it is SUCCEEDED or FAILED, or as it is after `timeoutMs`. */
  async waitForFinal(record: SegmentationRecord, timeoutMs: number): Promise<SegmentationRecord> {
    if (isFinal(record)) return record;
    const final = this.events.waitForFinal(record.id, timeoutMs);
    // It may have finished between the read and the subscription.
    const current = await this.segmentations.findById(record.id);
    if (current && isFinal(current)) return current;
    return (await final) ?? (await this.segmentations.findById(record.id)) ?? record;
  }

  /**
   * The segmentation's current state, then each change, ending after a final state.
   * @throws AppError NOT_FOUND for an unknown id or another owner's (before the first yield).
   */
  updates(ownerId: string, id: string): AsyncIterableIterator<SegmentationRecord> {
    // The first read is the owner's: an unknown id or another owner's ends it with NOT_FOUND.
    return this.events.follow(id, () => this.get(ownerId, id));
  }

  /**
   * At start-up. Every instance re-sends QUEUED rows (the outbox sweep: harmless for those
   * already queued). Only an instance that knows it is alone (`exclusive`: the embedded
   * database, locked to one process) releases RUNNING rows at once; with a shared database
   * they may belong to a live worker, and their lease recovers them if not.
   */
  async recoverOnStart(exclusive: boolean): Promise<{ resent: number; released: number; reviewPriorities: number }> {
    const queued = await this.segmentations.listQueuedToRun();
    for (const row of queued) if (!row.batchId) await this.queues.segment.send(row.id, { priority: 'interactive', ownerId: row.ownerId });
    // A running batch's rows go back in bulk, in the batch band (a paused one's wait for its resume).
    const byBatch = new Map<string, SegmentationRecord[]>();
    for (const row of queued) {
      if (!row.batchId) continue;
      if (!byBatch.has(row.batchId)) byBatch.set(row.batchId, []);
      byBatch.get(row.batchId)!.push(row);
    }
    for (const rows of byBatch.values()) {
      await this.queues.segment.sendMany(
        rows.map((row) => row.id),
        { priority: 'batch', ownerId: rows[0]!.ownerId },
      );
    }
    // Masks whose review priority was never queued (the process stopped between the two).
    const pending = await this.segmentations.listPendingReviewPriority();
    for (const row of pending) await queueReviewPriority(this.queues.reviewPriority, row);
    if (!exclusive) return { resent: queued.length, released: 0, reviewPriorities: pending.length };
    const released: string[] = [];
    for (const row of await this.segmentations.listByStatus('RUNNING')) {
      if (row.attempts >= this.limits.maxAttempts) {
        await this.events.publish(
          await this.segmentations.failUnfinished(row, 'INTERRUPTED', `Interrupted ${row.attempts} times (the process stopped during the run)`),
        );
        continue;
      }
      await this.queues.segment.send(row.id, { priority: row.batchId ? 'batch' : 'interactive', ownerId: row.ownerId }); // in case its job was lost
      released.push(row.id);
    }
    await this.queues.segment.releaseNow(released);
    return { resent: queued.length, released: released.length, reviewPriorities: pending.length };
  }
}
