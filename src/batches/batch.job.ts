/**
 * The batch job of tag and delete batches (a segment batch's work is its segmentations'
 * jobs): takes the batch's waiting items a chunk at a time, and looks at the batch's status
 * before each chunk, so a pause or cancel stops it within one chunk. A stopping worker ends
 * after the chunk in hand; the job runs again elsewhere and carries on from the items left.
 */
import type { AssetService } from '../assets/asset.service.js';
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
  logger: Logger;
}

export function createBatchHandler(deps: BatchJobDeps): (job: QueuedJob) => Promise<void> {
  return async ({ id, delivery, signal }) => {
    // An earlier delivery died in the middle of a chunk: its items are taken again (both actions are idempotent).
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
      } else {
        deps.logger.error('batch job for a segment batch: nothing to do', { id });
        return;
      }
      await deps.batches.touch(id);
    }
  };
}
