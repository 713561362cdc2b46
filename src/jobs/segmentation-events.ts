/**
 * Status changes of job-like records (segmentations, evaluations) inside this process, for
 * subscriptions and `wait: true`. A Redis pub/sub can stand behind the same methods when
 * workers run elsewhere.
 */
import { EventEmitter } from 'node:events';
import type { SegmentationRecord } from '../storage/records.js';

interface JobLike {
  id: string;
  status: 'QUEUED' | 'RUNNING' | 'SUCCEEDED' | 'FAILED';
}

export const isFinal = (record: JobLike) => record.status === 'SUCCEEDED' || record.status === 'FAILED';

export class JobEvents<T extends JobLike> {
  private readonly emitter = new EventEmitter();

  constructor() {
    this.emitter.setMaxListeners(0); // one listener per open subscription
  }

  publish(record: T): void {
    this.emitter.emit(record.id, record);
  }

  subscribe(id: string, listener: (record: T) => void): () => void {
    this.emitter.on(id, listener);
    return () => this.emitter.off(id, listener);
  }

  /** Resolves with the first final state published within `timeoutMs`, else undefined. */
  waitForFinal(id: string, timeoutMs: number): Promise<T | undefined> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        unsubscribe();
        resolve(undefined);
      }, timeoutMs);
      const unsubscribe = this.subscribe(id, (record) => {
        if (!isFinal(record)) return;
        clearTimeout(timer);
        unsubscribe();
        resolve(record);
      });
    });
  }

  /**
   * `current()`'s state, then each published change, ending after a final state.
   * Subscribes before reading, so no change falls between the two.
   */
  async *follow(id: string, current: () => Promise<T>): AsyncGenerator<T> {
    const pending: T[] = [];
    let wake: (() => void) | undefined;
    const unsubscribe = this.subscribe(id, (record) => {
      pending.push(record);
      wake?.();
    });
    try {
      const now = await current();
      yield now;
      if (isFinal(now)) return;
      for (;;) {
        while (pending.length === 0) await new Promise<void>((resolve) => (wake = resolve));
        const next = pending.shift()!;
        yield next;
        if (isFinal(next)) return;
      }
    } finally {
      unsubscribe();
    }
  }
}

export class SegmentationEvents extends JobEvents<SegmentationRecord> {}
