/**
 * Status changes of job-like records (segmentations, evaluations) inside this process, for
 * subscriptions and `wait: true`. A Redis pub/sub can stand behind the same methods when
 * workers run elsewhere.
 */
import { EventEmitter } from 'node:events';
import { AppError } from '../errors.js';
import type { SegmentationRecord } from '../storage/records.js';

interface JobLike {
  id: string;
  status: 'QUEUED' | 'RUNNING' | 'SUCCEEDED' | 'FAILED';
}

const goneEvent = (id: string) => `${id}:gone`;

export const isFinal = (record: JobLike) => record.status === 'SUCCEEDED' || record.status === 'FAILED';

export class JobEvents<T extends JobLike> {
  private readonly emitter = new EventEmitter();

  constructor() {
    this.emitter.setMaxListeners(0); // one listener per open subscription
  }

  publish(record: T): void {
    this.emitter.emit(record.id, record);
  }

  /** The record no longer exists (deleted with its asset): followers end with NOT_FOUND, waiters stop waiting. */
  gone(id: string): void {
    this.emitter.emit(goneEvent(id));
  }

  private onGone(id: string, listener: () => void): () => void {
    this.emitter.once(goneEvent(id), listener);
    return () => this.emitter.off(goneEvent(id), listener);
  }

  subscribe(id: string, listener: (record: T) => void): () => void {
    this.emitter.on(id, listener);
    return () => this.emitter.off(id, listener);
  }

  /** Resolves with the first final state published within `timeoutMs`, else undefined. */
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
   * `current()`'s state, then each published change, ending after a final state.
   * Subscribes before reading, so no change falls between the two.
   */
  async *follow(id: string, current: () => Promise<T>): AsyncGenerator<T> {
    const pending: T[] = [];
    let wake: (() => void) | undefined;
    let deleted = false;
    const unsubscribe = this.subscribe(id, (record) => {
      pending.push(record);
      wake?.();
    });
    const stopGone = this.onGone(id, () => {
      deleted = true;
      wake?.();
    });
    try {
      const now = await current();
      yield now;
      if (isFinal(now)) return;
      for (;;) {
        while (pending.length === 0 && !deleted) await new Promise<void>((resolve) => (wake = resolve));
        if (pending.length === 0) throw new AppError('NOT_FOUND', `${id} was deleted with its asset`, { details: { id } });
        const next = pending.shift()!;
        yield next;
        if (isFinal(next)) return;
      }
    } finally {
      unsubscribe();
      stopGone();
    }
  }
}

export class SegmentationEvents extends JobEvents<SegmentationRecord> {}
