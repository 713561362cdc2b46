/**
 * The job queue on pg-boss, in the application's own database: a PostgreSQL server shared
 * by every gateway and worker, or the embedded PGlite through pg-boss's `db.executeSql`.
 *
 * Leases: a job runs under pg-boss's expiry (`leaseSeconds`). When its worker dies, the
 * maintenance pass (any live instance) moves it back to the queue and another worker takes
 * it; after `maxDeliveries` deliveries pg-boss gives up, and the handler of the last one
 * fails the row (see src/segmentations/segment-mask.job.ts), so no row stays RUNNING for ever.
 *
 * Wake-ups: an idle pg-boss worker sleeps `pollingIntervalSeconds` between fetches. A send
 * wakes this process's workers of that queue directly and, through `announce` (a NOTIFY
 * on PostgreSQL), every other process's, so a job starts as soon as it is committed; a
 * worker that finished a job fetches the next at once. Polling stays as the fallback for a
 * lost notification.
 */
import PgBoss from 'pg-boss';
import type { PGlite } from '@electric-sql/pglite';
import type { DatabaseConnection } from '../storage/database.js';
import type { Logger } from '../lib/logger.js';
import type { JobQueue, QueuedJob, SendOptions, WorkOptions } from './job-queue.js';

export const SEGMENTATION_QUEUE = 'segmentation';
export const RENDER_QUEUE = 'render';
/** Review priorities of new masks, estimated after the mask is stored (src/segmentations/review-priority.job.ts). */
export const REVIEW_PRIORITY_QUEUE = 'review-priority';
/** Tag and delete batches, a chunk of items at a time (src/batches/batch.job.ts). */
export const BATCH_QUEUE = 'batch';
/** Webhook attempts, one job each (src/webhooks/webhook.service.ts); their retries are new jobs, scheduled by the service. */
export const WEBHOOK_QUEUE = 'webhook';

/**
 * pg-boss takes the waiting job with the highest `priority` first (then the oldest). Each
 * priority is a band of integers, interactive wholly above batch; inside a band the number
 * is a turn (see `turnFor`). So jobs run one per owner in turn, and a new owner's job
 * starts after the running ones, before the waiting backlog of others.
 */
const BAND_TOP = { interactive: 1_000_000_000, batch: 0 } as const;
const BAND_WIDTH = 500_000_000;
/** A worker looks at the pause switch at least this often (a lost announcement costs no more). */
const PAUSE_RECHECK_MS = 5000;
/** Jobs per INSERT in `sendMany` (one JSON parameter each). */
const SEND_MANY_CHUNK = 5000;

export interface PgBossQueueOptions extends SharedQueueSettings {
  /** How often a worker asks for work when idle. */
  pollingIntervalSeconds: number;
  /** Tells the other processes that a queue has a new job (they then call `wake`); absent when this process is the database's only user. */
  announce?: (queue: string) => Promise<void>;
  /** This process sets the queues' shared settings (the embedded database's only process, or AUTO_MIGRATE): else it only reads them. */
  setsSharedSettings: boolean;
}

interface JobData {
  /** The owner whose turn the job takes (see BAND_TOP). */
  owner?: string;
  requestId?: string;
  data?: Record<string, unknown>;
}

/** pg-boss's schema beside the application's: `pgboss`, or `<schema>_pgboss` for a schema-scoped deployment. */
export function queueSchemaFor(connection: DatabaseConnection): string {
  return connection.schema ? `${connection.schema}_pgboss` : 'pgboss';
}

/** PGlite: parameterless (often multi-statement) SQL to `exec`, the rest to `query`. */
function pgliteExecutor(pglite: PGlite): PgBoss.Db {
  return {
    executeSql: async (text: string, values: unknown[] | undefined) => {
      if (values && values.length > 0) return pglite.query(text, values);
      const results = await pglite.exec(text);
      return [...results].reverse().find((result) => result.fields.length > 0) ?? { rows: [] };
    },
  };
}

export function createBoss(connection: DatabaseConnection, options: Partial<PgBoss.ConstructorOptions> = {}): PgBoss {
  const schema = queueSchemaFor(connection);
  return connection.kind === 'pglite'
    ? new PgBoss({ db: pgliteExecutor(connection.pglite), schema, ...options })
    : new PgBoss({ connectionString: connection.connectionString, schema, max: 4, application_name: 'maskgraph-queue', ...options });
}

