/**
 * Worker-thread side of RefineThread. A `guide` message starts decoding a photo and keeps it
 * under its key; a `refine` message refines a mask with that guide and drops it; `release`
 * drops a guide that will not be used (the model failed).
 */
import { parentPort } from 'node:worker_threads';
import { serialiseError } from '../lib/thread-client.js';
import { lowerThisThreadsPriority } from '../lib/thread-priority.js';
import { checkGuideSize, decodeGuide, refineMask, type RefineInput } from './refine-mask.js';

export type RefineRequest =
  { kind: 'guide'; key: number; photo: Uint8Array } | ({ kind: 'refine'; key: number } & Omit<RefineInput, 'rgb'>) | { kind: 'release'; key: number };

type Guide = Awaited<ReturnType<typeof decodeGuide>>;
const guides = new Map<number, Promise<Guide>>();

async function answer(request: RefineRequest & { id: number }): Promise<{ result: unknown; transfer?: ArrayBuffer[] }> {
  switch (request.kind) {
    case 'guide': {
      const { photo } = request;
      const decoding = decodeGuide(Buffer.from(photo.buffer, photo.byteOffset, photo.byteLength));
      decoding.catch(() => {}); // reported to whoever refines with it
      guides.set(request.key, decoding);
      await decoding;
      return { result: null };
    }
    case 'refine': {
      const { kind: _kind, key, id: _id, ...input } = request;
      const decoding = guides.get(key);
      guides.delete(key);
      if (!decoding) throw new Error(`no guide ${key}`);
      const guide = await decoding;
      checkGuideSize(guide, input.width, input.height);
      const result = await refineMask({ ...input, rgb: guide.rgb });
      // The refined mask (a fresh array) moves to the caller instead of being copied.
      return { result, transfer: [result.mask.buffer as ArrayBuffer] };
    }
    case 'release':
      guides.delete(request.key);
      return { result: null };
  }
}

lowerThisThreadsPriority();
parentPort!.on('message', (request: RefineRequest & { id: number }) => {
  answer(request).then(
    ({ result, transfer }) => parentPort!.postMessage({ id: request.id, result }, transfer ?? []),
    (error: unknown) => parentPort!.postMessage({ id: request.id, error: serialiseError(error) }),
  );
});
