/**
 * The calling side of a worker thread that answers numbered requests: used by the
 * inference threads, the render threads and the metrics thread. The thread starts on first
 * use and is unreferenced while idle, so it never keeps the process alive; errors cross as
 * `{ message, code, details }` and come back as AppError when they had a code.
 */
import { Worker } from 'node:worker_threads';
import { AppError, isAppError, type ErrorCode } from '../errors.js';

export interface SerialisedError {
  message: string;
  code: ErrorCode | undefined;
  details: Record<string, unknown> | undefined;
}

/** For the thread's side: what to post back when a request failed. */
export function serialiseError(error: unknown): SerialisedError {
  return {
    message: error instanceof Error ? error.message : String(error),
    code: isAppError(error) ? error.code : undefined,
    details: isAppError(error) ? error.details : undefined,
  };
}

interface Reply {
  id: number;
  result?: unknown;
  error?: SerialisedError;
}

/** libvips's thread count for every thread started from now on (see thread-entry.mjs). */
let imageConcurrency: number | undefined;

/** Called once with SHARP_CONCURRENCY where the image library is configured (src/assets/image.ts). */
export function setThreadImageConcurrency(threadsPerOperation: number): void {
  imageConcurrency = threadsPerOperation;
}

export class ThreadClient<Request extends object> {
  private worker: Worker | undefined;
  private nextId = 0;
  private readonly pending = new Map<number, { resolve: (result: unknown) => void; reject: (error: Error) => void }>();

  /** `entry`: the thread's .mjs entry; `workerData`: what it reads at start. */
  constructor(
    private readonly entry: URL,
    private readonly workerData?: unknown,
  ) {}

  /** Requests waiting for their answer. */
  get busy(): number {
    return this.pending.size;
  }

  private start(): Worker {
    // The thread's own data under `options`; `imageConcurrency` is read by thread-entry.mjs.
    const worker = new Worker(this.entry, { workerData: { options: this.workerData, imageConcurrency } });
    worker.on('message', (reply: Reply) => {
      const waiting = this.pending.get(reply.id);
      this.pending.delete(reply.id);
      if (reply.error)
        waiting?.reject(
          reply.error.code ? new AppError(reply.error.code, reply.error.message, { details: reply.error.details }) : new Error(reply.error.message),
        );
      else waiting?.resolve(reply.result);
      if (this.pending.size === 0) worker.unref();
    });
    worker.on('error', (error) => {
      for (const waiting of this.pending.values()) waiting.reject(error);
      this.pending.clear();
      this.worker = undefined;
    });
    return worker;
  }

  private readonly inFlight = new Set<Promise<unknown>>();

  request<T>(body: Request): Promise<T> {
    this.worker ??= this.start();
    const id = this.nextId++;
    const reply = new Promise<T>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (result: unknown) => void, reject });
      this.worker!.ref();
      this.worker!.postMessage({ ...body, id });
    });
    const settled = reply.catch(() => {});
    this.inFlight.add(settled);
    void settled.finally(() => this.inFlight.delete(settled));
    return reply;
  }

  get started(): boolean {
    return this.worker !== undefined;
  }

  /** Resolves once every request sent so far has its answer. */
  async drain(): Promise<void> {
    await Promise.allSettled([...this.inFlight]);
  }

  async terminate(): Promise<void> {
    await this.worker?.terminate();
    this.worker = undefined;
  }
}
