/**
 * Runs segmentation models off the event loop. onnxruntime's `session.run` blocks its
 * thread for the whole run (seconds), so every run happens on an inference thread
 * (inference-worker.ts, a ModelRunner each): one thread per concurrent run, each with its
 * own sessions, so ORT's threads and sharp's never oversubscribe the cores and the event
 * loop keeps serving queries, health checks and the job queue.
 */
import { Worker } from 'node:worker_threads';
import { AppError, type ErrorCode } from '../errors.js';
import { Semaphore } from '../lib/semaphore.js';
import type { InferenceRequest } from './inference-worker.js';
import type { RunnerOptions, SegmentationOutput } from './model-runner.js';
import type { ModelRegistry } from './registry.js';

export { normalisePrediction, SUBJECT_THRESHOLD, type SegmentationOutput, type StageTimings } from './model-runner.js';

export interface EngineOptions extends RunnerOptions {
  /** Runs at once across all models (one inference thread each). */
  maxConcurrentRuns: number;
}

type RequestBody = InferenceRequest extends infer R ? (R extends { id: number; kind: 'segment' | 'warmUp' } ? Omit<R, 'id'> : never) : never;

interface Reply {
  id: number;
  result?: unknown;
  error?: { message: string; code: ErrorCode | undefined; details: Record<string, unknown> | undefined };
}

/** One inference thread, started on first use; unreferenced while idle so it never keeps the process alive. */
class InferenceThread {
  private worker: Worker | undefined;
  private nextId = 0;
  private readonly pending = new Map<number, { resolve: (result: unknown) => void; reject: (error: Error) => void }>();

  constructor(private readonly options: RunnerOptions) {}

  private start(): Worker {
    const worker = new Worker(new URL('./inference-worker.mjs', import.meta.url), { workerData: this.options });
    worker.on('message', (reply: Reply) => {
      const waiting = this.pending.get(reply.id);
      this.pending.delete(reply.id);
      if (reply.error) waiting?.reject(reply.error.code ? new AppError(reply.error.code, reply.error.message, { details: reply.error.details }) : new Error(reply.error.message));
      else waiting?.resolve(reply.result);
      if (this.pending.size === 0) worker.unref();
    });
    worker.on('error', (error) => {
      for (const waiting of this.pending.values()) waiting.reject(new AppError('INFERENCE_FAILED', `The inference thread failed: ${error.message}`, { cause: error }));
      this.pending.clear();
      this.worker = undefined;
    });
    return worker;
  }

  private readonly inFlight = new Set<Promise<unknown>>();

  request<T>(body: RequestBody | 'close'): Promise<T> {
    this.worker ??= this.start();
    const id = this.nextId++;
    const message = body === 'close' ? { kind: 'close', id } : { ...body, id };
    const reply = new Promise<T>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (result: unknown) => void, reject });
      this.worker!.ref();
      this.worker!.postMessage(message);
    });
    const settled = reply.then(() => {}, () => {});
    this.inFlight.add(settled);
    void settled.finally(() => this.inFlight.delete(settled));
    return reply;
  }

  /**
   * Lets runs in flight end (a native run must not be torn down mid-way: onnxruntime aborts
   * the process), releases the sessions, then stops the thread.
   */
  async close(): Promise<void> {
    if (!this.worker) return;
    await Promise.allSettled([...this.inFlight]);
    await this.request('close' as const).catch(() => {});
    await this.worker?.terminate();
    this.worker = undefined;
  }
}

function withTimeout<T>(work: Promise<T>, timeoutMs: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new AppError('INFERENCE_FAILED', `The segmentation did not finish within ${timeoutMs} ms`, { details: { timeoutMs } })), timeoutMs);
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

export class InferenceEngine {
  private readonly runs: Semaphore;
  private readonly threads: InferenceThread[];
  /** Threads not running anything now; a run takes one for its whole duration. */
  private readonly idle: InferenceThread[];

  constructor(
    readonly registry: ModelRegistry,
    private readonly options: EngineOptions,
  ) {
    this.runs = new Semaphore(options.maxConcurrentRuns);
    this.threads = Array.from({ length: options.maxConcurrentRuns }, () => new InferenceThread({ intraOpThreads: options.intraOpThreads, executionProvider: options.executionProvider }));
    this.idle = [...this.threads];
  }

  get executionProvider(): string {
    return this.options.executionProvider;
  }

  private onThread<T>(work: (thread: InferenceThread) => Promise<T>): Promise<T> {
    return this.runs.run(async () => {
      const thread = this.idle.pop()!;
      try {
        return await work(thread);
      } finally {
        this.idle.push(thread);
      }
    });
  }

  /** Loads a model on every inference thread and runs it twice there: the first runs after loading are slow. */
  async warmUp(modelId: string): Promise<void> {
    const entry = this.registry.require(modelId);
    await Promise.all(this.threads.map(() => this.onThread((thread) => thread.request<void>({ kind: 'warmUp', entry }))));
  }

  /**
   * Segments a photo (encoded bytes) with a model. `timeoutMs` counts from the moment the
   * run starts, not from the wait for a free thread, so one slow run never makes the runs
   * queued behind it time out. A run that times out cannot be cancelled inside onnxruntime:
   * it keeps its thread until it ends, so runs never oversubscribe the cores.
   * @throws AppError BAD_USER_INPUT / MODEL_UNAVAILABLE from the registry, INFERENCE_FAILED when the run fails or times out.
   */
  async segment(modelId: string, photo: Buffer, options: { timeoutMs?: number } = {}): Promise<SegmentationOutput> {
    const entry = this.registry.require(modelId);
    let markStarted = () => {};
    const started = new Promise<void>((resolve) => (markStarted = resolve));
    const run = this.onThread((thread) => {
      markStarted();
      return thread.request<SegmentationOutput>({ kind: 'segment', entry, photo });
    });
    if (options.timeoutMs === undefined) return run;
    run.catch(() => {}); // after a timeout, its eventual failure has no one to tell
    await started;
    return withTimeout(run, options.timeoutMs);
  }

  async close(): Promise<void> {
    await Promise.all(this.threads.map((thread) => thread.close()));
  }
}
