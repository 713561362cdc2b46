/** Worker-thread side of RenderPool: one full render (decode, compose, encode) per message. */
import { lowerThisThreadsPriority } from '../lib/thread-priority.js';
import { parentPort } from 'node:worker_threads';
import { serialiseError } from '../lib/thread-client.js';
import { renderEffect } from './render.js';
import type { EffectSpec, OutputSpec } from './spec.js';

export interface RenderRequest {
  id: number;
  effect: EffectSpec;
  output: OutputSpec;
  photo: Uint8Array;
  mask: Uint8Array;
  width: number;
  height: number;
  background: Uint8Array | undefined;
  groundTruth: Uint8Array | undefined;
}

lowerThisThreadsPriority();
parentPort!.on('message', (request: RenderRequest) => {
  const asBuffer = (bytes: Uint8Array) => Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const extras = { backgroundPhoto: request.background && asBuffer(request.background), groundTruth: request.groundTruth && asBuffer(request.groundTruth) };
  renderEffect(request.effect, request.output, asBuffer(request.photo), asBuffer(request.mask), request.width, request.height, extras).then(
    (rendered) => {
      const bytes = new Uint8Array(rendered.bytes.buffer, rendered.bytes.byteOffset, rendered.bytes.byteLength);
      parentPort!.postMessage({ id: request.id, result: { ...rendered, bytes } });
    },
    (error: unknown) => parentPort!.postMessage({ id: request.id, error: serialiseError(error) }),
  );
});
