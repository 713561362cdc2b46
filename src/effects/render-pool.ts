/**
 * Full renders on worker threads: the per-pixel composition of an effect never runs on the
 * event loop, so queries, health checks and subscriptions keep answering while the big
 * pictures render. One thread per concurrent render (MAX_CONCURRENT_RENDERS), each started
 * on first use. Preset images and image summaries run on the same threads.
 */
import sharp from 'sharp';
import { ThreadClient } from '../lib/thread-client.js';
import type { RenderExtras } from './kinds/effect-kind.js';
import type { RenderedImage } from './render.js';
import type { ImageRenderSpec } from './render-image.js';
import type { RenderRequest } from './render-worker.js';
import type { EffectSpec, OutputSpec } from './spec.js';
import type { ImageSummary } from './summarise.js';
import type { ProxyImage, ProxyKind } from '../images/proxy-image.js';

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

  /** A request whose answer carries encoded bytes (they cross as a Uint8Array view). */
  private async withBytes<Answer extends { bytes: Buffer }>(request: WithoutId<RenderRequest>): Promise<Answer> {
    const answer = await this.leastBusy().request<Omit<Answer, 'bytes'> & { bytes: Uint8Array }>(request);
    return { ...answer, bytes: Buffer.from(answer.bytes.buffer, answer.bytes.byteOffset, answer.bytes.byteLength) } as Answer;
  }

  render(effect: EffectSpec, output: OutputSpec, photo: Buffer, mask: Buffer, width: number, height: number, extras: RenderExtras): Promise<RenderedImage> {
    return this.withBytes<RenderedImage>({
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
    return this.withBytes<RenderedImage>({ op: 'image', spec, photo, mask, width, height });
  }

  /** The placeholder and colours of a photo and its mask. */
  summarise(photo: Buffer, mask: Buffer | undefined): Promise<ImageSummary> {
    return this.leastBusy().request<ImageSummary>({ op: 'summary', photo, mask });
  }

  /** A preview proxy of a stored photo or mask (src/images/proxy-image.ts). */
  makeProxy(source: Buffer, kind: ProxyKind, size: { width: number; height: number }): Promise<ProxyImage> {
    return this.withBytes<ProxyImage>({ op: 'proxy', source, kind, size });
  }

  /**
   * Starts every thread and has each render every effect kind `rounds` times on a made-up
   * photo (src/effects/warm-up.ts), one thread after another; the slowest thread's time, in ms.
   */
  async warmUp(rounds: number): Promise<number> {
    let slowest = 0;
    for (const thread of this.threads) slowest = Math.max(slowest, await thread.request<number>({ op: 'warmUp', rounds }));
    return slowest;
  }

  /**
   * Memory the render threads hold apart from the main thread's: their V8 heaps (started
   * threads only) and what libvips tracks of its own allocations (its operation cache and
   * images in flight; process-wide, so read here). For /metrics, to tell a growing process's
   * JavaScript from its native memory.
   */
  async memory(): Promise<{ threadHeapUsedBytes: number; threadHeapTotalBytes: number; libvipsTrackedBytes: number }> {
    const heaps = await Promise.all(
      this.threads
        .filter((thread) => thread.started)
        .map((thread) => thread.request<{ heapUsedBytes: number; heapTotalBytes: number }>({ op: 'memory' }).catch(() => undefined)),
    );
    return {
      threadHeapUsedBytes: heaps.reduce((sum, heap) => sum + (heap?.heapUsedBytes ?? 0), 0),
      threadHeapTotalBytes: heaps.reduce((sum, heap) => sum + (heap?.heapTotalBytes ?? 0), 0),
      libvipsTrackedBytes: sharp.cache().memory.current * 1024 ** 2,
    };
  }

  async close(): Promise<void> {
    await Promise.all(this.threads.map((thread) => thread.terminate()));
  }
}