/** Settings every process must share, kept in the queue's own rows: set by `db deploy`. */
export interface SharedQueueSettings {
  /** JOB_LEASE_SECONDS. */
  leaseSeconds: number;
  /** Deliveries of a segmentation job in all (JOB_MAX_ATTEMPTS + 1). */
  maxDeliveries: number;
}

/** Each queue's options from the shared settings. */
function queueOptions(name: string, settings: SharedQueueSettings): Omit<PgBoss.Queue, 'name'> {
  const common = { expireInSeconds: settings.leaseSeconds, retryDelay: 0 };
  if (name === RENDER_QUEUE) return { ...common, policy: 'stately', retryLimit: 1 };
  if (name === REVIEW_PRIORITY_QUEUE || name === WEBHOOK_QUEUE) return { ...common, policy: 'standard', retryLimit: 2 };
  return { ...common, policy: 'standard', retryLimit: settings.maxDeliveries - 1 };
}

/**
 * Installs or upgrades pg-boss's tables and creates the queues with the shared settings
 * (what `db deploy` and embedded starts run), so instances starting together find them and
 * never race to create them, and no instance's environment silently rewrites them.
 */
export async function migrateQueueSchema(connection: DatabaseConnection, settings: SharedQueueSettings): Promise<void> {
  const boss = createBoss(connection, { supervise: false, schedule: false });
  await boss.start();
  try {
    for (const name of [SEGMENTATION_QUEUE, RENDER_QUEUE, REVIEW_PRIORITY_QUEUE, BATCH_QUEUE, WEBHOOK_QUEUE])
      await ensureQueue(boss, name, queueOptions(name, settings), { authoritative: true });
  } finally {
    await boss.stop({ graceful: false, wait: true });
  }
}

/**
 * Creates the queue, or (`authoritative`: `db deploy`, or the embedded database's only
 * process) updates its options. Any other process keeps the stored options and warns when
 * its own differ: a lease decided by whichever process started last would strand jobs.
 * Instances starting at once may collide while creating it (PostgreSQL picks a deadlock
 * victim): the loser finds it created.
 */
async function ensureQueue(
  boss: PgBoss,
  name: string,
  options: Omit<PgBoss.Queue, 'name'>,
  { authoritative, logger }: { authoritative: boolean; logger?: Logger },
): Promise<void> {
  const wanted = { name, ...options };
  for (let attempt = 1; ; attempt += 1) {
    try {
      const stored = await boss.getQueue(name);
      if (!stored) await boss.createQueue(name, wanted);
      else if (authoritative) await boss.updateQueue(name, wanted);
      else if (stored.expireInSeconds !== options.expireInSeconds || stored.retryLimit !== options.retryLimit)
        logger?.warn("this process's queue settings differ from the database's; using the database's (set them with `maskgraph db deploy`)", {
          queue: name,
          leaseSeconds: { stored: stored.expireInSeconds, here: options.expireInSeconds },
          deliveries: { stored: (stored.retryLimit ?? 0) + 1, here: (options.retryLimit ?? 0) + 1 },
        });
      return;
    } catch (error) {
      if (attempt >= 5) throw error;
      await new Promise((resolve) => setTimeout(resolve, 100 * attempt + Math.random() * 100));
    }
  }
}

export class PgBossJobQueue implements JobQueue {
  /** Jobs this process runs now: the handler's promise, its signal, and how to end the wait for it. */
  private readonly running = new Map<string, { run: Promise<void>; controller: AbortController; giveUp: () => void }>();
  /** This process's pg-boss workers of this queue, to wake (none while paused). */
  private workerIds: string[] = [];
  /** Queues opened beside this one on its pg-boss instance: stopped before the instance. */
  private readonly siblings: PgBossJobQueue[] = [];
  /** What `work` was given, to start fetching again after a pause; and the pause's check. */
  private working: { concurrency: number; handler: (job: QueuedJob) => Promise<void>; paused?: () => Promise<boolean> } | undefined;
  private pauseTimer: NodeJS.Timeout | undefined;
  private pauseCheck: Promise<void> | undefined;

  private constructor(
    private readonly boss: PgBoss,
    private readonly schema: string,
    readonly name: string,
    /** What the instance was opened with: polling, announcements, the shared settings. */
    private readonly options: PgBossQueueOptions,
    /** The segmentation queue owns the pg-boss instance; queues opened beside it share it. */
    private readonly ownsBoss: boolean,
    private readonly logger: Logger,
  ) {}

