/**
 * Batches: one action over many assets (`startBatch`), with progress, pause, resume,
 * cancel and retry. Their state lives in the database, so every process sees it and it
 * survives restarts (pg-boss has no pause of its own).
 *
 * - segment: one segmentation per asset, inserted and queued in bulk in the batch band,
 *   behind every single request; the segmentation job asks `hold` before it claims a run,
 *   so no run of a paused or cancelled batch starts. Their items follow their runs.
 * - tag, delete, render: worked through by one batch job (batch.job.ts) in chunks, which
 *   checks the batch's status between chunks.
 */
import { AppError, inputError } from '../errors.js';
import type { OutputFormat } from '../effects/output-spec.js';
import { formatStoredAhead } from '../images/plan.js';
import type { PresetService } from '../images/preset.service.js';
import type { JobQueue } from '../jobs/job-queue.js';
import type { AssetFilter } from '../storage/repositories/asset.repository.js';
import { isSegmentBatch, type BatchCounts, type BatchItemView, type BatchRepository, type SegmentMode } from '../storage/repositories/batch.repository.js';
import type { BatchItemStatus, BatchRecord, BatchStatus } from '../storage/records.js';
import type { BatchGate } from '../segmentations/segment-mask.job.js';
import type { SegmentationService } from '../segmentations/segmentation.service.js';
import type { WebhookNotifier } from '../webhooks/webhook.service.js';

export type BatchAction =
  /** `reviewIfPriorityAbove`: an upload rule's, when the batch applies one (`UploadRuleService.apply`). */
  | { kind: 'segment'; modelId: string | undefined; refine: boolean; mode: SegmentMode; reviewIfPriorityAbove?: number }
  | { kind: 'tag'; add: string[]; remove: string[] }
  | { kind: 'delete' }
  /** Widths and formats as asked; `start` fills in the preset's (stored resolved). */
  | { kind: 'render'; preset: string; widths: number[] | undefined; formats: OutputFormat[] | undefined };

export interface StartBatchInput {
  ownerId: string;
  filter?: AssetFilter;
  assetIds?: string[];
  action: BatchAction;
  dryRun: boolean;
  requestId?: string | undefined;
}

/** A batch as the API shows it: its row (absent for a dry run), counts and pace. */
export interface BatchView {
  id: string | null;
  /** PENDING: running, but none of its items has started yet (they wait behind single requests, other owners' batches or a paused queue). */
  status: BatchStatus | 'DRY_RUN' | 'PENDING';
  action: BatchAction;
  createdAt: Date;
  finishedAt: Date | null;
  counts: BatchCounts;
  /** Items finished per second since the batch last started, resumed or was retried; null before any. */
  throughput: number | null;
  etaSeconds: number | null;
  record: BatchRecord | null;
}

export interface BatchLimits {
  /** Assets one batch may take. */
  maxAssets: number;
  /** Batches one owner may have running or paused at once. */
  maxOpenPerOwner: number;
}

const OPEN: BatchStatus[] = ['RUNNING', 'PAUSED'];
/** `batchUpdated` sends at most this often. */
const UPDATE_INTERVAL_MS = 500;

export class BatchService implements BatchGate {
  constructor(
    private readonly batches: BatchRepository,
    private readonly segmentations: SegmentationService,
    /** The segmentation queue (a segment batch's runs) and the batch queue (the other kinds' chunks). */
    private readonly queues: { segment: JobQueue; batch: JobQueue },
    private readonly limits: BatchLimits,
    /** Told when a batch ends (batch.finished). */
    private readonly webhooks: WebhookNotifier,
    /** A render batch's preset, resolved when it starts. */
    private readonly presets: Pick<PresetService, 'find'>,
  ) {}

