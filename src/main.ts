/**
 * Composition root: configuration → database → adapters → services → the role's front
 * doors. Everything is built here and passed down; nothing below reads the environment.
 * Roles: `all` (the embedded default: HTTP and a worker in one process), `api` (HTTP and
 * GraphQL, never loads a model) and `worker` (runs jobs; serves only health and metrics).
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { configureImageLibrary } from './assets/image.js';
import { openAdapters, type Adapters } from './composition/adapters.js';
import type { Config } from './config/config.js';
import { RenditionService } from './effects/rendition.service.js';
import { createOpsApp } from './http/ops.routes.js';
import { ModelRegistry } from './inference/registry.js';
import { migrateQueueSchema } from './jobs/pg-boss-queue.js';
import { SegmentationEvents } from './events/segmentation-events.js';
import { createLogger, type Logger } from './lib/logger.js';
import { AppMetrics } from './observability/metrics.js';
import { startApi } from './roles/api.js';
import { startWorker } from './roles/worker.js';
import { SegmentationService } from './segmentations/segmentation.service.js';
import { openDatabase, type Database } from './storage/database.js';
import { applyMigrations, pendingMigrations } from './storage/migrate.js';
import { AssetRepository } from './storage/repositories/asset.repository.js';
import { BlobReferenceRepository } from './storage/repositories/blob-reference.repository.js';
import { RenditionRepository } from './storage/repositories/rendition.repository.js';
import { MaskVersionReader } from './corrections/mask-version-reader.js';
import { MaskVersionRepository } from './storage/repositories/mask-version.repository.js';
import { QualityRepository } from './storage/repositories/quality.repository.js';
import { SegmentationRepository } from './storage/repositories/segmentation.repository.js';

export interface Gateway {
  /** e.g. http://127.0.0.1:4000 */
  url: string;
  database: Database;
  /** Stops accepting connections, lets in-flight requests finish, closes the database. */
  close(): Promise<void>;
}

/** Opens the configured database (PGlite under dataDir unless a PostgreSQL URL is set). */
export function openConfiguredDatabase(config: Config): Promise<Database> {
  return openDatabase(
    config.databaseUrl ? { kind: 'postgresql', url: config.databaseUrl, poolSize: POOL_SIZE[config.role] } : { kind: 'pglite', dataDir: join(config.dataDir, 'pglite') },
  );
}

/** Prisma connections per process; the queue (4), locks (≤16, mostly idle) and LISTEN (1) come on top. */
const POOL_SIZE = { all: 10, api: 10, worker: 4 } as const;

/** Creates or upgrades the application's tables and the queue's (what `db deploy` does). */
export async function migrateAll(database: Database): Promise<string[]> {
  const applied = await applyMigrations(database);
  await migrateQueueSchema(database.connection);
  return applied;
}

export async function startGateway(config: Config, logger: Logger = createLogger(config.logLevel)): Promise<Gateway> {
  configureImageLibrary(config.sharpConcurrency);
  const database = await openConfiguredDatabase(config);
  let adapters: Adapters | undefined;
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
    const { blobs, blobLocks, bus, queue, renderQueue } = adapters;
    const metrics = new AppMetrics(config.role, { segmentation: () => queue.stats(), render: () => renderQueue.stats() });
    const references = new BlobReferenceRepository(database.prisma);
    const assetRepository = new AssetRepository(database.prisma);
    const segmentationRepository = new SegmentationRepository(database.prisma);
    const events = new SegmentationEvents('segmentation', bus, (id) => segmentationRepository.findById(id), logger);
    const registry = await ModelRegistry.load(config.modelsDir);
    for (const entry of registry.list()) if (!entry.available) logger.info('model unavailable', { model: entry.manifest.id, reason: entry.unavailableReason });
    const segmentations = new SegmentationService(segmentationRepository, assetRepository, registry, { segment: queue, reviewPriority: adapters.reviewPriorityQueue }, events, { segmentations: segmentationRepository, blobs, blobLocks }, {
      maxQueued: config.maxQueuedJobs,
      maxQueuedPerOwner: config.maxQueuedJobsPerOwner,
      maxAttempts: config.jobMaxAttempts,
    });
    // Used by the API (effect fields, renderEffect's queueing) and by the worker (queued renders).
    const renditions = new RenditionService(new RenditionRepository(database.prisma), assetRepository, references, blobs, blobLocks, config, metrics, adapters.renderQueue, segmentationRepository, logger, new MaskVersionReader(new MaskVersionRepository(database.prisma)), new QualityRepository(database.prisma));
    const recovered = await segmentations.recoverOnStart(adapters.exclusive);
    if (recovered.resent + recovered.released + recovered.reviewPriorities > 0) logger.info('recovered unfinished segmentations', { ...recovered });

    const dependenciesReady = async (): Promise<{ ready: boolean; reason?: string }> => {
      if (!(await database.ping())) return { ready: false, reason: 'database unreachable' };
      const pending = await pendingMigrations(database);
      if (pending.length > 0) return { ready: false, reason: `pending migrations: ${pending.join(', ')}` };
      if (!(await queue.stats().then(() => true, () => false))) return { ready: false, reason: 'job queue unreachable' };
      if (!(await blobs.has('0'.repeat(64)).then(() => true, () => false))) return { ready: false, reason: 'blob store unreachable' };
      return { ready: true };
    };

    const stops: (() => Promise<void>)[] = [];
    let worker: { isReady: () => { ready: boolean; reason?: string } } | undefined;
    if (config.role !== 'api') {
      const started = await startWorker(config, logger, { renditions, renderQueue: adapters.renderQueue, reviewPriorityQueue: adapters.reviewPriorityQueue, registry, queue, segmentationRepository, assetRepository, references, blobs, blobLocks, events, metrics });
      worker = started;
      stops.push(started.stop);
    }
    const isReady = async () => {
      const dependencies = await dependenciesReady();
      return dependencies.ready && worker ? worker.isReady() : dependencies;
    };

    let httpServer: Server;
    let listening = async (_url: string) => {};
    if (config.role === 'worker') {
      httpServer = createServer(createOpsApp(metrics, isReady));
    } else {
      const api = await startApi(config, logger, { renditions, database, adapters, registry, segmentations, segmentationRepository, assetRepository, references, events, metrics, isReady });
      httpServer = api.httpServer;
      listening = api.listening;
      stops.unshift(api.stop);
    }
    await new Promise<void>((resolve, reject) => {
      httpServer.once('error', reject);
      httpServer.listen(config.port, config.host, () => resolve());
    });
    const { port } = httpServer.address() as AddressInfo;
    const host = config.host.includes(':') ? `[${config.host}]` : config.host;
    const url = `http://${host}:${port}`;
    await listening(url);
    logger.info(config.role === 'worker' ? 'maskgraph worker running' : 'maskgraph listening', {
      url, role: config.role, ...(config.role === 'worker' ? {} : { graphql: `${url}/graphql` }), database: database.kind, blobStore: config.blobStore.kind, authMode: config.authMode,
    });

    let closing: Promise<void> | undefined;
    const opened = adapters;
    return {
      url,
      database,
      close: () =>
        (closing ??= (async () => {
          for (const stop of stops) await stop(); // the API drains first, then the worker's running jobs finish
          await renditions.close();
          if (config.role === 'worker') await new Promise<void>((resolve) => httpServer.close(() => resolve()));
          await opened.close();
          await database.close();
        })()),
    };
  } catch (error) {
    await adapters?.close().catch(() => {});
    await database.close().catch(() => {});
    throw error;
  }
}
