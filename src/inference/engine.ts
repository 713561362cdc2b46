/**
 * Runs segmentation models off the event loop. onnxruntime's `session.run` blocks for the
 * whole run (seconds), so every run happens in an inference worker, a child process
 * (inference-worker.ts, a ModelRunner each; see InferenceWorker for why a process): one per
 * concurrent run, each with its own sessions, so ORT's threads and sharp's never
 * oversubscribe the cores and the event loop keeps serving queries, health checks and the
 * job queue.
 *
 * Models load on demand: a worker loads a model on its first run there, a run goes to an
 * idle worker that has its model when there is one, and a model nobody ran for
 * `idleUnloadSeconds` is released (preloaded ones stay). What each worker holds, and the
 * last load's time, is kept here for /metrics.
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
  /** Release a model no run used for this long (0: never). */
  idleUnloadSeconds?: number;
}

/** A model's state in this process, for /metrics. */
export interface ModelResidency {
  modelId: string;
  /** Inference threads holding it now. */
  threads: number;
  /** Loads so far, on all threads. */
  loads: number;
  /** The last load's time, in seconds. */
  lastLoadSeconds: number | undefined;
}

type RequestBody = InferenceRequest extends infer R ? (R extends { id: number } ? Omit<R, 'id'> : never) : never;

/**
 * One inference worker: a ModelRunner with its own sessions, in a child process of its own.
 * onnxruntime cannot interrupt a run, and a process that exits (or a thread that is
 * terminated) during one dies of a native abort; a child process can simply be killed, so
 * a run that timed out or outlives a shutdown ends at once and frees its slot.
 */
class InferenceWorker {
  private readonly thread: ThreadClient<RequestBody>;
  /** Models loaded on this worker, with their last use (performance.now()). */
  readonly models = new Map<string, number>();

  constructor(options: RunnerOptions) {
    this.thread = new ThreadClient(new URL('./inference-worker.mjs', import.meta.url), options, 'process');
  }

  request<T>(body: RequestBody): Promise<T> {
    return this.thread.request<T>(body);
  }

  /** Ends the worker and whatever it runs; the next request starts a fresh one. */
  async kill(): Promise<void> {
    this.models.clear();
    await this.thread.terminate();
  }

  /** Releases the sessions and stops the worker; a run still going is ended with it. */
  async close(): Promise<void> {
    if (!this.thread.started) return;
    if (this.thread.busy === 0) await this.thread.request({ kind: 'close' }).catch(() => {});
    await this.kill();
  }
}

/** `work`, or INFERENCE_FAILED after `timeoutMs`, when `onTimeout` has run (it ends the work). */
async function withTimeout<T>(work: Promise<T>, timeoutMs: number, onTimeout: () => Promise<void>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<'timeout'>((resolve) => (timer = setTimeout(() => resolve('timeout'), timeoutMs)));
  try {
    const first = await Promise.race([work, timeout]);
    if (first !== 'timeout') return first;
    work.catch(() => {}); // it fails as its worker is killed: nobody waits for it any more
    await onTimeout();
    throw new AppError('INFERENCE_FAILED', `The segmentation did not finish within ${timeoutMs} ms`, { details: { timeoutMs } });
  } finally {
    clearTimeout(timer);
  }
}

export class InferenceEngine {
  private readonly runs: Semaphore;
  private readonly threads: InferenceWorker[];
  /** Threads not running anything now; a run takes one for its whole duration. */
  private readonly idle: InferenceWorker[];
  /** Models warmed up at start: never released for idleness. */
  private readonly pinned = new Set<string>();
  private readonly loads = new Map<string, { count: number; lastSeconds: number }>();
  private readonly unloadTimer: NodeJS.Timeout | undefined;

  constructor(
    readonly registry: ModelRegistry,
    private readonly options: EngineOptions,
  ) {
    this.runs = new Semaphore(options.maxConcurrentRuns);
    this.threads = Array.from(
      { length: options.maxConcurrentRuns },
      () => new InferenceWorker({ intraOpThreads: options.intraOpThreads, executionProvider: options.executionProvider }),
    );
    this.idle = [...this.threads];
    const idleSeconds = options.idleUnloadSeconds ?? 0;
    if (idleSeconds > 0) {
      this.unloadTimer = setInterval(() => void this.unloadIdle(idleSeconds * 1000), Math.max(250, Math.min(30_000, (idleSeconds * 1000) / 4)));
      this.unloadTimer.unref();
    }
  }

