/**
 * Composition root: configuration → database → adapters → services → the role's front
 * doors. Everything is built here and passed down; nothing below reads the environment.
 * Roles: `all` (the embedded default: HTTP and a worker in one process), `api` (HTTP and
 * GraphQL, never loads a model) and `worker` (runs jobs; serves only health and metrics).
 */
import { createServer } from 'node:http';
import { setPriority } from 'node:os';
import { BACKGROUND_NICE } from './lib/thread-priority.js';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { AssetService } from './assets/asset.service.js';
import { configureImageLibrary } from './assets/image.js';
import { ApiKeyService } from './auth/api-keys.js';
import { UrlSigner } from './auth/url-signer.js';
import type { Config } from './config/config.js';
import { createGraphQLServers } from './graphql/server.js';
import { FileUrls } from './graphql/file-urls.js';
import { OriginPolicy, requestProtocol } from './http/origin-policy.js';
import type { GraphQLContext } from './graphql/context.js';
import { InferenceEngine } from './inference/engine.js';
import { ModelRegistry } from './inference/registry.js';
import { createSegmentMaskHandler } from './jobs/handlers/segment-mask.job.js';
import { JobEvents, SegmentationEvents } from './jobs/segmentation-events.js';
import { openAdapters, type Adapters } from './composition/adapters.js';
import { createOpsApp } from './http/ops.routes.js';
import { controlRoutes, newControlToken, writeControlFile } from './http/control.routes.js';
import { DatabaseKeyAdmin } from './auth/key-admin.js';
import { AppMetrics } from './observability/metrics.js';
import { migrateQueueSchema } from './jobs/pg-boss-queue.js';
import type { EvaluationRecord } from './storage/records.js';
import type { Server } from 'node:http';
import { SegmentationService } from './segmentations/segmentation.service.js';
import { SegmentationRepository } from './storage/repositories/segmentation.repository.js';
import { isAppError } from './errors.js';
import { MetricsWorker } from './metrics/metrics-pool.js';
import { RenditionService } from './effects/rendition.service.js';
import { EvaluationService } from './quality/evaluation.service.js';
import { RenditionRepository } from './storage/repositories/rendition.repository.js';
import { QualityService } from './quality/quality.service.js';
import { EvaluationRepository } from './storage/repositories/evaluation.repository.js';
import { QualityRepository } from './storage/repositories/quality.repository.js';
import { createApp } from './http/app.js';
import { createLogger, type Logger } from './lib/logger.js';
import { collectBlobGarbage } from './storage/blob-gc.js';
import { openDatabase, type Database } from './storage/database.js';
import { applyMigrations, pendingMigrations } from './storage/migrate.js';
import { AssetRepository } from './storage/repositories/asset.repository.js';
import { BlobReferenceRepository } from './storage/repositories/blob-reference.repository.js';
import { OwnerRepository } from './storage/repositories/owner.repository.js';

/** Blobs younger than this are never swept: an upload may still be about to insert its row. */
const GC_GRACE_MS = 60 * 60 * 1000;

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
      const applied = await migrateAll(database);
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
    const segmentations = new SegmentationService(segmentationRepository, assetRepository, registry, queue, events, { segmentations: segmentationRepository, blobs, blobLocks }, {
      maxQueued: config.maxQueuedJobs,
      maxQueuedPerOwner: config.maxQueuedJobsPerOwner,
      maxAttempts: config.jobMaxAttempts,
    });
    // Used by the API (effect fields, renderEffect's queueing) and by the worker (queued renders).
    const renditions = new RenditionService(new RenditionRepository(database.prisma), assetRepository, references, blobs, blobLocks, config, metrics, adapters.renderQueue, segmentationRepository, logger);
    const recovered = await segmentations.recoverOnStart(adapters.exclusive);
    if (recovered.resent + recovered.released > 0) logger.info('recovered unfinished segmentations', { ...recovered });

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
      const started = await startWorker(config, logger, { renditions, renderQueue: adapters.renderQueue, registry, queue, segmentationRepository, assetRepository, references, blobs, blobLocks, events, metrics });
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

interface WorkerDeps {
  renditions: RenditionService;
  renderQueue: Adapters['renderQueue'];
  registry: ModelRegistry;
  queue: Adapters['queue'];
  segmentationRepository: SegmentationRepository;
  assetRepository: AssetRepository;
  references: BlobReferenceRepository;
  blobs: Adapters['blobs'];
  blobLocks: Adapters['blobLocks'];
  events: SegmentationEvents;
  metrics: AppMetrics;
}

/** The worker: the models and the queue's consumer. Lowers its CPU priority in the worker role, so a gateway on the same machine stays responsive. */
async function startWorker(config: Config, logger: Logger, deps: WorkerDeps) {
  if (config.role === 'worker') {
    try {
      setPriority(BACKGROUND_NICE); // this thread and, on Linux, every thread started after it
    } catch (error) {
      logger.warn('could not lower the worker\'s CPU priority', { error });
    }
  }
  const engine = new InferenceEngine(deps.registry, {
    intraOpThreads: config.inferenceThreads,
    maxConcurrentRuns: config.maxConcurrentJobs,
    executionProvider: config.executionProvider,
  });
  let warm: { ready: boolean; reason?: string } = { ready: true };
  const defaultModel = deps.registry.defaultModel();
  if (config.warmUp && defaultModel?.available) {
    warm = { ready: false, reason: `loading model ${defaultModel.manifest.id}` };
    void engine.warmUp(defaultModel.manifest.id).then(
      () => {
        warm = { ready: true };
        logger.info('model warmed up', { model: defaultModel.manifest.id });
      },
      (error: unknown) => {
        warm = { ready: false, reason: `model ${defaultModel.manifest.id} failed to load` };
        logger.warn('model warm-up failed', { error });
      },
    );
  }
  await deps.queue.work(
    config.maxConcurrentJobs,
    createSegmentMaskHandler({
      segmentations: deps.segmentationRepository,
      assets: deps.assetRepository,
      references: deps.references,
      blobs: deps.blobs,
      blobLocks: deps.blobLocks,
      engine,
      events: deps.events,
      logger,
      metrics: deps.metrics,
      jobTimeoutMs: config.jobTimeoutMs,
      maxAttempts: config.jobMaxAttempts,
    }),
  );
  await deps.renderQueue.work(config.maxConcurrentRenders, (job) => deps.renditions.runQueuedRender(job));
  return {
    isReady: () => warm,
    stop: async () => {
      await deps.renderQueue.stop(); // the running jobs finish; waiting ones stay queued
      await deps.queue.stop();
      await engine.close();
    },
  };
}

