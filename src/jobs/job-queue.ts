/**
 * The job queue behind a small interface, so a Redis-backed queue shared by several
 * workers can replace it. Jobs are ids of database rows: the row is the durable state,
 * the queue only orders work in this process.
 */
import { AppError } from '../errors.js';

export interface JobQueue {
  /** @throws AppError BUSY when the queue is full; the caller should retry later. */
  enqueue(id: string): void;
  /** @throws AppError BUSY when an enqueue now would be refused. */
  assertCapacity(): void;
  /** Queues a row accepted before (recovery at start-up): never refused for capacity, its row exists already. */
  requeue(id: string): void;
  /** Starts `concurrency` workers that call `handler` for each id. */
  start(handler: (id: string) => Promise<void>): void;
  /** Stops taking jobs; resolves when the running ones have finished. Queued ids stay in their rows. */
  stop(): Promise<void>;
  readonly waiting: number;
  readonly running: number;
}

export class InProcessJobQueue implements JobQueue {
  private readonly queue: string[] = [];
  private readonly inFlight = new Set<Promise<void>>();
  private handler: ((id: string) => Promise<void>) | undefined;
  private stopped = false;

  constructor(
    private readonly concurrency: number,
    private readonly capacity: number,
    private readonly onError: (id: string, error: unknown) => void,
  ) {}

  get waiting(): number {
    return this.queue.length;
  }

  get running(): number {
    return this.inFlight.size;
  }

  enqueue(id: string): void {
    this.assertCapacity();
    this.queue.push(id);
    this.pump();
  }

  requeue(id: string): void {
    this.queue.push(id);
    this.pump();
  }

  assertCapacity(): void {
    if (this.stopped) throw new AppError('BUSY', 'The gateway is shutting down; retry on another instance or later');
    if (this.queue.length >= this.capacity) {
      throw new AppError('BUSY', `The job queue is full (${this.capacity} waiting); retry later`, { details: { capacity: this.capacity } });
    }
  }

  start(handler: (id: string) => Promise<void>): void {
    this.handler = handler;
    this.pump();
  }

  private pump(): void {
    while (this.handler && !this.stopped && this.inFlight.size < this.concurrency && this.queue.length > 0) {
      const id = this.queue.shift()!;
      const run: Promise<void> = this.handler(id)
        .catch((error: unknown) => this.onError(id, error))
        .finally(() => {
          this.inFlight.delete(run);
          this.pump();
        });
      this.inFlight.add(run);
    }
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.queue.length = 0;
    await Promise.all([...this.inFlight]);
  }
}
