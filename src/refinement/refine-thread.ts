/**
 * Edge refinement on a worker thread: decoding the photo at full size and the guided filter
 * are per-pixel work (several hundred ms at 16 MP), which never runs on a worker's event
 * loop. The photo is decoded as the guide while the model runs (`guide()` before the model,
 * `refine()` after it), so only the band and the filter wait for the model's mask. The encoded
 * photo crosses, not its decoded pixels (48 MB at 16 MP). One thread, started on first use.
 */
import { ThreadClient } from '../lib/thread-client.js';
import type { RefineInput } from './refine-mask.js';
import type { RefineRequest } from './refine-worker.js';

export interface RefineGuide {
  /** Refines the model's mask of the photo with this guide (once). */
  refine(input: Omit<RefineInput, 'rgb'>): Promise<{ mask: Uint8Array; bandPixels: number }>;
  /** Frees the guide when no mask comes (the model failed); harmless after `refine`. */
  release(): void;
}

export class RefineThread {
  private readonly thread = new ThreadClient<RefineRequest>(new URL('./refine-worker.mjs', import.meta.url));
  private nextGuide = 0;

  /** Starts decoding `photo` as the filter's guide on the thread. */
  guide(photo: Buffer): RefineGuide {
    const id = this.nextGuide++;
    // Errors of the decode surface in `refine`.
    this.thread.request({ kind: 'guide', photo, key: id }).catch(() => {});
    return {
      refine: (input) => this.thread.request({ kind: 'refine', key: id, ...input }),
      release: () => void this.thread.request({ kind: 'release', key: id }).catch(() => {}),
    };
  }

  close(): Promise<void> {
    return this.thread.terminate();
  }
}