interface ApiDeps {
  renditions: RenditionService;
  database: Database;
  adapters: Adapters;
  registry: ModelRegistry;
  segmentations: SegmentationService;
  segmentationRepository: SegmentationRepository;
  assetRepository: AssetRepository;
  references: BlobReferenceRepository;
  events: SegmentationEvents;
  metrics: AppMetrics;
  isReady: () => Promise<{ ready: boolean; reason?: string }>;
}

/** The API: GraphQL over HTTP and WebSockets, file downloads, the web page. */
async function startApi(config: Config, logger: Logger, deps: ApiDeps) {
  const { database, adapters, registry, segmentations, assetRepository, references } = deps;
  const { blobs, blobLocks } = adapters;
  const owners = new OwnerRepository(database.prisma);
  const apiKeys = new ApiKeyService(owners);
  const assets = new AssetService(assetRepository, references, blobs, blobLocks, config, deps.events);
  const metricsWorker = new MetricsWorker();
  const quality = new QualityService(
    new QualityRepository(database.prisma),
    assetRepository,
    references,
    blobs,
    blobLocks,
    metricsWorker,
    deps.segmentationRepository,
    config.maxUploadBytes,
  );
  const evaluationRepository = new EvaluationRepository(database.prisma);
  const evaluationEvents = new JobEvents<EvaluationRecord>('evaluation', adapters.bus, (id) => evaluationRepository.findById(id), logger);
  const evaluations = new EvaluationService(evaluationRepository, assetRepository, segmentations, quality, registry, metricsWorker, blobs, logger, evaluationEvents);
  // Evaluations run inside the API process that started them: only the database's sole user may fail leftovers.
  if (adapters.exclusive) {
    const interrupted = await evaluations.failUnfinished();
    if (interrupted > 0) logger.info('failed evaluations interrupted by a stop', { count: interrupted });
  }
  const renditions = deps.renditions;
  const services = { assets, segmentations, registry, quality, evaluations, renditions };
  const signer = await UrlSigner.fromSecretOrFile(config.urlSigningSecret, join(config.dataDir, 'url-signing.key'), config.fileUrlTtlSeconds);
  const singleUser = config.authMode === 'single-user' ? await apiKeys.singleUserOwner() : undefined;

  // Sweep what a crash may have left behind, without delaying start-up.
  void collectBlobGarbage(blobs, references, GC_GRACE_MS, blobLocks).then(
    (report) => logger.info('blob garbage collection finished', { ...report }),
    (error: unknown) => logger.warn('blob garbage collection failed', { error }),
  );

  // Keep idle connections longer than clients and proxies do (Node's 5 s default races
  // with clients reusing a connection just as the server closes it: ECONNRESET).
  const httpServer = createServer();
  httpServer.keepAliveTimeout = 65_000;
  httpServer.headersTimeout = 66_000;
  const originPolicy = new OriginPolicy({ singleUser: singleUser !== undefined, publicUrl: config.publicUrl, allowedOrigins: config.allowedOrigins });
  const { apollo, closeSubscriptions } = createGraphQLServers(httpServer, config, logger, async (connectionParams, request): Promise<GraphQLContext> => {
    const authorization = typeof connectionParams?.authorization === 'string' ? connectionParams.authorization : undefined;
    const owner = singleUser ?? (await apiKeys.authenticate(authorization).catch((error: unknown) => {
      throw isAppError(error) ? error : new Error('authentication failed');
    }));
    const base = config.publicUrl ?? `${requestProtocol(request)}://${request.headers.host ?? `${config.host}:${config.port}`}`;
    return { owner, services, fileUrls: new FileUrls(signer, base), config, requestId: undefined };
  }, originPolicy);
  await apollo.start();
  // The embedded database admits one process: `maskgraph keys` reaches it through this gateway.
  const controlToken = adapters.exclusive ? newControlToken() : undefined;
  const control = controlToken ? controlRoutes(new DatabaseKeyAdmin(owners, apiKeys), controlToken) : undefined;
  const app = createApp({ originPolicy, config, logger, apollo, services, apiKeys, singleUser, signer, blobs, presigner: adapters.presigner, metrics: deps.metrics, isReady: deps.isReady, control });
  httpServer.on('request', app);
  let removeControlFile = async () => {};
  return {
    httpServer,
    /** Called once listening: publishes the control file. */
    listening: async (url: string) => {
      if (controlToken) removeControlFile = await writeControlFile(config.dataDir, url, controlToken);
    },
    stop: async () => {
      await removeControlFile();
      await closeSubscriptions();
      await apollo.stop(); // drains the HTTP server: no new connections, in-flight ones finish
      await metricsWorker.close();
    },
  };
}
