/**
 * Shares a fixed number of slots (threads, render permits) between owners so that no owner
 * can make another wait behind its backlog. Each owner's tasks wait in their own FIFO; a
 * freed slot goes to the next owner in turn (round robin), interactive tasks before batch
 * ones. An owner with nothing running or waiting goes ahead of the round (as fq_codel
 * treats a new flow), so a single request waits for at most one task of another owner. One
 * owner holds at most `perOwner` slots, so with two or more slots another owner's task
 * usually starts at once. Past `maxWaitingPerOwner`, a task is BUSY.
 */
import { AppError } from '../errors.js';

export type Lane = 'interactive' | 'batch';
const LANES: readonly Lane[] = ['interactive', 'batch'];

export interface FairSchedulerOptions {
  slots: number;
  /** Slots one owner may hold at once; default: all but one (at least one). */
  perOwner?: number;
  /** Tasks one owner may have waiting; more are refused with BUSY. */
  maxWaitingPerOwner: number;
  /** Names the work in BUSY messages ("quality computations"). */
  what: string;
}

interface Waiting {
  start: (slot: number) => void;
}

export class FairScheduler {
  private readonly free: number[];
  private readonly perOwner: number;
  /** Per lane, each owner's waiting tasks. */
  private readonly queues = new Map<Lane, Map<string, Waiting[]>>(LANES.map((lane) => [lane, new Map()]));
  /** Per lane, the turn order: owners that arrived idle first, then the round; a served owner goes to the back of the round. */
  private readonly turns = new Map<Lane, { arrived: string[]; round: string[] }>(LANES.map((lane) => [lane, { arrived: [], round: [] }]));
  private readonly held = new Map<string, number>();

  constructor(private readonly options: FairSchedulerOptions) {
    const slots = Math.max(1, options.slots);
    this.free = Array.from({ length: slots }, (_, slot) => slots - 1 - slot);
    this.perOwner = Math.max(1, options.perOwner ?? slots - 1);
  }

  /** Tasks waiting for a slot, all owners together. */
  get waitingCount(): number {
    let count = 0;
    for (const owners of this.queues.values()) for (const queue of owners.values()) count += queue.length;
    return count;
  }

  /** True when every slot is taken and `maxWaiting` tasks already wait: the caller should refuse more. */
  isSaturated(maxWaiting: number): boolean {
    return this.free.length === 0 && this.waitingCount >= maxWaiting;
  }

  /** Runs `task` on a free slot (its index, for callers that keep a thread per slot) when the owner's turn comes. */
  async run<T>(owner: string, lane: Lane, task: (slot: number) => Promise<T>): Promise<T> {
    const owners = this.queues.get(lane)!;
    const queue = owners.get(owner) ?? [];
    if (queue.length >= this.options.maxWaitingPerOwner) {
      throw new AppError('BUSY', `You have ${queue.length} ${this.options.what} waiting already; ask again when one has finished`, {
        details: { retryAfterSeconds: 2 },
      });
    }
    const slot = await new Promise<number>((start) => {
      queue.push({ start });
      if (!owners.has(owner)) {
        owners.set(owner, queue);
        const turns = this.turns.get(lane)!;
        (this.held.has(owner) ? turns.round : turns.arrived).push(owner);
      }
      this.dispatch();
    });
    try {
      return await task(slot);
    } finally {
      this.free.push(slot);
      const held = this.held.get(owner)! - 1;
      if (held === 0) this.held.delete(owner);
      else this.held.set(owner, held);
      this.dispatch();
    }
  }

  private dispatch(): void {
    while (this.free.length > 0) {
      const next = this.nextInTurn();
      if (!next) return;
      this.held.set(next.owner, (this.held.get(next.owner) ?? 0) + 1);
      next.waiting.start(this.free.pop()!);
    }
  }

  /** The first owner in turn, interactive lane first, that holds fewer than its share. */
  private nextInTurn(): { owner: string; waiting: Waiting } | undefined {
    for (const lane of LANES) {
      const owners = this.queues.get(lane)!;
      const turns = this.turns.get(lane)!;
      for (const list of [turns.arrived, turns.round]) {
        const index = list.findIndex((owner) => (this.held.get(owner) ?? 0) < this.perOwner);
        if (index === -1) continue;
        const owner = list.splice(index, 1)[0]!;
        const queue = owners.get(owner)!;
        const waiting = queue.shift()!;
        // Served: to the back of the round, or out when nothing of its waits.
        if (queue.length > 0) turns.round.push(owner);
        else owners.delete(owner);
        return { owner, waiting };
      }
    }
    return undefined;
  }
}
