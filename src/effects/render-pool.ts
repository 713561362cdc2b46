/**
 * Full renders on worker threads: the per-pixel composition of an effect never runs on the
 * event loop, so queries, health checks and subscriptions keep answering while the big
 * pictures render. One thread per concurrent render (MAX_CONCURRENT_RENDERS), each started
 * on first use. Preset images and image summaries run on the same threads.
 */
import { ThreadClient } from '../lib/thread-client.js';
import type { RenderExtras } from './kinds/effect-kind.js';
import type { RenderedImage } from './render.js';
import type { ImageRenderSpec } from './render-image.js';
import type { RenderRequest } from './render-worker.js';
import type { EffectSpec, OutputSpec } from './spec.js';
import type { ImageSummary } from './summarise.js';

type WithoutId<T> = T extends unknown ? Omit<T, 'id'> : never;

export class RenderPool {
  private readonly threads: ThreadClient<WithoutId<RenderRequest>>[];

  constructor(size: number) {
    this.threads = Array.from({ length: Math.max(1, size) }, () => new ThreadClient(new URL('./render-worker.mjs', import.meta.url)));
  }

  /** On the least busy thread (callers already bound how many renders run at once). */
  private leastBusy(): ThreadClient<WithoutId<RenderRequest>> {
    return this.threads.reduce((best, candidate) => (candidate.busy < best.busy ? candidate : best));
  }

  private async rendered(request: WithoutId<RenderRequest>): Promise<RenderedImage> {
    const rendered = await this.leastBusy().request<Omit<RenderedImage, 'bytes'> & { bytes: Uint8Array }>(request);
    return { ...rendered, bytes: Buffer.from(rendered.bytes.buffer, rendered.bytes.byteOffset, rendered.bytes.byteLength) };
  }

  render(effect: EffectSpec, output: OutputSpec, photo: Buffer, mask: Buffer, width: number, height: number, extras: RenderExtras): Promise<RenderedImage> {
    return this.rendered({
      op: 'effect',
      effect,
      output,
      photo,
      mask,
      width,
      height,
      background: extras.backgroundPhoto,
      groundTruth: extras.groundTruth,
    });
  }

  /** A preset's image: a crop of the photo (or of an effect), at one width. */
  renderImage(spec: ImageRenderSpec, photo: Buffer, mask: Buffer | undefined, width: number, height: number): Promise<RenderedImage> {
    return this.rendered({ op: 'image', spec, photo, mask, width, height });
  }

  /** The placeholder and colours of a photo and its mask. */
  summarise(photo: Buffer, mask: Buffer | undefined): Promise<ImageSummary> {
    return this.leastBusy().request<ImageSummary>({ op: 'summary', photo, mask });
  }

  async close(): Promise<void> {
    await Promise.all(this.threads.map((thread) => thread.terminate()));
  }
}
