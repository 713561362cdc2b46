/**
 * The batch job of tag, delete and render batches (a segment batch's work is its segmentations'
 * jobs): takes the batch's waiting items a chunk at a time, and looks at the batch's status
 * before each chunk, so a pause or cancel stops it within one chunk. A stopping worker ends
 * after the chunk in hand; the job runs again elsewhere and carries on from the items left.
 */
import type { AssetService } from '../assets/asset.service.js';
import type { ImageService } from '../images/image.service.js';
import type { PresetService } from '../images/preset.service.js';
import { isAppError } from '../errors.js';
import type { QueuedJob } from '../jobs/job-queue.js';
import type { Logger } from '../lib/logger.js';
import type { BatchRepository } from '../storage/repositories/batch.repository.js';
import type { BatchGate } from '../segmentations/segment-mask.job.js';
import type { BatchAction } from './batch.service.js';

/** Items per chunk: a pause waits for at most this many. */
const CHUNK = 50;

export interface BatchJobDeps {
  batches: BatchRepository;
  gate: BatchGate;
  assets: AssetService;
  /** Render batches: the preset, and the images rendered on this worker. */
  presets: Pick<PresetService, 'find'>;
  images: Pick<ImageService, 'warm'>;
  logger: Logger;
}

/** A render batch's chunk: each asset's images of the preset, rendered unless stored. */
async function renderItems(
  deps: BatchJobDeps,
  ownerId: string,
  action: Extract<BatchAction, { kind: 'render' }>,
  items: { id: string; assetId: string }[],
): Promise<{ id: string; status: 'SUCCEEDED' | 'SKIPPED' | 'FAILED'; errorCode?: string; errorMessage?: string }[]> {
  const preset = await deps.presets.find(ownerId, action.preset);
  const results = [];
  for (const item of items) {
    const asset = await deps.assets.findById(item.assetId);
    if (!asset || !preset) {
      const why = !asset ? 'The asset was deleted meanwhile' : `Preset ${action.preset} was deleted meanwhile`;
      results.push({ id: item.id, status: 'SKIPPED' as const, errorCode: 'NOT_FOUND', errorMessage: why });
      continue;
    }
    try {
      const rendered = await deps.images.warm(asset, preset, action.widths ?? preset.widths, action.formats ?? []);
      results.push(
        rendered
          ? { id: item.id, status: 'SUCCEEDED' as const }
          : {
              id: item.id,
              status: 'SKIPPED' as const,
              errorCode: 'FAILED_PRECONDITION',
              errorMessage: `Preset ${preset.name} needs a mask: segment the asset first`,
            },
      );
    } catch (error) {
      if (!isAppError(error)) deps.logger.warn('render batch item failed', { assetId: item.assetId, error });
      const code = isAppError(error) ? error.code : 'INTERNAL_SERVER_ERROR';
      results.push({
        id: item.id,
        status: 'FAILED' as const,
        errorCode: code,
        errorMessage: isAppError(error) ? error.message : 'The image could not be rendered',
      });
    }
  }
  return results;
}

export function createBatchHandler(deps: BatchJobDeps): (job: QueuedJob) => Promise<void> {
  return async ({ id, delivery, signal }) => {
    // An earlier delivery died in the middle of a chunk: its items are taken again (every action is idempotent).
    if (delivery > 1) await deps.batches.moveItems(id, ['RUNNING'], 'QUEUED');
    while (!signal.aborted) {
      const batch = await deps.batches.findById(id);
      if (batch?.status !== 'RUNNING') return; // paused, cancelled, finished or deleted
      const items = await deps.batches.queuedItems(id, CHUNK);
      if (items.length === 0) return void (await deps.gate.settle(id));
      await deps.batches.startItems(items.map((item) => item.id));
      const action = batch.action as unknown as BatchAction;
      if (action.kind === 'tag') {
        await deps.batches.retag(
          batch.ownerId,
          items.map((item) => item.assetId),
          action.add,
          action.remove,
        );
        await deps.batches.finishItems(items.map((item) => ({ id: item.id, status: 'SUCCEEDED' })));
      } else if (action.kind === 'delete') {
        const results = [];
        for (const item of items) {
          try {
            await deps.assets.delete(batch.ownerId, item.assetId);
            results.push({ id: item.id, status: 'SUCCEEDED' as const });
          } catch (error) {
            if (!isAppError(error)) throw error;
            // Deleted meanwhile: nothing left to do for it.
            results.push(
              error.code === 'NOT_FOUND'
                ? { id: item.id, status: 'SKIPPED' as const, errorCode: error.code, errorMessage: error.message }
                : { id: item.id, status: 'FAILED' as const, errorCode: error.code, errorMessage: error.message },
            );
          }
        }
        await deps.batches.finishItems(results);
      } else if (action.kind === 'render') {
        await deps.batches.finishItems(await renderItems(deps, batch.ownerId, action, items));
      } else {
        deps.logger.error('batch job for a segment batch: nothing to do', { id });
        return;
      }
      await deps.batches.touch(id);
    }
  };
}
