/**
 * The job queue port. A job is the id of a database row (a segmentation): the row holds
 * the durable state and the queue only hands ids to workers, at least once. Sending an id
 * that is already queued does nothing, so a repeated send (the outbox sweep at start-up)
 * is harmless, and handlers are idempotent.
 *
 * Fair by owner: within a priority, waiting jobs are taken in turn across owners (one of
 * each owner's, then the next of each), not in arrival order, so one owner's backlog never
 * stands in front of another owner's single job.
 */
export type JobPriority = 'interactive' | 'batch';

export interface QueuedJob {
  id: string;
  /** 1 on the first delivery; more after a worker died or its lease ran out. */
  delivery: number;
  /** The request that created the job, for following it in the logs across processes. */
  requestId: string | undefined;
  /** What the job needs beyond its id (small JSON: a render's parameters). */
  data: Record<string, unknown>;
  /**
   * Aborted when a stopping worker gives the job back to the queue (see `stop`): the handler
   * should stop and write nothing more; the job runs again elsewhere, this delivery uncounted.
   */
  signal: AbortSignal;
}

export interface SendOptions {
  priority: JobPriority;
  /** Whose job it is: jobs are taken in turn across owners. */
  ownerId: string;
  requestId?: string | undefined;
  data?: Record<string, unknown>;
  /** At most one waiting and one running job per key (queues opened with `oneAtATimePerKey`); a duplicate send is dropped. */
  singletonKey?: string;
  /** Not before then (a webhook's retry). */
  startAfter?: Date;
}

export interface WorkOptions {
  /**
   * The operator's pause switch (`maskgraph queue pause`), read at start, when the queue is
   * woken and every few seconds: while it answers true this process fetches no job of the
   * queue (running ones finish).
   */
  paused?: () => Promise<boolean>;
}

export interface JobQueue {
  /** The queue's name (`maskgraph queue status` shows it). */
  readonly name: string;
  send(id: string, options: SendOptions): Promise<void>;
  /** Hands jobs whose worker is known to be gone (the embedded database's only process restarted) to a worker now, not at lease expiry. */
  releaseNow(ids: string[]): Promise<void>;
  /** Runs `handler` for queued jobs, `concurrency` at a time. A handler that throws has the job delivered again, up to the attempt limit. */
  work(concurrency: number, handler: (job: QueuedJob) => Promise<void>, options?: WorkOptions): Promise<void>;
  /**
   * What the queue holds of these ids (for `maskgraph fsck`): waiting, running under a live
   * lease, or running past its lease by more than `staleSeconds` (nothing is returning it).
   * Ids it holds nothing for (finished, failed, archived or never sent) are absent.
   */
  holding(ids: string[], staleSeconds: number): Promise<Map<string, 'waiting' | 'running' | 'expired'>>;
  /**
   * Many jobs of one owner in one statement (a batch): taken in turn with other owners' as
   * `send`'s are. Ids whose earlier job finished or failed are queued again; ids waiting or
   * running already are left as they are.
   */
  sendMany(ids: string[], options: Omit<SendOptions, 'singletonKey' | 'data'>): Promise<void>;
  /** Removes these ids' waiting jobs (a paused or cancelled batch); running ones are left to finish. */
  dropWaiting(ids: string[]): Promise<number>;
  /** Queues the id again even where an earlier job of that id finished or failed (a plain `send` would be dropped as a duplicate). */
  requeue(id: string, options: SendOptions): Promise<void>;
  /** Jobs waiting and running, and the age of the oldest waiting one in seconds (for /metrics). */
  stats(): Promise<{ waiting: number; running: number; oldestWaitingSeconds: number }>;
  /**
   * Stops taking jobs and waits up to `graceMs` for the running ones; those still running
   * then go back to the queue at once, their delivery not counted, with their handlers'
   * signals aborted (another worker starts them within a poll). Waiting ones stay queued.
   * `beforeGivingBack` runs after the signals are aborted (a worker ends its model runs there).
   */
  stop(graceMs?: number, beforeGivingBack?: () => Promise<void>): Promise<void>;
}
