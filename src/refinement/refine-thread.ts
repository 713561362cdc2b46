/**
 * Edge refinement on a worker thread: decoding the photo at full size and the guided filter
 * are per-pixel work (several hundred ms at 16 MP), which never runs on a worker's event
 * loop. The encoded photo crosses, not its decoded pixels (48 MB at 16 MP). One thread,
 * started on first use; requests queue in order.
 */
import { ThreadClient } from '../lib/thread-client.js';
import type { RefineRequest } from './refine-worker.js';

export type RefineJob = Omit<RefineRequest, 'id'>;

export class RefineThread {
  private readonly thread = new ThreadClient<RefineJob>(new URL('./refine-worker.mjs', import.meta.url));

  refine(job: RefineJob): Promise<{ mask: Uint8Array; bandPixels: number }> {
    return this.thread.request(job);
  }

  close(): Promise<void> {
    return this.thread.terminate();
  }
}
