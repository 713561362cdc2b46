/**
 * Status changes of job-like records (segmentations, evaluations) for subscriptions and
 * `wait: true`, whichever process made them. Changes travel over the event bus as ids;
 * each process re-reads a changed row once for all its local followers, one read at a time
 * per id so a slow read never overtakes a newer one.
 */
import { EventEmitter } from 'node:events';
import { AppError } from '../errors.js';
import type { BusMessage, EventBus, EventTopic } from './event-bus.js';
import type { Logger } from '../lib/logger.js';
import type { SegmentationRecord } from '../storage/records.js';

interface JobLike {
  id: string;
  status: 'QUEUED' | 'RUNNING' | 'SUCCEEDED' | 'FAILED';
  progress: number;
}

const goneEvent = (id: string) => `${id}:gone`;

export const isFinal = (record: { status: string }) => record.status === 'SUCCEEDED' || record.status === 'FAILED';

export class JobEvents<T extends JobLike> {
  private readonly emitter = new EventEmitter();
  private readonly reads = new Map<string, Promise<void>>();

  constructor(
    private readonly topic: EventTopic,
    private readonly bus: EventBus,
    /** The row as it is now; null once deleted. */
    private readonly load: (id: string) => Promise<T | null>,
    private readonly logger: Logger,
    /** When a follower has seen everything: a final state, or for segmentations also the review priority that comes after it. */
    private readonly settled: (record: T) => boolean = isFinal,
  ) {
    this.emitter.setMaxListeners(0); // one listener per open subscription
    bus.subscribe(
      (message) => this.receive(message),
      () => {
        for (const id of this.emitter.eventNames()) if (typeof id === 'string' && !id.endsWith(':gone')) this.refresh(id);
      },
    );
  }

  /** Tells every process that `record` changed. Never throws: a lost message only delays followers. */
  async publish(record: Pick<T, 'id' | 'status'> | null): Promise<void> {
    if (!record) return;
    await this.bus.publish({ topic: this.topic, id: record.id, status: record.status }).catch((error: unknown) => {
      this.logger.warn('event publish failed', { id: record.id, error });
    });
  }

  /** The record no longer exists (deleted with its asset): followers end with NOT_FOUND, waiters stop waiting. */
  async gone(id: string): Promise<void> {
    await this.bus.publish({ topic: this.topic, id, gone: true }).catch((error: unknown) => {
      this.logger.warn('event publish failed', { id, error });
    });
  }

  private receive(message: BusMessage): void {
    if (message.topic !== this.topic) return;
    if (message.gone) this.emitter.emit(goneEvent(message.id));
    else this.refresh(message.id);
  }

  /** Re-reads a followed row and hands it to its local followers. */
  private refresh(id: string): void {
    if (this.emitter.listenerCount(id) === 0 && this.emitter.listenerCount(goneEvent(id)) === 0) return;
    const previous = this.reads.get(id) ?? Promise.resolve();
    const read = previous.then(async () => {
      const record = await this.load(id).catch((error: unknown) => {
        this.logger.warn('event re-read failed', { id, error });
        return undefined;
      });
      if (record === null) this.emitter.emit(goneEvent(id));
      else if (record) this.emitter.emit(id, record);
    });
    this.reads.set(id, read);
    void read.finally(() => {
      if (this.reads.get(id) === read) this.reads.delete(id);
    });
  }

  private onGone(id: string, listener: () => void): () => void {
    this.emitter.once(goneEvent(id), listener);
    return () => this.emitter.off(goneEvent(id), listener);
  }

  /** Listeners for changes of rows (subscriptions and waits), for /metrics. */
  get followers(): number {
    return this.emitter.eventNames().reduce((sum, name) => sum + (String(name).endsWith(':gone') ? 0 : this.emitter.listenerCount(name)), 0);
  }

  subscribe(id: string, listener: (record: T) => void): () => void {
    this.emitter.on(id, listener);
    return () => this.emitter.off(id, listener);
  }

  /** Resolves with the first final state seen within `timeoutMs`, else undefined. */
  waitForFinal(id: string, timeoutMs: number): Promise<T | undefined> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => finish(undefined), timeoutMs);
      const finish = (record: T | undefined) => {
        clearTimeout(timer);
        unsubscribe();
        stopGone();
        resolve(record);
      };
      const unsubscribe = this.subscribe(id, (record) => {
        if (isFinal(record)) finish(record);
      });
      const stopGone = this.onGone(id, () => finish(undefined));
    });
  }

  /**
   * `current()`'s state, then each change, ending once settled (a final state, and whatever
   * follows it for this kind of record). Subscribes before reading, so no change falls
   * between the two; a re-read that shows nothing new is skipped, and changes that arrive
   * while the consumer is busy are coalesced: it gets the latest (states only move forward).
   *
   * A plain generator waiting for the next change cannot be stopped until one arrives
   * (`return()` waits for a `yield`), so a subscription the client completed would keep its
   * listener until its row next changed. This iterator's `return()` ends the wait at once.
   */
  follow(id: string, current: () => Promise<T>): AsyncIterableIterator<T> {
    const control: { closed: boolean; wake: (() => void) | undefined } = { closed: false, wake: undefined };
    const changes = this.changes(id, current, control);
    const close = () => {
      control.closed = true;
      control.wake?.();
    };
    return {
      next: () => changes.next(),
      return: (value?: unknown) => {
        close();
        return changes.return(value as undefined);
      },
      throw: (error?: unknown) => {
        close();
        return changes.throw(error);
      },
      [Symbol.asyncIterator]() {
        return this;
      },
    };
  }

  private async *changes(id: string, current: () => Promise<T>, control: { closed: boolean; wake: (() => void) | undefined }): AsyncGenerator<T, undefined> {
    let latest: T | undefined;
    let deleted = false;
    const unsubscribe = this.subscribe(id, (record) => {
      latest = record;
      control.wake?.();
    });
    const stopGone = this.onGone(id, () => {
      deleted = true;
      control.wake?.();
    });
    try {
      let last = await current();
      yield last;
      if (this.settled(last)) return;
      for (;;) {
        while (latest === undefined && !deleted && !control.closed) await new Promise<void>((resolve) => (control.wake = resolve));
        if (control.closed) return;
        if (latest === undefined) throw new AppError('NOT_FOUND', `${id} was deleted with its asset`, { details: { id } });
        const next: T = latest;
        latest = undefined;
        if (next.status === last.status && next.progress === last.progress && this.settled(next) === this.settled(last)) continue;
        last = next;
        yield next;
        if (this.settled(next)) return;
      }
    } finally {
      unsubscribe();
      stopGone();
    }
  }
}

/** A segmentation's followers also see its review priority arrive, in one more event after SUCCEEDED. */
export class SegmentationEvents extends JobEvents<SegmentationRecord> {
  constructor(topic: EventTopic, bus: EventBus, load: (id: string) => Promise<SegmentationRecord | null>, logger: Logger) {
    super(topic, bus, load, logger, (record) => isFinal(record) && !record.reviewPriorityPending);
  }
}
