/**
 * The calling side of a worker that answers numbered requests: used by the inference
 * workers, the render threads and the metrics threads. The worker starts on first use and is
 * unreferenced while idle, so it never keeps the process alive; errors cross as
 * `{ message, code, details }` and come back as AppError when they had a code.
 *
 * Isolation 'thread' (a worker thread) or 'process' (a forked child process, for native code
 * that cannot be interrupted: onnxruntime aborts the whole process when it exits during a
 * run, so a run that must stop is stopped by killing its child).
 */
import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { AppError, isAppError, type ErrorCode } from '../errors.js';
import { CHILD_DATA_VARIABLE } from './worker-host.js';

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

/** A worker thread or a child process, behind the few calls ThreadClient needs. */
interface Runner {
  post(message: unknown): void;
  ref(): void;
  unref(): void;
  /** Ends it now, in-flight work included. */
  kill(): Promise<void>;
}

export type Isolation = 'thread' | 'process';

export class ThreadClient<Request extends object> {
  private worker: Runner | undefined;
  private nextId = 0;
  private readonly pending = new Map<number, { resolve: (result: unknown) => void; reject: (error: Error) => void }>();

  /** `entry`: the worker's .mjs entry; `workerData`: what it reads at start. */
  constructor(
    private readonly entry: URL,
    private readonly workerData?: unknown,
    private readonly isolation: Isolation = 'thread',
  ) {}

  /** Requests waiting for their answer. */
  get busy(): number {
    return this.pending.size;
  }

  private receive(reply: Reply): void {
    const waiting = this.pending.get(reply.id);
    this.pending.delete(reply.id);
    if (reply.error)
      waiting?.reject(
        reply.error.code ? new AppError(reply.error.code, reply.error.message, { details: reply.error.details }) : new Error(reply.error.message),
      );
    else waiting?.resolve(reply.result);
    if (this.pending.size === 0) this.worker?.unref();
  }

  private failAll(error: Error): void {
    for (const waiting of this.pending.values()) waiting.reject(error);
    this.pending.clear();
    this.worker = undefined;
  }

  private start(): Runner {
    // The worker's own data under `options`; `imageConcurrency` is read by thread-entry.mjs.
    const data = { options: this.workerData, imageConcurrency };
    return this.isolation === 'process' ? this.startProcess(data) : this.startThread(data);
  }

  private startThread(data: unknown): Runner {
    const worker = new Worker(this.entry, { workerData: data });
    worker.on('message', (reply: Reply) => this.receive(reply));
    worker.on('error', (error) => this.failAll(error));
    return {
      post: (message) => worker.postMessage(message),
      ref: () => worker.ref(),
      unref: () => worker.unref(),
      kill: async () => void (await worker.terminate()),
    };
  }

  private startProcess(data: unknown): Runner {
    const child: ChildProcess = fork(fileURLToPath(this.entry), [], {
      serialization: 'advanced', // typed arrays cross as they are
      env: { ...process.env, [CHILD_DATA_VARIABLE]: JSON.stringify(data) },
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.on('message', (reply: Reply) => this.receive(reply));
    child.once('exit', (code, signal) => {
      if (this.worker === runner) this.failAll(new Error(`The worker process ended (${signal ?? `exit code ${code}`})`));
    });
    const runner: Runner = {
      post: (message) => child.send(message as object),
      ref: () => {
        child.ref();
        child.channel?.ref();
      },
      unref: () => {
        child.unref();
        child.channel?.unref();
      },
      kill: async () => {
        child.ref(); // an unreferenced child's exit would not keep this process waiting for it
        if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
        await exited;
      },
    };
    return runner;
  }

  private readonly inFlight = new Set<Promise<unknown>>();

  request<T>(body: Request): Promise<T> {
    this.worker ??= this.start();
    const id = this.nextId++;
    const reply = new Promise<T>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (result: unknown) => void, reject });
      this.worker!.ref();
      this.worker!.post({ ...body, id });
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

  /** Ends the worker now; requests in flight fail. The next request starts a new one. */
  async terminate(): Promise<void> {
    const worker = this.worker;
    this.worker = undefined;
    await worker?.kill();
    for (const waiting of this.pending.values()) waiting.reject(new Error('The worker was stopped'));
    this.pending.clear();
  }
}
