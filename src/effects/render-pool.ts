/**
 * Full renders on worker threads: the per-pixel composition of an effect never runs on the
 * event loop, so queries, health checks and subscriptions keep answering while the big
 * pictures render. One thread per concurrent render (MAX_CONCURRENT_RENDERS), started on
 * first use and unreferenced when idle.
 */
import { Worker } from 'node:worker_threads';
import { AppError, type ErrorCode } from '../errors.js';
import type { RenderedImage } from './render.js';
import type { RenderRequest } from './render-worker.js';
import type { EffectSpec, OutputSpec } from './spec.js';

interface Pending {
  resolve: (image: RenderedImage) => void;
  reject: (error: Error) => void;
}

interface Slot {
  worker: Worker;
  pending: Map<number, Pending>;
}

interface WorkerReply {
  id: number;
  result?: Omit<RenderedImage, 'bytes'> & { bytes: Uint8Array };
  error?: { message: string; code: ErrorCode | undefined; details: Record<string, unknown> | undefined };
}

export class RenderPool {
  private readonly slots: (Slot | undefined)[];
  private nextId = 0;

  constructor(size: number) {
    this.slots = new Array<Slot | undefined>(Math.max(1, size)).fill(undefined);
  }

  private start(index: number): Slot {
    const worker = new Worker(new URL('./render-worker.mjs', import.meta.url));
    const slot: Slot = { worker, pending: new Map() };
    worker.on('message', (reply: WorkerReply) => {
      const waiting = slot.pending.get(reply.id);
      slot.pending.delete(reply.id);
      if (reply.error) waiting?.reject(reply.error.code ? new AppError(reply.error.code, reply.error.message, { details: reply.error.details }) : new Error(reply.error.message));
      else if (reply.result) waiting?.resolve({ ...reply.result, bytes: Buffer.from(reply.result.bytes.buffer, reply.result.bytes.byteOffset, reply.result.bytes.byteLength) });
      if (slot.pending.size === 0) worker.unref(); // an idle thread must not keep the process alive
    });
    worker.on('error', (error) => {
      for (const waiting of slot.pending.values()) waiting.reject(error);
      slot.pending.clear();
      this.slots[index] = undefined;
    });
    this.slots[index] = slot;
    return slot;
  }

  /** The least busy thread (callers already bound how many renders run at once). */
  private pick(): Slot {
    let best = -1;
    for (let index = 0; index < this.slots.length; index += 1) {
      const slot = this.slots[index];
      if (!slot) return this.start(index);
      if (best === -1 || slot.pending.size < this.slots[best]!.pending.size) best = index;
    }
    return this.slots[best]!;
  }

  render(effect: EffectSpec, output: OutputSpec, photo: Buffer, mask: Buffer, width: number, height: number, background: Buffer | undefined): Promise<RenderedImage> {
    const slot = this.pick();
    const id = this.nextId++;
    const request: RenderRequest = { id, effect, output, photo, mask, width, height, background };
    return new Promise((resolve, reject) => {
      slot.pending.set(id, { resolve, reject });
      slot.worker.ref();
      slot.worker.postMessage(request);
    });
  }

  async close(): Promise<void> {
    await Promise.all(this.slots.map((slot) => slot?.worker.terminate()));
    this.slots.fill(undefined);
  }
}
