/**
 * Runs mask scoring on a worker thread, so a large mask (HCE takes ~0.6 s at 2048²) never
 * stalls the server's event loop. One worker, started on first use; requests queue in order.
 */
import { Worker } from 'node:worker_threads';
import type { ImageScore } from './score-files.js';

export type MaskScore = Omit<ImageScore, 'name'>;

export class MetricsWorker {
  private worker: Worker | undefined;
  private nextId = 0;
  private readonly pending = new Map<number, { resolve: (score: MaskScore) => void; reject: (error: Error) => void }>();

  private start(): Worker {
    const worker = new Worker(new URL('./metrics-worker.mjs', import.meta.url));
    worker.on('message', (message: { id: number; score?: MaskScore; error?: string }) => {
      const waiting = this.pending.get(message.id);
      this.pending.delete(message.id);
      if (message.error !== undefined) waiting?.reject(new Error(message.error));
      else waiting?.resolve(message.score!);
      // An idle worker must not keep the process alive.
      if (this.pending.size === 0) worker.unref();
    });
    worker.on('error', (error) => {
      for (const waiting of this.pending.values()) waiting.reject(error);
      this.pending.clear();
      this.worker = undefined;
    });
    return worker;
  }

  /** Scores an 8-bit prediction against an 8-bit ground truth of the same size. */
  score(gt: Uint8Array, pred: Uint8Array, width: number, height: number): Promise<MaskScore> {
    this.worker ??= this.start();
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.worker!.ref();
      this.worker!.postMessage({ id, gt, pred, width, height });
    });
  }

  async close(): Promise<void> {
    await this.worker?.terminate();
    this.worker = undefined;
  }
}