  static async open(connection: DatabaseConnection, options: PgBossQueueOptions, logger: Logger): Promise<PgBossJobQueue> {
    const boss = createBoss(connection, {
      schedule: false,
      // Expired leases are found by this pass; short enough that an orphan waits little beyond its lease.
      maintenanceIntervalSeconds: Math.max(1, Math.min(30, Math.floor(options.leaseSeconds / 4))),
      monitorStateIntervalSeconds: 60,
      archiveCompletedAfterSeconds: 3600,
      pollingIntervalSeconds: options.pollingIntervalSeconds,
    });
    boss.on('error', (error) => logger.warn('job queue error', { error }));
    await boss.start();
    try {
      await ensureQueue(boss, SEGMENTATION_QUEUE, queueOptions(SEGMENTATION_QUEUE, options), { authoritative: options.setsSharedSettings, logger });
    } catch (error) {
      await boss.stop({ graceful: false, wait: true });
      throw error;
    }
    return new PgBossJobQueue(boss, queueSchemaFor(connection), SEGMENTATION_QUEUE, options, true, logger);
  }

  /**
   * Another queue on the same pg-boss instance: renders (pg-boss's stately policy: at most
   * one waiting and one running job per singleton key, two deliveries) or review priorities.
   */
  async besides(name: typeof RENDER_QUEUE | typeof REVIEW_PRIORITY_QUEUE | typeof BATCH_QUEUE | typeof WEBHOOK_QUEUE): Promise<PgBossJobQueue> {
    await ensureQueue(this.boss, name, queueOptions(name, this.options), { authoritative: this.options.setsSharedSettings, logger: this.logger });
    const sibling = new PgBossJobQueue(this.boss, this.schema, name, this.options, false, this.logger);
    this.siblings.push(sibling);
    return sibling;
  }

  async send(id: string, options: SendOptions): Promise<void> {
    const data: JobData = {
      owner: options.ownerId,
      ...(options.requestId ? { requestId: options.requestId } : {}),
      ...(options.data ? { data: options.data } : {}),
    };
    await this.boss.send(this.name, data, {
      id,
      priority: await this.turnFor(options.priority, options.ownerId),
      ...(options.singletonKey ? { singletonKey: options.singletonKey } : {}),
      ...(options.startAfter ? { startAfter: options.startAfter } : {}),
    });
    this.wake();
    // A lost announcement only costs the other processes one polling interval.
    await this.options.announce?.(this.name).catch((error: unknown) => this.logger.warn('job wake-up not announced', { queue: this.name, error }));
  }

  /**
   * The owner's next turn in the band (start-time fair queueing with priorities as turns):
   * the queue's virtual time is the turn of the job that started last (jobs start in turn
   * order, so the lowest turn among running ones), else the head's; an owner with nothing
   * waiting takes that turn, so its job goes before the waiting head of a busier owner; an
   * owner with jobs waiting takes the turn after its last one. Two sends at once may get the
   * same turn; they then run in arrival order, which is all a tie costs.
   */
  private async turnFor(priority: SendOptions['priority'], ownerId: string): Promise<number> {
    const top = BAND_TOP[priority];
    const rows = (
      await this.boss.getDb().executeSql(
        `SELECT min(priority) FILTER (WHERE state = 'active') AS started,
                max(priority) FILTER (WHERE state < 'active') AS head,
                min(priority) FILTER (WHERE state < 'active' AND data->>'owner' = $4) AS last
           FROM ${this.schema}.job
          WHERE name = $1 AND state <= 'active' AND priority > $2 AND priority <= $3`,
        [this.name, top - BAND_WIDTH, top, ownerId],
      )
    ).rows as { started: number | null; head: number | null; last: number | null }[];
    const now = rows[0]?.started ?? rows[0]?.head ?? top;
    const last = rows[0]?.last;
    return Math.max(top - BAND_WIDTH + 1, last === null || last === undefined ? now : Math.min(now, last - 1));
  }

  /** Makes this process's idle workers of the queue fetch now instead of at their next poll. */
  wake(): void {
    for (const workerId of this.workerIds) this.boss.notifyWorker(workerId);
    if (this.working?.paused) void this.followPause();
  }