  /**
   * Creates the batch and queues its work, or with `dryRun` only says what it would take.
   * @throws AppError BAD_USER_INPUT (selection, action, size), NOT_FOUND (ids not the owner's), MODEL_UNAVAILABLE, BUSY (too many open).
   */
  async start(input: StartBatchInput): Promise<BatchView> {
    if ((input.filter === undefined) === (input.assetIds === undefined)) {
      throw new AppError('BAD_USER_INPUT', 'Give either filter or assetIds', { details: { field: 'input' } });
    }
    const segment = input.action.kind === 'segment' ? this.segmentations.resolveModel(input.action.modelId) : undefined;
    const action: BatchAction =
      input.action.kind === 'segment' && segment
        ? { ...input.action, modelId: segment.modelId }
        : input.action.kind === 'render'
          ? await this.resolveRender(input.ownerId, input.action)
          : input.action;
    const ids = input.assetIds && [...new Set(input.assetIds)];
    if (ids) {
      const unknown = await this.batches.unknownAssets(input.ownerId, ids);
      if (unknown.length > 0) {
        throw new AppError('NOT_FOUND', `No asset with id ${unknown[0]}${unknown.length > 1 ? ` (and ${unknown.length - 1} more)` : ''}`, {
          details: { id: unknown[0] },
        });
      }
    }
    const assets = await this.batches.matchingAssets(
      input.ownerId,
      ids ? { ids } : { filter: input.filter! },
      segment && action.kind === 'segment' ? { modelId: segment.modelId, weightsSha256: segment.weightsSha256, mode: action.mode } : undefined,
    );
    if (assets.length > this.limits.maxAssets) {
      throw new AppError('BAD_USER_INPUT', `A batch takes at most ${this.limits.maxAssets} assets; this one matches ${assets.length}. Narrow the filter`, {
        details: { limit: this.limits.maxAssets, matched: assets.length },
      });
    }
    const now = new Date();
    // Counted before the insert, not atomically with it: parallel starts may pass the limit by a few.
    const open = input.dryRun ? 0 : await this.batches.countOpen(input.ownerId);
    if (open >= this.limits.maxOpenPerOwner) {
      throw new AppError('BUSY', `You have ${open} batches running or paused (the limit); let one finish or cancel it`, {
        details: { limit: this.limits.maxOpenPerOwner, scope: 'owner' },
      });
    }
    if (input.dryRun) {
      return {
        id: null,
        status: 'DRY_RUN',
        action,
        createdAt: now,
        finishedAt: null,
        counts: { total: assets.length, queued: assets.length, running: 0, succeeded: 0, failed: 0, skipped: 0 },
        throughput: null,
        etaSeconds: null,
        record: null,
      };
    }
    const rows =
      action.kind === 'segment'
        ? assets.map((asset) => ({
            ...this.segmentations.plan(input.ownerId, asset, action.modelId, action.refine),
            ...(action.reviewIfPriorityAbove === undefined ? {} : { reviewIfPriorityAbove: action.reviewIfPriorityAbove }),
          }))
        : undefined;
    const { batch, segmentationIds } = await this.batches.create(
      input.ownerId,
      action,
      assets.map((asset) => asset.id),
      rows,
    );
    await this.queueWork(batch, segmentationIds, input.requestId);
    return this.view(batch);
  }

  /** The preset's widths and formats a render batch takes. @throws AppError BAD_USER_INPUT naming the field. */
  private async resolveRender(ownerId: string, action: Extract<BatchAction, { kind: 'render' }>): Promise<BatchAction> {
    const preset = await this.presets.find(ownerId, action.preset);
    if (!preset) throw inputError('input.action.render.preset', 'a built-in preset or one of yours', action.preset);
    const stray = action.widths?.find((width) => !preset.widths.includes(width));
    if (stray !== undefined) throw inputError('input.action.render.widths', `widths of preset ${preset.name} (${preset.widths.join(', ')})`, stray);
    const formats = action.formats ?? [formatStoredAhead(preset)];
    return { kind: 'render', preset: preset.name, widths: action.widths ? [...new Set(action.widths)] : preset.widths, formats: [...new Set(formats)] };
  }

  /** @throws AppError NOT_FOUND for an unknown id or another owner's. */
  async get(ownerId: string, id: string): Promise<BatchView> {
    return this.view(await this.owned(ownerId, id));
  }

  async list(ownerId: string, options: { status?: BatchStatus | 'PENDING'; first: number; after?: string }): Promise<BatchView[]> {
    const { status, first } = options;
    if (status !== 'PENDING' && status !== 'RUNNING')
      return Promise.all((await this.batches.list(ownerId, { ...options, status })).map((batch) => this.view(batch)));
    // Which running batches have started shows only in their counts. An owner has about
    // `maxOpenPerOwner` open at most (parallel starts may pass it by a few), so all of them are
    // read and the page is cut from the views.
    const running = await this.batches.list(ownerId, { ...options, status: 'RUNNING', first: Math.max(100, 2 * this.limits.maxOpenPerOwner) });
    return (await Promise.all(running.map((batch) => this.view(batch)))).filter((view) => view.status === status).slice(0, first);
  }

