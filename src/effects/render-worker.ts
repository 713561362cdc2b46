/**
 * Worker-thread side of RenderPool, one job per message: an effect (decode, compose,
 * encode), a preset's cropped image, an image's summary (placeholder and colours), a
 * preview proxy, or the thread's warm-up.
 */
import { lowerThisThreadsPriority } from '../lib/thread-priority.js';
import { getHeapStatistics } from 'node:v8';
import { parentPort } from 'node:worker_threads';
import { serialiseError } from '../lib/thread-client.js';
import { renderEffect } from './render.js';
import { renderImage, type ImageRenderSpec } from './render-image.js';
import type { EffectSpec, OutputSpec } from './spec.js';
import { summarise } from './summarise.js';
import { makeProxy, type ProxyKind } from '../images/proxy-image.js';
import { warmUp } from './warm-up.js';

export type RenderRequest = { id: number } & (
  | {
      op: 'effect';
      effect: EffectSpec;
      output: OutputSpec;
      photo: Uint8Array;
      mask: Uint8Array;
      width: number;
      height: number;
      background: Uint8Array | undefined;
      groundTruth: Uint8Array | undefined;
    }
  | { op: 'image'; spec: ImageRenderSpec; photo: Uint8Array; mask: Uint8Array | undefined; width: number; height: number }
  | { op: 'summary'; photo: Uint8Array; mask: Uint8Array | undefined }
  | { op: 'proxy'; source: Uint8Array; kind: ProxyKind; size: { width: number; height: number } }
  /** This thread's V8 heap (Node 20 has no `Worker.getHeapStatistics()`). */
  | { op: 'memory' }
  /** Every kind rendered `rounds` times on a made-up photo (src/effects/warm-up.ts). */
  | { op: 'warmUp'; rounds: number }
);

const asBuffer = (bytes: Uint8Array) => Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);

async function run(request: RenderRequest): Promise<unknown> {
  switch (request.op) {
    case 'effect': {
      const extras = { backgroundPhoto: request.background && asBuffer(request.background), groundTruth: request.groundTruth && asBuffer(request.groundTruth) };
      return renderEffect(request.effect, request.output, asBuffer(request.photo), asBuffer(request.mask), request.width, request.height, extras);
    }
    case 'image':
      return renderImage(request.spec, asBuffer(request.photo), request.mask && asBuffer(request.mask), request.width, request.height);
    case 'summary':
      return summarise(asBuffer(request.photo), request.mask && asBuffer(request.mask));
    case 'proxy':
      return makeProxy(asBuffer(request.source), request.kind, request.size);
    case 'warmUp':
      return warmUp(request.rounds);
    case 'memory': {
      const heap = getHeapStatistics();
      return { heapUsedBytes: heap.used_heap_size, heapTotalBytes: heap.total_heap_size };
    }
  }
}

lowerThisThreadsPriority();
parentPort!.on('message', (request: RenderRequest) => {
  run(request).then(
    (result) => {
      const rendered = result as { bytes?: Buffer };
      // Rendered bytes cross as a plain Uint8Array view (a Buffer would be copied as an object).
      const reply = rendered.bytes
        ? { ...rendered, bytes: new Uint8Array(rendered.bytes.buffer, rendered.bytes.byteOffset, rendered.bytes.byteLength) }
        : result;
      parentPort!.postMessage({ id: request.id, result: reply });
    },
    (error: unknown) => parentPort!.postMessage({ id: request.id, error: serialiseError(error) }),
  );
});
