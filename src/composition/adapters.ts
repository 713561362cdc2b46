/**
 * The outside systems behind their ports, one adapter per backend, chosen from the
 * configuration: the database's queue (pg-boss), event bus (NOTIFY/LISTEN), blob locks
 * (in process or advisory) and the blob store (local files or S3).
 */
import type { Config } from '../config/config.js';
import { channelFor, NotifyEventBus, type EventBus } from '../events/event-bus.js';
import { PgliteNotifications } from '../events/pglite-notifications.js';
import { PostgresNotifications } from '../events/postgres-notifications.js';
import { BATCH_QUEUE, PgBossJobQueue, RENDER_QUEUE, REVIEW_PRIORITY_QUEUE, WEBHOOK_QUEUE } from '../jobs/pg-boss-queue.js';
import type { Logger } from '../lib/logger.js';
import { AdvisoryBlobLocks, InProcessBlobLocks, type BlobLocks } from '../storage/blob-locks.js';
import { FileBlobStore, type BlobStore } from '../storage/blob-store.js';
import type { Database } from '../storage/database.js';
import { S3BlobStore, type BlobPresigner } from '../storage/s3-blob-store.js';

export interface Adapters {
  blobs: BlobStore;
  presigner: BlobPresigner | undefined;
  blobLocks: BlobLocks;
  bus: EventBus;
  queue: PgBossJobQueue;
  /** Full-size renders asked for with `renderEffect`, run by workers. */
  renderQueue: PgBossJobQueue;
  /** Review priorities of new masks, estimated by workers after the mask is stored. */
  reviewPriorityQueue: PgBossJobQueue;
  /** Tag and delete batches, worked through by workers a chunk at a time. */
  batchQueue: PgBossJobQueue;
  /** Webhook attempts. */
  webhookQueue: PgBossJobQueue;
  /** True when this process is the database's only user (embedded PGlite, locked to one process). */
  exclusive: boolean;
  close(): Promise<void>;
}

export async function openBlobStore(config: Config): Promise<BlobStore & Partial<BlobPresigner>> {
  const store = config.blobStore;
  if (store.kind === 'fs') return FileBlobStore.open(store.dir);
  const s3 = await S3BlobStore.open(store);
  await s3.verifyBucket();
  return s3;
}

/** Advisory locks when processes share a PostgreSQL database; in-process ones for the embedded database. */
export function openBlobLocks(database: Database, logger: Logger): BlobLocks {
  const connection = database.connection;
  return connection.kind === 'postgresql'
    ? new AdvisoryBlobLocks(connection.connectionString, `maskgraph:${connection.schema ?? 'public'}:blob`, logger)
    : new InProcessBlobLocks();
}

export async function openAdapters(config: Config, database: Database, logger: Logger): Promise<Adapters> {
  const connection = database.connection;
  const closers: (() => Promise<unknown>)[] = [];
  try {
    const blobs = await openBlobStore(config);
    if (blobs instanceof S3BlobStore) closers.push(async () => blobs.close());
    const blobLocks = openBlobLocks(database, logger);
    closers.push(() => blobLocks.close());

    const notifications =
      connection.kind === 'postgresql' ? new PostgresNotifications(connection.connectionString, logger) : new PgliteNotifications(connection.pglite);
    const bus = new NotifyEventBus(
      channelFor(connection.schema),
      async (channel, payload) => {
        await database.prisma.$executeRaw`SELECT pg_notify(${channel}, ${payload})`;
      },
      notifications,
    );
    await bus.start();
    closers.push(() => bus.close());

    // Other processes hear of a new job through a NOTIFY; the embedded database has no other process.
    const announce = connection.kind === 'postgresql' ? (queue: string) => bus.publish({ topic: 'queue', id: queue }) : undefined;
    const queue = await PgBossJobQueue.open(
      connection,
      {
        leaseSeconds: config.jobLeaseSeconds,
        maxDeliveries: config.jobMaxAttempts + 1,
        pollingIntervalSeconds: config.queuePollSeconds,
        // `db deploy` sets the shared settings; a process that migrates on start (the embedded default) is its own deployer.
        setsSharedSettings: config.autoMigrate,
        ...(announce ? { announce } : {}),
      },
      logger,
    );
    closers.push(() => queue.stop());
    // Renders: one waiting and one running job per rendition key.
    const renderQueue = await queue.besides(RENDER_QUEUE);
    closers.push(() => renderQueue.stop());
    const reviewPriorityQueue = await queue.besides(REVIEW_PRIORITY_QUEUE);
    closers.push(() => reviewPriorityQueue.stop());
    const batchQueue = await queue.besides(BATCH_QUEUE);
    closers.push(() => batchQueue.stop());
    const webhookQueue = await queue.besides(WEBHOOK_QUEUE);
    closers.push(() => webhookQueue.stop());
    const byName = new Map([queue, renderQueue, reviewPriorityQueue, batchQueue, webhookQueue].map((opened) => [opened.name, opened]));
    bus.subscribe(
      (message) => {
        if (message.topic === 'queue') byName.get(message.id)?.wake();
      },
      () => {
        for (const opened of byName.values()) opened.wake(); // wake-ups may have been lost meanwhile
      },
    );
    return {
      blobs,
      presigner: config.fileUrls === 'presigned' && blobs instanceof S3BlobStore ? blobs : undefined,
      blobLocks,
      bus,
      queue,
      renderQueue,
      reviewPriorityQueue,
      batchQueue,
      webhookQueue,
      exclusive: connection.kind === 'pglite',
      // The queue first: running jobs finish while locks, bus and store still work.
      close: async () => {
        for (const close of closers.reverse()) await close().catch((error: unknown) => logger.warn('closing an adapter failed', { error }));
      },
    };
  } catch (error) {
    for (const close of closers.reverse()) await close().catch(() => {});
    throw error;
  }
}