  /** Each model that was ever loaded here: on how many threads now, loads so far, the last load's time. */
  residency(): ModelResidency[] {
    return [...this.loads].map(([modelId, loads]) => ({
      modelId,
      threads: this.threads.filter((thread) => thread.models.has(modelId)).length,
      loads: loads.count,
      lastLoadSeconds: loads.lastSeconds,
    }));
  }

  /** Releases models idle for `idleMs` on threads not running anything now. */
  private async unloadIdle(idleMs: number): Promise<void> {
    const now = performance.now();
    for (const thread of [...this.idle]) {
      for (const [modelId, lastUsed] of thread.models) {
        if (this.pinned.has(modelId) || now - lastUsed < idleMs || !this.idle.includes(thread)) continue;
        // The thread may take a run meanwhile; the runner refuses to release a model under a run.
        if (await thread.request<boolean>({ kind: 'unload', modelId }).catch(() => false)) thread.models.delete(modelId);
      }
    }
  }

  private noteUse(thread: InferenceWorker, modelId: string, loadMs: number | undefined): void {
    thread.models.set(modelId, performance.now());
    if (loadMs === undefined) return;
    const loads = this.loads.get(modelId) ?? { count: 0, lastSeconds: 0 };
    this.loads.set(modelId, { count: loads.count + 1, lastSeconds: loadMs / 1000 });
  }

  get executionProvider(): string {
    return this.options.executionProvider;
  }

  /** On an idle thread, one holding `modelId` when there is one (so a model loads on as few threads as runs need). */
  private onThread<T>(modelId: string | undefined, work: (thread: InferenceWorker) => Promise<T>): Promise<T> {
    return this.runs.run(async () => {
      const holding = modelId === undefined ? -1 : this.idle.findIndex((thread) => thread.models.has(modelId));
      const thread = this.idle.splice(holding === -1 ? this.idle.length - 1 : holding, 1)[0]!;
      try {
        return await work(thread);
      } finally {
        this.idle.push(thread);
      }
    });
  }

  /** Loads a model on every inference thread and runs it twice there (the first runs after loading are slow); it then stays loaded. */
  async warmUp(modelId: string): Promise<void> {
    const entry = this.registry.require(modelId);
    this.pinned.add(modelId);
    await Promise.all(
      this.threads.map(() =>
        this.onThread(undefined, async (thread) => {
          this.noteUse(thread, modelId, await thread.request<number | undefined>({ kind: 'warmUp', entry }));
        }),
      ),
    );
  }

  /**
   * Segments a photo (encoded bytes) with a model. `timeoutMs` counts from the moment the
   * run starts, not from the wait for a free worker, so one slow run never makes the runs
   * queued behind it time out. A run that times out is ended with its worker (a child
   * process), which frees the slot at once; the next run there starts a fresh one.
   * @throws AppError BAD_USER_INPUT / MODEL_UNAVAILABLE from the registry, INFERENCE_FAILED when the run fails or times out.
   */
  segment(modelId: string, photo: Buffer, options: { timeoutMs?: number } = {}): Promise<SegmentationOutput> {
    const entry = this.registry.require(modelId);
    return this.onThread(modelId, async (thread) => {
      const request = thread.request<SegmentationOutput>({ kind: 'segment', entry, photo });
      const output = options.timeoutMs === undefined ? await request : await withTimeout(request, options.timeoutMs, () => thread.kill());
      this.noteUse(thread, modelId, output.timings.modelLoadMs);
      return output;
    });
  }

  /** Ends every run in flight at once (their callers get INFERENCE_FAILED): for a shutdown that cannot wait for them. */
  async abortRuns(): Promise<void> {
    await Promise.all(this.threads.filter((thread) => !this.idle.includes(thread)).map((thread) => thread.kill()));
  }

  async close(): Promise<void> {
    clearInterval(this.unloadTimer);
    await Promise.all(this.threads.map((thread) => thread.close()));
  }
}