  async items(ownerId: string, id: string, options: { status?: BatchItemStatus; first: number; after?: string }): Promise<BatchItemView[]> {
    return this.batches.items(await this.owned(ownerId, id), options);
  }

  /**
   * The batch now, then whenever its status or counts change (looked at twice a second, so
   * any process's progress shows), ending once it is finished or cancelled and settled.
   * @throws AppError NOT_FOUND (before the first yield).
   */
  async *updates(ownerId: string, id: string): AsyncGenerator<BatchView> {
    let view = await this.get(ownerId, id);
    yield view;
    while (view.status === 'RUNNING' || view.status === 'PAUSED' || (view.status === 'CANCELLED' && view.counts.running > 0)) {
      await new Promise((resolve) => setTimeout(resolve, UPDATE_INTERVAL_MS));
      const next = await this.get(ownerId, id);
      if (next.status !== view.status || JSON.stringify(next.counts) !== JSON.stringify(view.counts)) yield next;
      view = next;
    }
  }

  /** No new run starts; running ones finish. @throws AppError FAILED_PRECONDITION unless RUNNING. */
  async pause(ownerId: string, id: string): Promise<BatchView> {
    const batch = await this.owned(ownerId, id);
    if (!(await this.batches.transition(batch.id, ['RUNNING'], 'PAUSED'))) throw notIn(batch, 'RUNNING', 'paused');
    // Their jobs go; the rows stay QUEUED for the resume (a job fetched meanwhile sees the pause).
    if (isSegmentBatch(batch)) await this.queues.segment.dropWaiting(await this.batches.segmentationIds(batch.id, 'QUEUED'));
    return this.get(ownerId, id);
  }

  /** @throws AppError FAILED_PRECONDITION unless PAUSED. */
  async resume(ownerId: string, id: string): Promise<BatchView> {
    const batch = await this.owned(ownerId, id);
    if (!(await this.batches.transition(batch.id, ['PAUSED'], 'RUNNING', { resumedAt: new Date() }))) throw notIn(batch, 'PAUSED', 'resumed');
    await this.queueWork(batch, isSegmentBatch(batch) ? await this.batches.segmentationIds(batch.id, 'QUEUED') : []);
    await this.settle(batch.id);
    return this.get(ownerId, id);
  }

  /** Waiting work is dropped, running work finishes. @throws AppError FAILED_PRECONDITION once finished. */
  async cancel(ownerId: string, id: string): Promise<BatchView> {
    const batch = await this.owned(ownerId, id);
    const finishedAt = new Date();
    if (!(await this.batches.transition(batch.id, OPEN, 'CANCELLED', { finishedAt }))) throw notIn(batch, 'RUNNING or PAUSED', 'cancelled');
    if (isSegmentBatch(batch)) {
      await this.queues.segment.dropWaiting(await this.batches.segmentationIds(batch.id, 'QUEUED'));
      await this.batches.cancelQueuedSegmentations(batch.id);
    } else {
      await this.batches.moveItems(batch.id, ['QUEUED'], 'CANCELLED');
    }
    await this.batches.touch(batch.id);
    const view = await this.get(ownerId, id);
    await this.announceEnd(batch, 'CANCELLED', view.counts, finishedAt);
    return view;
  }

  /**
   * Runs the failed items again (with `failedOnly: false` also the cancelled ones).
   * @throws AppError FAILED_PRECONDITION while the batch runs or is paused.
   */
  async retry(ownerId: string, id: string, failedOnly: boolean): Promise<BatchView> {
    const batch = await this.owned(ownerId, id);
    const from: BatchStatus[] = ['SUCCEEDED', 'FAILED', 'CANCELLED'];
    if (!from.includes(batch.status)) throw notIn(batch, 'SUCCEEDED, FAILED or CANCELLED', 'retried');
    let again: string[] = [];
    if (isSegmentBatch(batch)) {
      again = await this.batches.segmentationIds(batch.id, 'FAILED', { includeCancelled: !failedOnly });
      if (again.length === 0) return this.view(batch);
      await this.batches.resetSegmentations(again);
    } else if ((await this.batches.moveItems(batch.id, failedOnly ? ['FAILED'] : ['FAILED', 'CANCELLED'], 'QUEUED')) === 0) {
      return this.view(batch);
    }
    await this.batches.transition(batch.id, from, 'RUNNING', { resumedAt: new Date(), finishedAt: null });
    await this.queueWork(batch, again);
    return this.get(ownerId, id);
  }

