/**
 * Segmentation status changes inside this process, for subscriptions and `wait: true`.
 * A Redis pub/sub can stand behind the same two methods when workers run elsewhere.
 */
import { EventEmitter } from 'node:events';
import type { SegmentationRecord } from '../storage/records.js';

export const isFinal = (record: SegmentationRecord) => record.status === 'SUCCEEDED' || record.status === 'FAILED';

export class SegmentationEvents {
  private readonly emitter = new EventEmitter();

  constructor() {
    this.emitter.setMaxListeners(0); // one listener per open subscription
  }

  publish(record: SegmentationRecord): void {
    this.emitter.emit(record.id, record);
  }

  subscribe(id: string, listener: (record: SegmentationRecord) => void): () => void {
    this.emitter.on(id, listener);
    return () => this.emitter.off(id, listener);
  }

  /** Resolves with the first final state published within `timeoutMs`, else undefined. */
  waitForFinal(id: string, timeoutMs: number): Promise<SegmentationRecord | undefined> {
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
}
