/**
 * The work queues as a whole, for operators (`maskgraph queue status | pause | resume`).
 * pg-boss has no pause, so a pause is a row (QueueState) that every worker follows: told at
 * once through the queue's wake-up announcement, and looking again every few seconds, it
 * stops fetching jobs of a paused queue (running ones finish; one fetched just before the
 * pause arrived runs). Waiting jobs stay queued and new ones are still accepted. It survives
 * restarts of every process. Renders and review priorities are never paused: they answer
 * image requests and new masks, and cost little.
 */
import type { QueueStateRepository } from '../storage/repositories/queue-state.repository.js';
import type { JobQueue } from './job-queue.js';

export interface QueueStatus {
  queue: string;
  /** Whether `maskgraph queue pause` stops it. */
  pausable: boolean;
  paused: { at: string; by: string | null } | null;
  waiting: number;
  running: number;
  oldestWaitingSeconds: number;
}

export type QueueCommand = { action: 'status' } | { action: 'pause'; by: string | null } | { action: 'resume' };

export class QueueControl {
  constructor(
    private readonly states: QueueStateRepository,
    /** Model runs and batch steps: what a pause stops. */
    private readonly pausable: JobQueue[],
    /** Shown by `status` only. */
    private readonly others: JobQueue[],
    /** Tells every process's workers to look at the switch again (at once, not at their next check). */
    private readonly announce: (queue: string) => Promise<void>,
  ) {}

  /** For a worker's `work(…, { paused })`: whether this queue is paused now (one primary-key read). */
  gate(queue: JobQueue): () => Promise<boolean> {
    return () => this.states.isPaused(queue.name);
  }

  async run(command: QueueCommand): Promise<QueueStatus[]> {
    if (command.action !== 'status') {
      for (const queue of this.pausable) {
        if (command.action === 'pause') await this.states.pause(queue.name, command.by);
        else await this.states.resume(queue.name);
        await this.announce(queue.name);
      }
    }
    return this.status();
  }

  async status(): Promise<QueueStatus[]> {
    const pauses = await this.states.pauses();
    const pausable = new Set(this.pausable);
    return Promise.all(
      [...this.pausable, ...this.others].map(async (queue) => {
        const pause = pauses.get(queue.name);
        return {
          queue: queue.name,
          pausable: pausable.has(queue),
          paused: pause ? { at: pause.pausedAt.toISOString(), by: pause.pausedBy } : null,
          ...(await queue.stats()),
        };
      }),
    );
  }
}
