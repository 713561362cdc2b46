/**
 * Runs segmentation models off the event loop. onnxruntime's `session.run` blocks its
 * thread for the whole run (seconds), so every run happens on an inference thread
 * (inference-worker.ts, a ModelRunner each): one thread per concurrent run, each with its
 * own sessions, so ORT's threads and sharp's never oversubscribe the cores and the event
 * loop keeps serving queries, health checks and the job queue.
 */
import { AppError } from '../errors.js';
import { ThreadClient } from '../lib/thread-client.js';
import { Semaphore } from '../lib/semaphore.js';
import type { InferenceRequest } from './inference-worker.js';
import type { RunnerOptions, SegmentationOutput } from './model-runner.js';
import type { ModelRegistry } from './registry.js';

export { normalisePrediction, SUBJECT_THRESHOLD, type SegmentationOutput, type StageTimings } from './model-runner.js';

export interface EngineOptions extends RunnerOptions {
  /** Runs at once across all models (one inference thread each). */
  maxConcurrentRuns: number;
}

type RequestBody = InferenceRequest extends infer R ? (R extends { id: number } ? Omit<R, 'id'> : never) : never;

/** One inference thread: a ModelRunner with its own sessions. */
class InferenceThread {
  private readonly thread: ThreadClient<RequestBody>;

  constructor(options: RunnerOptions) {
    this.thread = new ThreadClient(new URL('./inference-worker.mjs', import.meta.url), options);
  }

  request<T>(body: RequestBody): Promise<T> {
    return this.thread.request<T>(body);
  }

  /**
   * Lets runs in flight end (a native run must not be torn down mid-way: onnxruntime aborts
   * the process), releases the sessions, then stops the thread.
   */
  async close(): Promise<void> {
    if (!this.thread.started) return;
    await this.thread.drain();
    await this.thread.request({ kind: 'close' }).catch(() => {});
    await this.thread.terminate();
  }
}

function withTimeout<T>(work: Promise<T>, timeoutMs: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new AppError('INFERENCE_FAILED', `The segmentation did not finish within ${timeoutMs} ms`, { details: { timeoutMs } })),
      timeoutMs,
    );
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
    this.threads = Array.from(
      { length: options.maxConcurrentRuns },
      () => new InferenceThread({ intraOpThreads: options.intraOpThreads, executionProvider: options.executionProvider }),
    );
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
