/**
 * Composition root: configuration → database → adapters (composition/adapters.ts) →
 * services (composition/services.ts, each built once) → the role's front doors. Everything
 * is built there and passed down; nothing below reads the environment.
 * Roles: `all` (the embedded default: HTTP and a worker in one process), `api` (HTTP and
 * GraphQL, never loads a model) and `worker` (runs jobs; serves only health and metrics).
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { configureImageLibrary } from './assets/image.js';
import { openAdapters, type Adapters } from './composition/adapters.js';
import { buildServices, type Services } from './composition/services.js';
import type { Config } from './config/config.js';
import { createOpsApp } from './http/ops.routes.js';
import { migrateQueueSchema } from './jobs/pg-boss-queue.js';
import { createLogger, type Logger } from './lib/logger.js';
import { memoryAllocator } from './observability/allocator.js';
import { startApi } from './roles/api.js';
import { lowerWorkerPriority, startWorker } from './roles/worker.js';
import { openDatabase, type Database } from './storage/database.js';
import { applyMigrations, pendingMigrations } from './storage/migrate.js';

/** The configured port is taken: a clear message for the command line, not a stack. */
export class PortInUseError extends Error {
  override name = 'PortInUseError';
}

export interface Gateway {
  /** e.g. http://127.0.0.1:4000 */
  url: string;
  database: Database;
  /**
   * Shuts down within SHUTDOWN_TIMEOUT_MS: /readyz turns false at once; HTTP stops accepting
   * and drains while WebSockets close (1001); the worker takes no new job and gives back, at
   * once and uncounted, any it cannot finish in half the time; then the database closes.
   */
  close(): Promise<void>;
}

/** Opens the configured database (PGlite under dataDir unless a PostgreSQL URL is set). */
export function openConfiguredDatabase(config: Config): Promise<Database> {
  return openDatabase(
    config.databaseUrl
      ? { kind: 'postgresql', url: config.databaseUrl, poolSize: POOL_SIZE[config.role], applicationName: `maskgraph ${config.role} ${process.pid}` }
      : { kind: 'pglite', dataDir: join(config.dataDir, 'pglite') },
  );
}

/** Prisma connections per process; the queue (4), locks (≤16, mostly idle) and LISTEN (1) come on top. */
const POOL_SIZE = { all: 10, api: 10, worker: 4 } as const;

/** Creates or upgrades the application's tables and the queue's, and sets the queues' shared settings (what `db deploy` does). */
export async function migrateAll(database: Database, config: Config): Promise<string[]> {
  const applied = await applyMigrations(database);
  await migrateQueueSchema(database.connection, { leaseSeconds: config.jobLeaseSeconds, maxDeliveries: config.jobMaxAttempts + 1 });
  return applied;
}

export async function startGateway(config: Config, logger: Logger = createLogger(config.logLevel)): Promise<Gateway> {
  configureImageLibrary(config.sharpConcurrency);
  const database = await openConfiguredDatabase(config);
  let adapters: Adapters | undefined;
  let services: Services | undefined;
  try {
    if (config.autoMigrate) {
      // The queue's schema and queues are installed when the queue opens (below), once.
      const applied = await applyMigrations(database);
      if (applied.length > 0) logger.info('applied migrations', { applied });
    } else {
      const pending = await pendingMigrations(database);
      if (pending.length > 0) logger.warn('database has pending migrations; run `npm run db:deploy`', { pending });
    }
    adapters = await openAdapters(config, database, logger);
    const { blobs, queue } = adapters;
    lowerWorkerPriority(config, logger); // before buildServices starts any thread
    services = await buildServices(config, database, adapters, logger);
    for (const entry of services.registry.list())
      if (!entry.available) logger.info('model unavailable', { model: entry.manifest.id, reason: entry.unavailableReason });
    const recovered = await services.domain.segmentations.recoverOnStart(adapters.exclusive);
    if (recovered.resent + recovered.released + recovered.reviewPriorities > 0) logger.info('recovered unfinished segmentations', { ...recovered });

    let stopping = false;
    const dependenciesReady = async (): Promise<{ ready: boolean; reason?: string }> => {
      if (stopping) return { ready: false, reason: 'shutting down' };
      if (!(await database.ping())) return { ready: false, reason: 'database unreachable' };
      const pending = await pendingMigrations(database);
      if (pending.length > 0) return { ready: false, reason: `pending migrations: ${pending.join(', ')}` };
      if (
        !(await queue.stats().then(
          () => true,
          () => false,
        ))
      )
        return { ready: false, reason: 'job queue unreachable' };
      if (
        !(await blobs.has('0'.repeat(64)).then(
          () => true,
          () => false,
        ))
      )
        return { ready: false, reason: 'blob store unreachable' };
      return { ready: true };
    };

    // Half the shutdown time for running jobs, the rest for giving them back and closing.
    const jobGraceMs = Math.floor(config.shutdownTimeoutMs / 2);
    const stops: (() => Promise<void>)[] = [];
    let worker: { isReady: () => { ready: boolean; reason?: string } } | undefined;
    if (config.role !== 'api') {
      const started = await startWorker(config, logger, services, adapters);
      worker = started;
      stops.push(() => started.stop(jobGraceMs));
    }
    const isReady = async () => {
      const dependencies = await dependenciesReady();
      return dependencies.ready && worker ? worker.isReady() : dependencies;
    };

    let httpServer: Server;
    let listening = async (_url: string) => {};
    if (config.role === 'worker') {
      httpServer = createServer(createOpsApp(services.metrics, isReady));
    } else {
      const api = await startApi(config, logger, services, adapters, isReady);
      httpServer = api.httpServer;
      listening = api.listening;
      stops.unshift(api.stop);
    }
    await new Promise<void>((resolve, reject) => {
      httpServer.once('error', (error: NodeJS.ErrnoException) => {
        reject(
          error.code === 'EADDRINUSE'
            ? new PortInUseError(
                `Port ${config.port} on ${config.host} is already in use (another maskgraph?): stop it, or set PORT to a free port (0 picks one)`,
              )
            : error,
        );
      });
      httpServer.listen(config.port, config.host, () => resolve());
    });
    const { port } = httpServer.address() as AddressInfo;
    const host = config.host.includes(':') ? `[${config.host}]` : config.host;
    const url = `http://${host}:${port}`;
    await listening(url);
    const allocator = await memoryAllocator();
    services.metrics.reportAllocator(allocator);
    logger.info(config.role === 'worker' ? 'maskgraph worker running' : 'maskgraph listening', {
      url,
      role: config.role,
      ...(config.role === 'worker' ? {} : { graphql: `${url}/graphql` }),
      database: database.kind,
      blobStore: config.blobStore.kind,
      authMode: config.authMode,
      allocator,
    });

    let closing: Promise<void> | undefined;
    const opened = adapters;
    const built = services;
    return {
      url,
      database,
      close: () =>
        (closing ??= (async () => {
          stopping = true;
          await Promise.all(stops.map((stop) => stop())); // HTTP drains while the worker finishes or gives back its jobs
          await built.close();
          if (config.role === 'worker') await new Promise<void>((resolve) => httpServer.close(() => resolve()));
          await opened.close();
          await database.close();
        })()),
    };
  } catch (error) {
    await services?.close().catch(() => {});
    await adapters?.close().catch(() => {});
    await database.close().catch(() => {});
    throw error;
  }
}
