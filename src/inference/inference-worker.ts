/** Inference side of InferenceEngine (a child process, see engine.ts): a ModelRunner answering requests. */
import { lowerThisThreadsPriority } from '../lib/thread-priority.js';
import { serialiseError } from '../lib/thread-client.js';
import { host } from '../lib/worker-host.js';
import { ModelRunner, type RunnerOptions } from './model-runner.js';
import type { ModelEntry } from './registry.js';

export type InferenceRequest =
  | { id: number; kind: 'segment'; entry: ModelEntry; photo: Uint8Array }
  | { id: number; kind: 'warmUp'; entry: ModelEntry }
  | { id: number; kind: 'unload'; modelId: string }
  | { id: number; kind: 'close' };

lowerThisThreadsPriority();
const runner = new ModelRunner((host.data as { options: RunnerOptions }).options);

host.onMessage((request: InferenceRequest) => {
  const work =
    request.kind === 'close'
      ? runner.close()
      : request.kind === 'unload'
        ? runner.unload(request.modelId)
        : request.kind === 'warmUp'
          ? runner.warmUp(request.entry)
          : runner.segment(request.entry, Buffer.from(request.photo.buffer, request.photo.byteOffset, request.photo.byteLength));
  work.then(
    (result) => host.post({ id: request.id, result }),
    (error: unknown) => host.post({ id: request.id, error: serialiseError(error) }),
  );
});
