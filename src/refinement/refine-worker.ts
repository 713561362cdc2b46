/** Worker-thread side of RefineThread: one photo decoded and its mask refined per message. */
import { parentPort } from 'node:worker_threads';
import { serialiseError } from '../lib/thread-client.js';
import { lowerThisThreadsPriority } from '../lib/thread-priority.js';
import { photoGuide, refineMask, type RefineInput } from './refine-mask.js';

/** The encoded photo (any format sharp reads) instead of its decoded pixels. */
export type RefineRequest = { id: number; photo: Uint8Array } & Omit<RefineInput, 'rgb'>;

lowerThisThreadsPriority();
parentPort!.on('message', ({ id, photo, ...input }: RefineRequest) => {
  photoGuide(Buffer.from(photo.buffer, photo.byteOffset, photo.byteLength), input.width, input.height)
    .then((rgb) => refineMask({ ...input, rgb }))
    .then(
      (result) => parentPort!.postMessage({ id, result }),
      (error: unknown) => parentPort!.postMessage({ id, error: serialiseError(error) }),
    );
});