  async releaseNow(ids: string[]): Promise<void> {
    // Failing an active job retries it at once (retryDelay 0) while deliveries remain.
    if (ids.length > 0) await this.boss.fail(this.name, ids);
  }

  async work(concurrency: number, handler: (job: QueuedJob) => Promise<void>, options: WorkOptions = {}): Promise<void> {
    this.working = { concurrency, handler, ...(options.paused ? { paused: options.paused } : {}) };
    if (!options.paused) return this.startFetching();
    await this.followPause();
    this.pauseTimer = setInterval(() => void this.followPause(), PAUSE_RECHECK_MS);
    this.pauseTimer.unref();
  }

  /**
   * An operator's pause (`maskgraph queue pause`): while the switch is on, this process's
   * workers of the queue fetch nothing (running jobs finish); when it is off again they
   * start. Looked at when the queue is woken (a pause or resume is announced to every
   * process) and every few seconds. A job fetched just before the pause arrived runs.
   */
  private followPause(): Promise<void> {
    return (this.pauseCheck ??= (async () => {
      try {
        const paused = await this.working!.paused!();
        if (this.stopping) return;
        if (paused && this.workerIds.length > 0) {
          this.workerIds = [];
          await this.boss.offWork(this.name);
          this.logger.info('queue paused: fetching no new job', { queue: this.name });
        } else if (!paused && this.workerIds.length === 0) {
          await this.startFetching();
          this.logger.info('queue running', { queue: this.name });
        }
      } catch (error) {
        this.logger.warn('the queue pause switch could not be read; left as it was', { queue: this.name, error });
      } finally {
        this.pauseCheck = undefined;
      }
    })());
  }

  private async startFetching(): Promise<void> {
    const { concurrency, handler } = this.working!;
    // One pg-boss worker per slot: each fetches one job, runs it, and fetches the next.
    for (let slot = 0; slot < concurrency; slot += 1) {
      const workerId: string = await this.boss.work<JobData>(
        this.name,
        { batchSize: 1, includeMetadata: true, pollingIntervalSeconds: this.options.pollingIntervalSeconds },
        async ([job]) => {
          if (!job) return;
          const controller = new AbortController();
          const run = handler({
            id: job.id,
            delivery: job.retryCount + 1,
            requestId: job.data.requestId,
            data: job.data.data ?? {},
            signal: controller.signal,
          });
          let giveUp = () => {};
          const givenUp = new Promise<void>((resolve) => (giveUp = resolve));
          this.running.set(job.id, { run, controller, giveUp });
          try {
            await Promise.race([run, givenUp]).catch((error: unknown) => {
              if (!controller.signal.aborted) throw error; // a failure: pg-boss retries it
            });
            // A job being given back returns to pg-boss only once it is back in the queue:
            // returned earlier, pg-boss would mark it completed (or, thrown, failed).
            if (controller.signal.aborted) await givenUp;
          } finally {
            this.running.delete(job.id);
            this.boss.notifyWorker(workerId); // fetch the next job now: more may be waiting
          }
        },
      );
      this.workerIds.push(workerId);
    }
  }

  /**
   * Puts active jobs back in the queue as they were before this delivery (pg-boss counts a
   * delivery only when a job fails or expires): another worker fetches them at once.
   */
  private async giveBack(ids: string[]): Promise<void> {
    await this.boss
      .getDb()
      .executeSql(`UPDATE ${this.schema}.job SET state = 'created', started_on = NULL WHERE name = $1 AND id = ANY($2::uuid[]) AND state = 'active'`, [
        this.name,
        ids,
      ]);
  }

  async holding(ids: string[], staleSeconds: number): Promise<Map<string, 'waiting' | 'running' | 'expired'>> {
    if (ids.length === 0) return new Map();
    const rows = (
      await this.boss.getDb().executeSql(
        `SELECT id::text AS id,
                CASE WHEN state < 'active' THEN 'waiting'
                     WHEN started_on + expire_in + $3::int * interval '1 second' < now() THEN 'expired'
                     ELSE 'running' END AS held
           FROM ${this.schema}.job WHERE name = $1 AND id = ANY($2::uuid[]) AND state <= 'active'`,
        [this.name, ids, staleSeconds],
      )
    ).rows as { id: string; held: 'waiting' | 'running' | 'expired' }[];
    return new Map(rows.map((row) => [row.id, row.held]));
  }

