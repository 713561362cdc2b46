/**
 * Evaluations: every requested model over the owner's assets that have ground truth (and
 * match a filter). Missing segmentations are requested (identical ones are reused), each
 * mask is scored on the metrics worker, and a DIS-style table per model is kept, reduced
 * as the official evaluators do (maxF and meanE from the image-averaged curves).
 */
import { AppError, isAppError, inputError } from '../errors.js';
import type { ModelRegistry } from '../inference/registry.js';
import type { JobEvents } from '../events/segmentation-events.js';
import type { Logger } from '../lib/logger.js';
import type { MetricsPool } from '../metrics/metrics-pool.js';
import type { SegmentationService } from '../segmentations/segmentation.service.js';
import type { BlobStore } from '../storage/blob-store.js';
import type { EvaluationItemRecord, EvaluationRecord } from '../storage/records.js';
import type { AssetFilter, AssetRepository } from '../storage/repositories/asset.repository.js';
import type { EvaluationRepository, ItemOrder } from '../storage/repositories/evaluation.repository.js';
import type { QualityService } from './quality.service.js';
import { readBlobMask } from '../storage/mask-blobs.js';

/** One row of the table. */
export interface ModelSummary {
  model: string;
  count: number;
  maxF: number;
  wfm: number;
  mae: number;
  /** Null when some image's S-measure is NaN (as the reference reduces). */
  sm: number | null;
  meanE: number;
  meanHce: number;
  meanInferenceMs: number | null;
}

/** How long one segmentation may take, queue included, before the evaluation gives up. */
const SEGMENTATION_WAIT_MS = 10 * 60_000;
const MAX_MODELS = 8;

class Accumulator {
  count = 0;
  fm = new Float64Array(256);
  em = new Float64Array(256);
  wfm = 0;
  mae = 0;
  sm = 0;
  hce = 0;
  inferenceMs = 0;
  timed = 0;

  summary(model: string): ModelSummary {
    const n = Math.max(1, this.count);
    let maxF = 0;
    let meanE = 0;
    for (let k = 0; k < 256; k += 1) {
      maxF = Math.max(maxF, this.fm[k]! / n);
      meanE += this.em[k]! / n / 256;
    }
    return {
      model,
      count: this.count,
      maxF,
      wfm: this.wfm / n,
      mae: this.mae / n,
      sm: Number.isNaN(this.sm) ? null : this.sm / n,
      meanE,
      meanHce: this.hce / n,
      meanInferenceMs: this.timed === 0 ? null : this.inferenceMs / this.timed,
    };
  }
}

export class EvaluationService {
  private readonly running = new Set<Promise<void>>();

  constructor(
    private readonly evaluations: EvaluationRepository,
    private readonly assets: AssetRepository,
    private readonly segmentations: SegmentationService,
    private readonly quality: QualityService,
    private readonly registry: ModelRegistry,
    private readonly metrics: MetricsPool,
    private readonly blobs: BlobStore,
    private readonly logger: Logger,
    private readonly events: JobEvents<EvaluationRecord>,
  ) {}

  /**
   * Starts an evaluation and returns it QUEUED; follow it with `updates`.
   * @throws AppError BAD_USER_INPUT (no or too many or unknown models), MODEL_UNAVAILABLE.
   */
  async start(ownerId: string, models: string[], filter: AssetFilter): Promise<EvaluationRecord> {
    const unique = [...new Set(models)];
    if (unique.length === 0 || unique.length > MAX_MODELS) {
      throw inputError('input.models', `1 to ${MAX_MODELS} models`, { described: `${unique.length}` });
    }
    for (const model of unique) this.registry.require(model);
    const record = await this.evaluations.create(ownerId, unique, JSON.parse(JSON.stringify(filter)) as object);
    const run = this.run(record, filter).finally(() => this.running.delete(run));
    this.running.add(run);
    return record;
  }

  private publish(record: EvaluationRecord): EvaluationRecord {
    void this.events.publish(record);
    return record;
  }

