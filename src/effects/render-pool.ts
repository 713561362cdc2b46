/**
 * Full renders on worker threads: the per-pixel composition of an effect never runs on the
 * event loop, so queries, health checks and subscriptions keep answering while the big
 * pictures render. One thread per concurrent render (MAX_CONCURRENT_RENDERS), each started
 * on first use.
 */
import { ThreadClient } from '../lib/thread-client.js';
import type { RenderExtras } from './kinds/effect-kind.js';
import type { RenderedImage } from './render.js';
import type { RenderRequest } from './render-worker.js';
import type { EffectSpec, OutputSpec } from './spec.js';

export class RenderPool {
  private readonly threads: ThreadClient<Omit<RenderRequest, 'id'>>[];

  constructor(size: number) {
    this.threads = Array.from({ length: Math.max(1, size) }, () => new ThreadClient(new URL('./render-worker.mjs', import.meta.url)));
  }

  /** On the least busy thread (callers already bound how many renders run at once). */
  async render(
    effect: EffectSpec,
    output: OutputSpec,
    photo: Buffer,
    mask: Buffer,
    width: number,
    height: number,
    extras: RenderExtras,
  ): Promise<RenderedImage> {
    const thread = this.threads.reduce((best, candidate) => (candidate.busy < best.busy ? candidate : best));
    const rendered = await thread.request<Omit<RenderedImage, 'bytes'> & { bytes: Uint8Array }>({
      effect,
      output,
      photo,
      mask,
      width,
      height,
      background: extras.backgroundPhoto,
      groundTruth: extras.groundTruth,
    });
    return { ...rendered, bytes: Buffer.from(rendered.bytes.buffer, rendered.bytes.byteOffset, rendered.bytes.byteLength) };
  }

  async close(): Promise<void> {
    await Promise.all(this.threads.map((thread) => thread.terminate()));
  }
}
