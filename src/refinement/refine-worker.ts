/** Worker-thread side of RefineThread: one mask refined per message. */
import { parentPort } from 'node:worker_threads';
import { serialiseError } from '../lib/thread-client.js';
import { lowerThisThreadsPriority } from '../lib/thread-priority.js';
import { refineMask, type RefineInput } from './refine-mask.js';

export type RefineRequest = { id: number } & Omit<RefineInput, 'rgb'> & { rgb: Uint8Array };

lowerThisThreadsPriority();
parentPort!.on('message', (request: RefineRequest) => {
  const rgb = Buffer.from(request.rgb.buffer, request.rgb.byteOffset, request.rgb.byteLength);
  refineMask({ ...request, rgb }).then(
    (result) => parentPort!.postMessage({ id: request.id, result }),
    (error: unknown) => parentPort!.postMessage({ id: request.id, error: serialiseError(error) }),
  );
});
