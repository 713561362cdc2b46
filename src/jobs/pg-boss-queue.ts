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
import type { JobQueue, QueuedJob, SendOptions } from './job-queue.js';

export const SEGMENTATION_QUEUE = 'segmentation';
export const RENDER_QUEUE = 'render';
/** Review priorities of new masks, estimated after the mask is stored (src/segmentations/review-priority.job.ts). */
export const REVIEW_PRIORITY_QUEUE = 'review-priority';

/**
 * pg-boss takes the waiting job with the highest `priority` first (then the oldest). Each
 * priority is a band of integers, interactive wholly above batch; inside a band the number
 * is a turn (see `turnFor`). So jobs run one per owner in turn, and a new owner's job
 * starts after the running ones, before the waiting backlog of others.
 */
const BAND_TOP = { interactive: 1_000_000_000, batch: 0 } as const;
const BAND_WIDTH = 500_000_000;

export interface PgBossQueueOptions {
  leaseSeconds: number;
  /** Deliveries of one job in all, the first included. */
  maxDeliveries: number;
  /** How often a worker asks for work when idle. */
  pollingIntervalSeconds: number;
  /** Tells the other processes that a queue has a new job (they then call `wake`); absent when this process is the database's only user. */
  announce?: (queue: string) => Promise<void>;
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

/**
 * Installs or upgrades pg-boss's tables and creates both queues (what `db deploy` and
 * embedded starts run), so instances starting together find them and never race to create
 * them. Leases and limits are set by each instance at open.
 */
export async function migrateQueueSchema(connection: DatabaseConnection): Promise<void> {
  const boss = createBoss(connection, { supervise: false, schedule: false });
  await boss.start();
  try {
    await ensureQueue(boss, SEGMENTATION_QUEUE, { policy: 'standard' });
    await ensureQueue(boss, RENDER_QUEUE, { policy: 'stately' });
    await ensureQueue(boss, REVIEW_PRIORITY_QUEUE, { policy: 'standard' });
  } finally {
    await boss.stop({ graceful: false, wait: true });
  }
}

/**
 * Creates the queue or updates its options. Instances starting at once may collide while
 * creating it (PostgreSQL picks a deadlock victim): the loser finds it created and updates.
 */
async function ensureQueue(boss: PgBoss, name: string, options: Omit<PgBoss.Queue, 'name'>): Promise<void> {
  const queueOptions = { name, ...options };
  for (let attempt = 1; ; attempt += 1) {
    try {
      if (await boss.getQueue(name)) await boss.updateQueue(name, queueOptions);
      else await boss.createQueue(name, queueOptions);
      return;
    } catch (error) {
      if (attempt >= 5) throw error;
      await new Promise((resolve) => setTimeout(resolve, 100 * attempt + Math.random() * 100));
    }
  }
}

export class PgBossJobQueue implements JobQueue {
  private readonly running = new Set<Promise<void>>();
  /** This process's pg-boss workers of this queue, to wake. */
  private readonly workerIds: string[] = [];

  private constructor(
    private readonly boss: PgBoss,
    private readonly schema: string,
    readonly name: string,
    private readonly pollingIntervalSeconds: number,
    /** The segmentation queue owns the pg-boss instance; queues opened beside it share it. */
    private readonly ownsBoss: boolean,
    private readonly announce: ((queue: string) => Promise<void>) | undefined,
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
      await ensureQueue(boss, SEGMENTATION_QUEUE, {
        policy: 'standard',
        expireInSeconds: options.leaseSeconds,
        retryLimit: options.maxDeliveries - 1,
        retryDelay: 0,
      });
    } catch (error) {
      await boss.stop({ graceful: false, wait: true });
      throw error;
    }
    return new PgBossJobQueue(boss, queueSchemaFor(connection), SEGMENTATION_QUEUE, options.pollingIntervalSeconds, true, options.announce, logger);
  }

  /**
   * Another queue on the same pg-boss instance. `oneAtATimePerKey` (pg-boss's stately
   * policy): at most one waiting and one running job per singleton key.
   */
  async besides(name: string, options: { leaseSeconds: number; maxDeliveries: number; oneAtATimePerKey: boolean }): Promise<PgBossJobQueue> {
    await ensureQueue(this.boss, name, {
      policy: options.oneAtATimePerKey ? 'stately' : 'standard',
      expireInSeconds: options.leaseSeconds,
      retryLimit: options.maxDeliveries - 1,
      retryDelay: 0,
    });
    return new PgBossJobQueue(this.boss, this.schema, name, this.pollingIntervalSeconds, false, this.announce, this.logger);
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
    });
    this.wake();
    // A lost announcement only costs the other processes one polling interval.
    await this.announce?.(this.name).catch((error: unknown) => this.logger.warn('job wake-up not announced', { queue: this.name, error }));
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
  }

  async releaseNow(ids: string[]): Promise<void> {
    // Failing an active job retries it at once (retryDelay 0) while deliveries remain.
    if (ids.length > 0) await this.boss.fail(this.name, ids);
  }

  async work(concurrency: number, handler: (job: QueuedJob) => Promise<void>): Promise<void> {
    // One pg-boss worker per slot: each fetches one job, runs it, and fetches the next.
    for (let slot = 0; slot < concurrency; slot += 1) {
      const workerId: string = await this.boss.work<JobData>(
        this.name,
        { batchSize: 1, includeMetadata: true, pollingIntervalSeconds: this.pollingIntervalSeconds },
        async ([job]) => {
          if (!job) return;
          const run = handler({ id: job.id, delivery: job.retryCount + 1, requestId: job.data.requestId, data: job.data.data ?? {} });
          this.running.add(run);
          try {
            await run;
          } finally {
            this.running.delete(run);
            this.boss.notifyWorker(workerId); // fetch the next job now: more may be waiting
          }
        },
      );
      this.workerIds.push(workerId);
    }
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
  stop(): Promise<void> {
    return (this.stopping ??= (async () => {
      if (this.ownsBoss) return this.boss.stop({ graceful: true, wait: true, timeout: 60_000 });
      await this.boss.offWork(this.name).catch(() => {}); // a stopped boss has no workers left
      await Promise.allSettled([...this.running]);
    })());
  }
}
