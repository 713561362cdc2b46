/**
 * Composition root: configuration → database → services → HTTP. Everything is built
 * here and passed down; nothing below reads the environment.
 */
import { createServer } from 'node:http';
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
import { InProcessJobQueue } from './jobs/job-queue.js';
import { SegmentationEvents } from './jobs/segmentation-events.js';
import { KeyedMutex } from './lib/keyed-mutex.js';
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
import { FileBlobStore } from './storage/blob-store.js';
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
    config.databaseUrl ? { kind: 'postgresql', url: config.databaseUrl } : { kind: 'pglite', dataDir: join(config.dataDir, 'pglite') },
  );
}

export async function startGateway(config: Config, logger: Logger = createLogger(config.logLevel)): Promise<Gateway> {
  configureImageLibrary(config.sharpConcurrency);
  const database = await openConfiguredDatabase(config);
  try {
    if (config.autoMigrate) {
      const applied = await applyMigrations(database);
      if (applied.length > 0) logger.info('applied migrations', { applied });
    } else {
      const pending = await pendingMigrations(database);
      if (pending.length > 0) logger.warn('database has pending migrations; run `npm run db:deploy`', { pending });
    }

    const blobs = await FileBlobStore.open(config.blobDir);
    const blobLocks = new KeyedMutex();
    const references = new BlobReferenceRepository(database.prisma);
    const owners = new OwnerRepository(database.prisma);
    const apiKeys = new ApiKeyService(owners);
    const assetRepository = new AssetRepository(database.prisma);
    const events = new SegmentationEvents();
    const assets = new AssetService(assetRepository, references, blobs, blobLocks, config, events);

    const registry = await ModelRegistry.load(config.modelsDir);
    for (const entry of registry.list()) if (!entry.available) logger.info('model unavailable', { model: entry.manifest.id, reason: entry.unavailableReason });
    const engine = new InferenceEngine(registry, {
      intraOpThreads: config.inferenceThreads,
      maxConcurrentRuns: config.maxConcurrentJobs,
      executionProvider: config.executionProvider,
    });
    const queue = new InProcessJobQueue(config.maxConcurrentJobs, config.maxQueuedJobs, (id, error) => logger.error('job crashed', { id, error }));
    const segmentationRepository = new SegmentationRepository(database.prisma);
    const segmentations = new SegmentationService(segmentationRepository, assetRepository, registry, queue, events, { segmentations: segmentationRepository, blobs, blobLocks });
    queue.start(
      createSegmentMaskHandler({
        segmentations: segmentationRepository,
        assets: assetRepository,
        references,
        blobs,
        blobLocks,
        engine,
        events,
        logger,
        jobTimeoutMs: config.jobTimeoutMs,
      }),
    );
    const resumed = await segmentations.resumeUnfinished();
    if (resumed.requeued + resumed.failed > 0) logger.info('resumed unfinished segmentations', { ...resumed });
    const defaultModel = registry.defaultModel();
    if (config.warmUp && defaultModel?.available) {
      void engine.warmUp(defaultModel.manifest.id).then(
        () => logger.info('model warmed up', { model: defaultModel.manifest.id }),
        (error: unknown) => logger.warn('model warm-up failed', { error }),
      );
    }
    const metricsWorker = new MetricsWorker();
    const quality = new QualityService(
      new QualityRepository(database.prisma),
      assetRepository,
      references,
      blobs,
      blobLocks,
      metricsWorker,
      segmentationRepository,
      config.maxUploadBytes,
    );
    const evaluations = new EvaluationService(new EvaluationRepository(database.prisma), assetRepository, segmentations, quality, registry, metricsWorker, blobs, logger);
    const interrupted = await evaluations.failUnfinished();
    if (interrupted > 0) logger.info('failed evaluations interrupted by a stop', { count: interrupted });
    const renditions = new RenditionService(new RenditionRepository(database.prisma), assetRepository, references, blobs, blobLocks, config);
    const services = { assets, segmentations, engine, quality, evaluations, renditions };
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
      return { owner, services, fileUrls: new FileUrls(signer, base), config };
    }, originPolicy);
    await apollo.start();
    const app = createApp({
      originPolicy,
      config,
      logger,
      apollo,
      services,
      apiKeys,
      singleUser,
      signer,
      blobs,
      isReady: async () => {
        if (!(await database.ping())) return { ready: false, reason: 'database unreachable' };
        const pending = await pendingMigrations(database);
        return pending.length > 0 ? { ready: false, reason: `pending migrations: ${pending.join(', ')}` } : { ready: true };
      },
    });
    httpServer.on('request', app);
    await new Promise<void>((resolve, reject) => {
      httpServer.once('error', reject);
      httpServer.listen(config.port, config.host, () => resolve());
    });
    const { port } = httpServer.address() as AddressInfo;
    const host = config.host.includes(':') ? `[${config.host}]` : config.host;
    const url = `http://${host}:${port}`;
    logger.info('maskgraph listening', { url, graphql: `${url}/graphql`, database: database.kind, authMode: config.authMode });

    let closing: Promise<void> | undefined;
    return {
      url,
      database,
      close: () =>
        (closing ??= (async () => {
          await closeSubscriptions();
          await apollo.stop(); // drains the HTTP server: no new connections, in-flight ones finish
          await queue.stop(); // the running job finishes; queued ones stay QUEUED in the database
          await engine.close();
          await metricsWorker.close();
          await database.close();
        })()),
    };
  } catch (error) {
    await database.close().catch(() => {});
    throw error;
  }
}
