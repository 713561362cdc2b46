/**
 * Edge refinement on a worker thread: the guided filter is per-pixel work (a few hundred ms
 * at 16 MP), which never runs on a worker's event loop. One thread, started on first use;
 * requests queue in order.
 */
import { ThreadClient } from '../lib/thread-client.js';
import type { RefineInput } from './refine-mask.js';
import type { RefineRequest } from './refine-worker.js';

export class RefineThread {
  private readonly thread = new ThreadClient<Omit<RefineRequest, 'id'>>(new URL('./refine-worker.mjs', import.meta.url));

  refine(input: RefineInput): Promise<{ mask: Uint8Array; bandPixels: number }> {
    return this.thread.request(input);
  }

  close(): Promise<void> {
    return this.thread.terminate();
  }
}
