/**
 * Runs mask scoring on a worker thread, so a large mask (HCE takes ~0.6 s at 2048²) never
 * stalls the server's event loop. One worker, started on first use; requests queue in order.
 */
import { Worker } from 'node:worker_threads';
import type { MaskEstimates } from './mask-estimates.js';
import type { WorkerRequest } from './metrics-worker.js';
import type { ImageScore } from './score-files.js';

export type MaskScore = Omit<ImageScore, 'name'> & { fmCurve: number[]; emCurve: number[] };
export type MaskEstimate = MaskEstimates & { disagreementHce: number | undefined };

type Pending = { resolve: (result: unknown) => void; reject: (error: Error) => void };
type RequestBody = WorkerRequest extends infer R ? (R extends { id: number } ? Omit<R, 'id'> : never) : never;

export class MetricsWorker {
  private worker: Worker | undefined;
  private nextId = 0;
  private readonly pending = new Map<number, Pending>();

  private start(): Worker {
    const worker = new Worker(new URL('./metrics-worker.mjs', import.meta.url));
    worker.on('message', (message: { id: number; result?: unknown; error?: string }) => {
      const waiting = this.pending.get(message.id);
      this.pending.delete(message.id);
      if (message.error !== undefined) waiting?.reject(new Error(message.error));
      else waiting?.resolve(message.result);
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

  private request<T>(body: RequestBody): Promise<T> {
    this.worker ??= this.start();
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (result: unknown) => void, reject });
      this.worker!.ref();
      this.worker!.postMessage({ ...body, id });
    });
  }

  /** Scores an 8-bit prediction against an 8-bit ground truth of the same size. */
  score(gt: Uint8Array, pred: Uint8Array, width: number, height: number): Promise<MaskScore> {
    return this.request({ kind: 'score', gt, pred, width, height });
  }

  /** Quality signals of a mask without ground truth; `reference` (another model's mask) adds their disagreement HCE. */
  estimate(mask: Uint8Array, reference: Uint8Array | undefined, width: number, height: number): Promise<MaskEstimate> {
    return this.request({ kind: 'estimate', mask, reference, width, height });
  }

  async close(): Promise<void> {
    await this.worker?.terminate();
    this.worker = undefined;
  }
}