  async sendMany(ids: string[], options: Omit<SendOptions, 'singletonKey' | 'data'>): Promise<void> {
    if (ids.length === 0) return;
    await this.boss.getDb().executeSql(`DELETE FROM ${this.schema}.job WHERE name = $1 AND id = ANY($2::uuid[]) AND state > 'active'`, [this.name, ids]);
    // The owner's turns one after another from its next one, as that many sends would take.
    const first = await this.turnFor(options.priority, options.ownerId);
    const floor = BAND_TOP[options.priority] - BAND_WIDTH + 1;
    const data: JobData = { owner: options.ownerId, ...(options.requestId ? { requestId: options.requestId } : {}) };
    for (let start = 0; start < ids.length; start += SEND_MANY_CHUNK) {
      const chunk = ids.slice(start, start + SEND_MANY_CHUNK);
      await this.boss.insert(chunk.map((id, index) => ({ id, name: this.name, data, priority: Math.max(floor, first - start - index) })));
    }
    this.wake();
    await this.options.announce?.(this.name).catch((error: unknown) => this.logger.warn('job wake-up not announced', { queue: this.name, error }));
  }

  async dropWaiting(ids: string[]): Promise<number> {
    if (ids.length === 0) return 0;
    const result = await this.boss
      .getDb()
      .executeSql(`DELETE FROM ${this.schema}.job WHERE name = $1 AND id = ANY($2::uuid[]) AND state < 'active' RETURNING id`, [this.name, ids]);
    return result.rows.length;
  }

  async requeue(id: string, options: SendOptions): Promise<void> {
    // A finished or failed job of the same id still holds it in pg-boss's table until archived.
    await this.boss.getDb().executeSql(`DELETE FROM ${this.schema}.job WHERE name = $1 AND id = $2::uuid AND state > 'active'`, [this.name, id]);
    await this.send(id, options);
  }

  async stats(): Promise<{ waiting: number; running: number; oldestWaitingSeconds: number }> {
    const rows = (
      await this.boss.getDb().executeSql(
        `SELECT count(*) FILTER (WHERE state < 'active')::int AS waiting,
              count(*) FILTER (WHERE state = 'active')::int AS running,
              COALESCE(EXTRACT(epoch FROM now() - min(created_on) FILTER (WHERE state < 'active')), 0)::float AS oldest
         FROM ${this.schema}.job WHERE name = $1`,
        [this.name],
      )
    ).rows as { waiting: number; running: number; oldest: number }[];
    const row = rows[0] ?? { waiting: 0, running: 0, oldest: 0 };
    return { waiting: row.waiting, running: row.running, oldestWaitingSeconds: row.oldest };
  }

  private stopping: Promise<void> | undefined;

  /** Idempotent: the worker and the adapters' close may both call it. */
  stop(graceMs = 60_000, beforeGivingBack?: () => Promise<void>): Promise<void> {
    return (this.stopping ??= (async () => {
      clearInterval(this.pauseTimer);
      await this.pauseCheck;
      await this.boss.offWork(this.name).catch(() => {}); // takes no new job; a stopped boss has no workers left
      let timer: NodeJS.Timeout | undefined;
      const deadline = new Promise<void>((resolve) => (timer = setTimeout(resolve, graceMs)));
      await Promise.race([Promise.allSettled([...this.running.values()].map((entry) => entry.run)), deadline]);
      clearTimeout(timer);
      const left = [...this.running.entries()];
      if (left.length > 0) {
        for (const [, entry] of left) entry.controller.abort();
        await beforeGivingBack?.();
        // The handlers see their signal (a segmentation puts its row back); a moment for that, then the jobs go back.
        await Promise.race([Promise.allSettled(left.map(([, entry]) => entry.run)), new Promise((resolve) => setTimeout(resolve, 2000))]);
        await this.giveBack(left.map(([id]) => id)).catch((error: unknown) => this.logger.warn('jobs not given back; their lease returns them', { error }));
        for (const [, entry] of left) entry.giveUp();
        this.logger.info('running jobs given back to the queue', { queue: this.name, ids: left.map(([id]) => id) });
      }
      if (!this.ownsBoss) return;
      await Promise.allSettled(this.siblings.map((sibling) => sibling.stop(graceMs)));
      await this.boss.stop({ graceful: true, wait: true, timeout: 1000 });
    })());
  }
}
