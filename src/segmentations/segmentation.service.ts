/**
 * Segmentation requests: validation, content-addressed reuse, queueing, and recovery of
 * jobs a previous process left unfinished. The model runs in the job handler
 * (src/jobs/handlers/segment-mask.job.ts).
 */
import { createHash } from 'node:crypto';
import { AppError } from '../errors.js';
import type { ModelRegistry } from '../inference/registry.js';
import type { JobQueue } from '../jobs/job-queue.js';
import { isFinal, type SegmentationEvents } from '../jobs/segmentation-events.js';
import type { SegmentationRecord } from '../storage/records.js';
import type { AssetRepository } from '../storage/repositories/asset.repository.js';
import type { SegmentationRepository } from '../storage/repositories/segmentation.repository.js';
import { reuseIdenticalRun, type ReuseDeps } from './reuse-identical-run.js';

/**
 * Bumped whenever pre- or post-processing changes what a model produces, so masks made
 * by an older pipeline are not reused for new requests.
 */
export const PIPELINE_VERSION = 1;

/** A job interrupted this many times (crashes mid-run) is failed rather than retried. */
const MAX_ATTEMPTS = 3;

export interface SegmentRequest {
  ownerId: string;
  assetId: string;
  /** Undefined: the registry's default model. */
  modelId: string | undefined;
}

export class SegmentationService {
  constructor(
    private readonly segmentations: SegmentationRepository,
    private readonly assets: AssetRepository,
    private readonly registry: ModelRegistry,
    private readonly queue: JobQueue,
    private readonly events: SegmentationEvents,
    private readonly reuse: ReuseDeps,
  ) {}

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
    const modelId = request.modelId ?? this.registry.defaultModel()?.manifest.id;
    if (!modelId) throw new AppError('MODEL_UNAVAILABLE', 'No default model is configured');
    const model = this.registry.require(modelId);
    const contentKey = createHash('sha256')
      .update(`${asset.sha256}\n${model.weightsSha256}\n${JSON.stringify({ model: model.manifest })}\n${PIPELINE_VERSION}`)
      .digest('hex');
    const [height, width] = model.manifest.input.size;
    const row = {
      ownerId: request.ownerId,
      assetId: asset.id,
      modelId,
      weightsSha256: model.weightsSha256,
      contentKey,
      inferenceWidth: width,
      inferenceHeight: height,
    };
    const reused = await reuseIdenticalRun(this.reuse, row, (source) => this.segmentations.createReused(row, source));
    if (reused) return reused;
    this.queue.assertCapacity(); // BUSY before a row exists
    const created = await this.segmentations.create(row);
    try {
      this.queue.enqueue(created.id);
    } catch (error) {
      await this.segmentations.update(created.id, { status: 'FAILED', errorCode: 'BUSY', errorMessage: 'The job queue was full', finishedAt: new Date() });
      throw error;
    }
    return created;
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
  async *updates(ownerId: string, id: string): AsyncGenerator<SegmentationRecord> {
    await this.get(ownerId, id);
    yield* this.events.follow(id, () => this.get(ownerId, id));
  }

  /**
   * After a restart or crash: QUEUED rows are queued again; RUNNING rows were interrupted
   * and are retried, or failed with INTERRUPTED after MAX_ATTEMPTS. None stays RUNNING.
   */
  async resumeUnfinished(): Promise<{ requeued: number; failed: number }> {
    let requeued = 0;
    let failed = 0;
    for (const row of await this.segmentations.unfinished()) {
      if (row.status === 'RUNNING' && row.attempts >= MAX_ATTEMPTS) {
        const updated = await this.segmentations.update(row.id, {
          status: 'FAILED',
          errorCode: 'INFERENCE_FAILED',
          errorMessage: `Interrupted ${row.attempts} times (the process stopped during the run)`,
          finishedAt: new Date(),
        });
        if (updated) this.events.publish(updated);
        failed += 1;
        continue;
      }
      if (row.status === 'RUNNING') await this.segmentations.update(row.id, { status: 'QUEUED', progress: 0 });
      // Past MAX_QUEUED_JOBS too: the limit admits new work, and these rows were admitted.
      this.queue.requeue(row.id);
      requeued += 1;
    }
    return { requeued, failed };
  }
}
