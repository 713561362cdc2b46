/**
 * Edge refinement on a worker thread: decoding the photo at full size and the guided filter
 * are per-pixel work (several hundred ms at 16 MP), which never runs on a worker's event
 * loop. The photo is decoded as the guide while the model runs, so only the band and the
 * filter wait for the model's mask. The encoded photo crosses, not its decoded pixels (48 MB
 * at 16 MP). One thread, started on first use.
 */
import { ThreadClient } from '../lib/thread-client.js';
import type { RefineRequest } from './refine-worker.js';

/** What a model run gives: the mask at the photo's size. */
interface ModelMask {
  mask: Uint8Array;
  width: number;
  height: number;
}

export class RefineThread {
  private readonly thread = new ThreadClient<RefineRequest>(new URL('./refine-worker.mjs', import.meta.url));
  private nextGuide = 0;

  /**
   * Runs the model (`segment`) on `photo` while the thread decodes the photo as the guide,
   * then refines the model's mask. Returns the model's output, the refined mask, and how long
   * the refinement kept the caller waiting after the model. A failed model run frees the guide.
   */
  async afterModel<Output extends ModelMask>(
    photo: Buffer,
    segment: () => Promise<Output>,
    modelInputSize: number,
  ): Promise<{ model: Output; refined: Uint8Array; refineMs: number }> {
    const key = this.nextGuide++;
    // Errors of the decode surface in the refine request.
    this.thread.request({ kind: 'guide', photo, key }).catch(() => {});
    let model: Output;
    try {
      model = await segment();
    } catch (error) {
      void this.thread.request({ kind: 'release', key }).catch(() => {});
      throw error;
    }
    const started = performance.now();
    const { mask } = await this.thread.request<{ mask: Uint8Array }>({
      kind: 'refine',
      key,
      mask: model.mask,
      width: model.width,
      height: model.height,
      modelInputSize,
    });
    return { model, refined: mask, refineMs: performance.now() - started };
  }

  close(): Promise<void> {
    return this.thread.terminate();
  }
}
