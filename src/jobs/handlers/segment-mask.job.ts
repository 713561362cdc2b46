/**
 * The segmentation job: claim the QUEUED row, run the model on the asset's bytes, store
 * the mask as an 8-bit grey PNG blob, record the result. Idempotent: a row that is no
 * longer QUEUED is left alone, and an identical run finished meanwhile is reused.
 */
import { isAppError } from '../../errors.js';
import type { InferenceEngine } from '../../inference/engine.js';
import { encodeMaskPng } from '../../inference/image-input.js';
import type { KeyedMutex } from '../../lib/keyed-mutex.js';
import type { Logger } from '../../lib/logger.js';
import { maskStats } from '../../segmentations/mask-stats.js';
import { reuseIdenticalRun } from '../../segmentations/reuse-identical-run.js';
import { readBlob, sha256Hex, type BlobStore } from '../../storage/blob-store.js';
import type { SegmentationRecord } from '../../storage/records.js';
import type { AssetRepository } from '../../storage/repositories/asset.repository.js';
import type { BlobReferenceRepository } from '../../storage/repositories/blob-reference.repository.js';
import type { SegmentationRepository } from '../../storage/repositories/segmentation.repository.js';
import type { SegmentationEvents } from '../segmentation-events.js';

export interface SegmentMaskDeps {
  segmentations: SegmentationRepository;
  assets: AssetRepository;
  references: BlobReferenceRepository;
  blobs: BlobStore;
  blobLocks: KeyedMutex;
  engine: InferenceEngine;
  events: SegmentationEvents;
  logger: Logger;
  jobTimeoutMs: number;
}

class JobTimeoutError extends Error {}

function withTimeout<T>(work: Promise<T>, timeoutMs: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new JobTimeoutError(`The segmentation did not finish within ${timeoutMs} ms`)), timeoutMs);
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}


export function createSegmentMaskHandler(deps: SegmentMaskDeps): (id: string) => Promise<void> {
  const { segmentations, events } = deps;
  const publish = (record: SegmentationRecord | null) => {
    if (record) events.publish(record);
  };

  return async (id) => {
    const row = await segmentations.findById(id);
    if (!row || row.status !== 'QUEUED') return;
    const startedAt = new Date();
    if (!(await segmentations.claim(id, startedAt))) return;
    publish(await segmentations.update(id, { queueWaitMs: startedAt.getTime() - row.createdAt.getTime() }));

    try {
      // An identical request may have finished while this one waited in the queue.
      const completed = await reuseIdenticalRun(deps, row, async (source) => {
        publish(await segmentations.completeFrom(id, source));
        return true;
      });
      if (completed) return;
      const asset = await deps.assets.findById(row.assetId);
      if (!asset) return; // deleted meanwhile; its rows went with it
      const photo = await readBlob(deps.blobs, asset.sha256);
      const output = await withTimeout(deps.engine.segment(row.modelId, photo), deps.jobTimeoutMs);
      publish(await segmentations.update(id, { progress: 0.9 }));

      const storeStarted = performance.now();
      const png = await encodeMaskPng(output.mask, output.width, output.height);
      const maskSha256 = sha256Hex(png);
      const stats = maskStats(output.mask, output.width, output.height);
      await deps.blobLocks.run(maskSha256, async () => {
        await deps.blobs.put(png);
        const updated = await segmentations.update(id, {
          status: 'SUCCEEDED', progress: 1, finishedAt: new Date(),
          preprocessMs: output.timings.preprocessMs, inferenceMs: output.timings.inferenceMs, postprocessMs: output.timings.postprocessMs,
          storeMs: performance.now() - storeStarted,
          maskSha256, maskWidth: output.width, maskHeight: output.height, maskByteSize: png.length,
          foregroundRatio: stats.foregroundRatio, subjectFound: output.subjectFound,
          bboxX: stats.boundingBox?.x ?? null, bboxY: stats.boundingBox?.y ?? null,
          bboxWidth: stats.boundingBox?.width ?? null, bboxHeight: stats.boundingBox?.height ?? null,
        });
        if (!updated && !(await deps.references.referenced([maskSha256])).has(maskSha256)) await deps.blobs.delete(maskSha256);
        publish(updated);
      });
    } catch (error) {
      const code = isAppError(error) ? error.code : 'INFERENCE_FAILED';
      const message = error instanceof JobTimeoutError || isAppError(error) ? error.message : 'The segmentation failed';
      if (!isAppError(error) && !(error instanceof JobTimeoutError)) deps.logger.error('segmentation job failed', { id, error });
      publish(await segmentations.update(id, { status: 'FAILED', errorCode: code, errorMessage: message, finishedAt: new Date() }));
    }
  };
}