  private async run(record: EvaluationRecord, filter: AssetFilter): Promise<void> {
    try {
      const assets = await this.assets.listWithGroundTruth({ ownerId: record.ownerId, ...filter });
      this.publish(await this.evaluations.update(record.id, { status: 'RUNNING', assetCount: assets.length, progress: 0 }));
      const totals = new Map(record.models.map((model) => [model, new Accumulator()]));
      const steps = Math.max(1, assets.length * record.models.length);
      let done = 0;
      for (const asset of assets) {
        const truth = await this.quality.groundTruth(asset.id);
        if (!truth) continue; // removed meanwhile
        const gt = await readBlobMask(this.blobs, truth.sha256);
        for (const model of record.models) {
          const requested = await this.segmentations.request({ ownerId: record.ownerId, assetId: asset.id, modelId: model, priority: 'batch' });
          const segmentation = await this.segmentations.waitForFinal(requested, SEGMENTATION_WAIT_MS);
          if (segmentation.status !== 'SUCCEEDED' || !segmentation.maskSha256) {
            throw new AppError(
              'INFERENCE_FAILED',
              `Segmenting asset ${asset.id} with ${model} ended ${segmentation.status}: ${segmentation.errorMessage ?? 'timed out'}`,
            );
          }
          const score = await this.metrics.score(
            { ownerId: record.ownerId, lane: 'batch' },
            gt,
            await readBlobMask(this.blobs, segmentation.maskSha256),
            truth.width,
            truth.height,
          );
          const total = totals.get(model)!;
          total.count += 1;
          for (let k = 0; k < 256; k += 1) {
            total.fm[k]! += score.fmCurve[k]!;
            total.em[k]! += score.emCurve[k]!;
          }
          total.wfm += score.wfm;
          total.mae += score.mae;
          total.sm += score.sm;
          total.hce += score.hce;
          if (segmentation.inferenceMs !== null) {
            total.inferenceMs += segmentation.inferenceMs;
            total.timed += 1;
          }
          await this.evaluations.addItem({
            evaluationId: record.id,
            assetId: asset.id,
            modelId: model,
            segmentationId: segmentation.id,
            hce: score.hce,
            mae: score.mae,
            sm: Number.isNaN(score.sm) ? null : score.sm,
            wfm: score.wfm,
            maxF: score.maxF,
            meanE: score.meanE,
            inferenceMs: segmentation.inferenceMs,
          });
          done += 1;
          this.publish(await this.evaluations.update(record.id, { progress: done / steps }));
        }
      }
      const table = record.models.map((model) => totals.get(model)!.summary(model)).sort((a, b) => b.maxF - a.maxF);
      this.publish(await this.evaluations.update(record.id, { status: 'SUCCEEDED', progress: 1, summary: table as unknown as object, finishedAt: new Date() }));
    } catch (error) {
      if (!isAppError(error)) this.logger.error('evaluation failed', { id: record.id, error });
      const updated = await this.evaluations
        .update(record.id, {
          status: 'FAILED',
          errorCode: isAppError(error) ? error.code : 'INTERNAL_SERVER_ERROR',
          errorMessage: isAppError(error) ? error.message : 'The evaluation failed',
          finishedAt: new Date(),
        })
        .catch(() => undefined);
      if (updated) this.publish(updated);
    }
  }

  /** @throws AppError NOT_FOUND for an unknown id or another owner's. */
  async get(ownerId: string, id: string): Promise<EvaluationRecord> {
    const record = await this.evaluations.findOwned(ownerId, id);
    if (!record) throw new AppError('NOT_FOUND', `No evaluation with id ${id}`, { details: { id } });
    return record;
  }

  list(ownerId: string, first: number): Promise<EvaluationRecord[]> {
    return this.evaluations.list(ownerId, first);
  }

  items(evaluationId: string, order: ItemOrder, model: string | undefined): Promise<EvaluationItemRecord[]> {
    return this.evaluations.items(evaluationId, order, model);
  }

  updates(ownerId: string, id: string): AsyncIterableIterator<EvaluationRecord> {
    // The first read is the owner's: an unknown id or another owner's ends it with NOT_FOUND.
    return this.events.follow(id, () => this.get(ownerId, id));
  }

  /** The evaluation once finished, or as it is after `timeoutMs`. */
  async waitForFinal(record: EvaluationRecord, timeoutMs: number): Promise<EvaluationRecord> {
    const final = this.events.waitForFinal(record.id, timeoutMs);
    const current = await this.evaluations.findOwned(record.ownerId, record.id);
    if (current && (current.status === 'SUCCEEDED' || current.status === 'FAILED')) return current;
    return (await final) ?? current ?? record;
  }

  /** Evaluations a stopped process left unfinished are failed: start them again. */
  async failUnfinished(): Promise<number> {
    const rows = await this.evaluations.unfinished();
    for (const row of rows) {
      await this.evaluations.update(row.id, {
        status: 'FAILED',
        errorCode: 'INTERNAL_SERVER_ERROR',
        errorMessage: 'The gateway stopped during the evaluation; start it again',
        finishedAt: new Date(),
      });
    }
    return rows.length;
  }
}
