/** Inference-thread side of InferenceEngine: a ModelRunner answering one request at a time. */
import { lowerThisThreadsPriority } from '../lib/thread-priority.js';
import { parentPort, workerData } from 'node:worker_threads';
import { serialiseError } from '../lib/thread-client.js';
import { ModelRunner, type RunnerOptions } from './model-runner.js';
import type { ModelEntry } from './registry.js';

export type InferenceRequest =
  | { id: number; kind: 'segment'; entry: ModelEntry; photo: Uint8Array }
  | { id: number; kind: 'warmUp'; entry: ModelEntry }
  | { id: number; kind: 'unload'; modelId: string }
  | { id: number; kind: 'close' };

lowerThisThreadsPriority();
const runner = new ModelRunner((workerData as { options: RunnerOptions }).options);

parentPort!.on('message', (request: InferenceRequest) => {
  const work =
    request.kind === 'close'
      ? runner.close()
      : request.kind === 'unload'
        ? runner.unload(request.modelId)
        : request.kind === 'warmUp'
          ? runner.warmUp(request.entry)
          : runner.segment(request.entry, Buffer.from(request.photo.buffer, request.photo.byteOffset, request.photo.byteLength));
  work.then(
    (result) => parentPort!.postMessage({ id: request.id, result }),
    (error: unknown) => parentPort!.postMessage({ id: request.id, error: serialiseError(error) }),
  );
});
