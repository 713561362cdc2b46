/**
 * The API role's front door: GraphQL over HTTP and WebSockets, file downloads, the web
 * page, and (embedded only) the CLI's control route. Also part of the all-in-one default.
 */
import { createServer } from 'node:http';
import { join } from 'node:path';
import { AssetService } from '../assets/asset.service.js';
import { DatabaseKeyAdmin } from '../auth/key-admin.js';
import { ApiKeyService } from '../auth/api-keys.js';
import { UrlSigner } from '../auth/url-signer.js';
import type { Adapters } from '../composition/adapters.js';
import type { Config } from '../config/config.js';
import type { RenditionService } from '../effects/rendition.service.js';
import { isAppError } from '../errors.js';
import type { GraphQLContext } from '../graphql/context.js';
import { FileUrls } from '../graphql/file-urls.js';
import { createGraphQLServers } from '../graphql/server.js';
import { createApp } from '../http/app.js';
import { controlRoutes, newControlToken, writeControlFile } from '../http/control.routes.js';
import { OriginPolicy, requestProtocol } from '../auth/origin-policy.js';
import type { ModelRegistry } from '../inference/registry.js';
import { JobEvents, type SegmentationEvents } from '../events/segmentation-events.js';
import type { Logger } from '../lib/logger.js';
import { MetricsWorker } from '../metrics/metrics-pool.js';
import type { AppMetrics } from '../observability/metrics.js';
import { EvaluationService } from '../quality/evaluation.service.js';
import { QualityService } from '../quality/quality.service.js';
import type { SegmentationService } from '../segmentations/segmentation.service.js';
import { collectBlobGarbage } from '../storage/blob-gc.js';
import type { Database } from '../storage/database.js';
import type { EvaluationRecord } from '../storage/records.js';
import type { AssetRepository } from '../storage/repositories/asset.repository.js';
import type { BlobReferenceRepository } from '../storage/repositories/blob-reference.repository.js';
import { EvaluationRepository } from '../storage/repositories/evaluation.repository.js';
import { OwnerRepository } from '../storage/repositories/owner.repository.js';
import { QualityRepository } from '../storage/repositories/quality.repository.js';
import { MaskVersionRepository } from '../storage/repositories/mask-version.repository.js';
import { CorrectionService } from '../corrections/correction.service.js';
import type { SegmentationRepository } from '../storage/repositories/segmentation.repository.js';

/** Blobs younger than this are never swept: an upload may still be about to insert its row. */
const GC_GRACE_MS = 60 * 60 * 1000;

export interface ApiDeps {
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
export async function startApi(config: Config, logger: Logger, deps: ApiDeps) {
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
  const corrections = new CorrectionService(new MaskVersionRepository(database.prisma), deps.segmentationRepository, blobs, blobLocks, metricsWorker, config.maxUploadBytes);
  const services = { assets, segmentations, registry, quality, evaluations, renditions, corrections };
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