  async hold(batchId: string): Promise<'run' | 'pause' | 'cancel'> {
    const batch = await this.batches.findById(batchId);
    if (batch?.status === 'PAUSED') return 'pause';
    if (batch?.status === 'CANCELLED') return 'cancel';
    return 'run';
  }

  async settle(batchId: string): Promise<void> {
    const batch = await this.batches.findById(batchId);
    if (batch?.status !== 'RUNNING') return;
    const counts = await this.batches.counts(batch);
    if (counts.queued + counts.running > 0) return;
    const status = counts.failed > 0 ? 'FAILED' : 'SUCCEEDED';
    const finishedAt = new Date();
    if (await this.batches.transition(batch.id, ['RUNNING'], status, { finishedAt })) await this.announceEnd(batch, status, counts, finishedAt);
  }

  private announceEnd(batch: BatchRecord, status: BatchStatus, counts: BatchCounts, finishedAt: Date): Promise<void> {
    return this.webhooks.emit(batch.ownerId, 'batch.finished', `${batch.id}:${finishedAt.toISOString()}`, {
      batch: { id: batch.id, status, kind: (batch.action as { kind: string }).kind, counts, finishedAt: finishedAt.toISOString() },
    });
  }

  private async queueWork(batch: BatchRecord, segmentationIds: string[], requestId?: string): Promise<void> {
    if (batch.total === 0) return;
    if (isSegmentBatch(batch)) await this.queues.segment.sendMany(segmentationIds, { priority: 'batch', ownerId: batch.ownerId, requestId });
    else await this.queues.batch.requeue(batch.id, { priority: 'batch', ownerId: batch.ownerId, requestId });
  }

  private async owned(ownerId: string, id: string): Promise<BatchRecord> {
    const batch = await this.batches.findOwned(ownerId, id);
    if (!batch) throw new AppError('NOT_FOUND', `No batch with id ${id}`, { details: { id } });
    return batch;
  }

  private async view(read: BatchRecord): Promise<BatchView> {
    let batch = read;
    let counts = await this.batches.counts(batch);
    // Nothing left to run, yet no run ended it (its last waiting runs went with their assets): it ends now.
    if (batch.status === 'RUNNING' && counts.queued + counts.running === 0) {
      await this.settle(batch.id);
      batch = (await this.batches.findById(batch.id)) ?? batch;
      counts = await this.batches.counts(batch);
    }
    const finished = counts.succeeded + counts.failed;
    const seconds = ((batch.finishedAt ?? new Date()).getTime() - batch.resumedAt.getTime()) / 1000;
    const done = await this.batches.finishedSince(batch, batch.resumedAt);
    const throughput = done > 0 && seconds > 0 ? done / seconds : null;
    const left = counts.queued + counts.running;
    const pending = batch.status === 'RUNNING' && counts.total > 0 && counts.queued === counts.total;
    return {
      id: batch.id,
      status: pending ? 'PENDING' : batch.status,
      action: batch.action as unknown as BatchAction,
      createdAt: batch.createdAt,
      finishedAt: batch.finishedAt,
      counts,
      throughput: throughput === null ? null : Math.round(throughput * 1000) / 1000,
      etaSeconds: left === 0 ? (finished > 0 ? 0 : null) : throughput && batch.status === 'RUNNING' ? Math.ceil(left / throughput) : null,
      record: batch,
    };
  }
}

function notIn(batch: BatchRecord, expected: string, verb: string): AppError {
  return new AppError('FAILED_PRECONDITION', `Batch ${batch.id} is ${batch.status}; only a batch that is ${expected} can be ${verb}`, {
    details: { status: batch.status },
  });
}
