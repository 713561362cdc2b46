/**
 * The composition root's second half: every repository, service, thread pool and event
 * follower, built once per process from the configuration, the database and the adapters,
 * and handed to whichever front doors the process opens (API, worker, or both in the
 * embedded default). The CLI's commands take the few pieces they need from here too, so no
 * other file constructs a service (a unit test checks it).
 */
import { join } from 'node:path';
import { AssetService } from '../assets/asset.service.js';
import { BatchService } from '../batches/batch.service.js';
import { ApiKeyService } from '../auth/api-keys.js';
import { DatabaseKeyAdmin } from '../auth/key-admin.js';
import { UrlSigner } from '../auth/url-signer.js';
import { checkConsistency, type FsckOptions, type FsckReport } from '../consistency/fsck.js';
import type { Config } from '../config/config.js';
import { CorrectionService } from '../corrections/correction.service.js';
import { MaskVersionReader } from '../corrections/mask-version-reader.js';
import { RenderPool } from '../effects/render-pool.js';
import { RenditionService } from '../effects/rendition.service.js';
import { ImageService } from '../images/image.service.js';
import { ProxyService } from '../images/proxy.service.js';
import { WebhookService } from '../webhooks/webhook.service.js';
import { PresetService } from '../images/preset.service.js';
import { SummaryService } from '../images/summary.service.js';
import { UploadRuleService } from '../rules/upload-rule.service.js';
import { UploadRuleRepository } from '../storage/repositories/upload-rule.repository.js';
import { ACCEPTED_MIME_TYPES } from '../assets/image.js';
import { OwnerChanges } from '../events/owner-changes.js';
import { JobEvents, SegmentationEvents } from '../events/segmentation-events.js';
import { InferenceEngine } from '../inference/engine.js';
import { QueueControl } from '../jobs/queue-control.js';
import { ModelRegistry } from '../inference/registry.js';
import type { Logger } from '../lib/logger.js';
import { MetricsPool } from '../metrics/metrics-pool.js';
import { AppMetrics } from '../observability/metrics.js';
import { EvaluationService } from '../quality/evaluation.service.js';
import { QualityService } from '../quality/quality.service.js';
import { RefineThread } from '../refinement/refine-thread.js';
import { SegmentationService } from '../segmentations/segmentation.service.js';
import type { Database } from '../storage/database.js';
import type { EvaluationRecord, SegmentationRecord } from '../storage/records.js';
import { AssetRepository } from '../storage/repositories/asset.repository.js';
import { AssetSummaryRepository } from '../storage/repositories/asset-summary.repository.js';
import { ImageVariantRepository } from '../storage/repositories/image-variant.repository.js';
import { ImageProxyRepository } from '../storage/repositories/image-proxy.repository.js';
import { PresetRepository } from '../storage/repositories/preset.repository.js';
import { BatchRepository } from '../storage/repositories/batch.repository.js';
import { BlobReferenceRepository } from '../storage/repositories/blob-reference.repository.js';
import { ConsistencyRepository } from '../storage/repositories/consistency.repository.js';
import { EvaluationRepository } from '../storage/repositories/evaluation.repository.js';
import { MaskVersionRepository } from '../storage/repositories/mask-version.repository.js';
import { OwnerRepository } from '../storage/repositories/owner.repository.js';
import { QualityRepository } from '../storage/repositories/quality.repository.js';
import { QueueStateRepository } from '../storage/repositories/queue-state.repository.js';
import { RenditionRepository } from '../storage/repositories/rendition.repository.js';
import { SegmentationRepository } from '../storage/repositories/segmentation.repository.js';
import { WebhookRepository } from '../storage/repositories/webhook.repository.js';
import type { Adapters } from './adapters.js';

export type Services = Awaited<ReturnType<typeof buildServices>>;

export async function buildServices(config: Config, database: Database, adapters: Adapters, logger: Logger) {
  const { blobs, blobLocks, bus, queue, renderQueue, reviewPriorityQueue, batchQueue, webhookQueue } = adapters;
  const repositories = {
    owners: new OwnerRepository(database.prisma),
    assets: new AssetRepository(database.prisma),
    segmentations: new SegmentationRepository(database.prisma),
    references: new BlobReferenceRepository(database.prisma),
    renditions: new RenditionRepository(database.prisma),
    maskVersions: new MaskVersionRepository(database.prisma),
    quality: new QualityRepository(database.prisma),
    evaluations: new EvaluationRepository(database.prisma),
    presets: new PresetRepository(database.prisma),
    imageVariants: new ImageVariantRepository(database.prisma),
    proxies: new ImageProxyRepository(database.prisma),
    summaries: new AssetSummaryRepository(database.prisma),
    batches: new BatchRepository(database.prisma),
    webhooks: new WebhookRepository(database.prisma),
    uploadRules: new UploadRuleRepository(database.prisma),
  };
  const metrics = new AppMetrics(config.role, { segmentation: () => queue.stats(), render: () => renderQueue.stats() });
  metrics.countSqlStatements(() => database.statementCount());
  const segmentationEvents = new SegmentationEvents('segmentation', bus, (id) => repositories.segmentations.findById(id), logger);
  const evaluationEvents = new JobEvents<EvaluationRecord>('evaluation', bus, (id) => repositories.evaluations.findById(id), logger);
  metrics.countFollowers(() => segmentationEvents.followers + evaluationEvents.followers);
  const registry = await ModelRegistry.load(config.modelsDir);
  // Mask-scoring threads (quality scores, corrections' HCE, review priorities), shared between owners; each starts on first use.
  const scoring = new MetricsPool({ threads: config.metricsThreads, maxPixels: config.metricsMaxPixels });
  const maskVersions = new MaskVersionReader(repositories.maskVersions);
  const apiKeys = new ApiKeyService(repositories.owners);
  // Events to owners' endpoints: recorded by whichever process makes the event, delivered by workers.
  const webhooks = new WebhookService(repositories.webhooks, webhookQueue, config.webhooks, logger);

  const segmentations = new SegmentationService(
    repositories.segmentations,
    repositories.assets,
    registry,
    { segment: queue, reviewPriority: reviewPriorityQueue },
    segmentationEvents,
    { segmentations: repositories.segmentations, blobs, blobLocks },
    { maxQueued: config.maxQueuedJobs, maxQueuedPerOwner: config.maxQueuedJobsPerOwner, maxAttempts: config.jobMaxAttempts },
  );
  const quality = new QualityService(
    repositories.quality,
    repositories.assets,
    repositories.references,
    blobs,
    blobLocks,
    scoring,
    repositories.segmentations,
    config.maxUploadBytes,
    metrics,
  );
  // One render thread per concurrent render, shared by effects, preset images and summaries; started on first use.
  const renderPool = new RenderPool(config.maxConcurrentRenders);
  metrics.reportRenderMemory(() => renderPool.memory());
  const presets = new PresetService(repositories.presets, repositories.references, blobs, blobLocks);
  // What renders decode when their output fits in a preview proxy (made on the render threads).
  const proxies = new ProxyService(repositories.proxies, repositories.references, blobs, blobLocks, renderPool, config.proxyMaxSide, metrics);
  const domain = {
    batches: new BatchService(
      repositories.batches,
      segmentations,
      { segment: queue, batch: batchQueue },
      { maxAssets: config.batchMaxAssets, maxOpenPerOwner: config.maxOpenBatchesPerOwner },
      webhooks,
      presets,
    ),
    assets: new AssetService(repositories.assets, repositories.references, blobs, blobLocks, config, segmentationEvents, webhooks, proxies),
    webhooks,
    segmentations,
    registry,
    quality,
    evaluations: new EvaluationService(
      repositories.evaluations,
      repositories.assets,
      segmentations,
      quality,
      registry,
      scoring,
      blobs,
      logger,
      evaluationEvents,
    ),
    // Used by the API (effect fields, renderEffect's queueing) and by the worker (queued renders).
    renditions: new RenditionService(
      repositories.renditions,
      repositories.assets,
      repositories.references,
      blobs,
      blobLocks,
      config,
      metrics,
      renderQueue,
      repositories.segmentations,
      logger,
      maskVersions,
      repositories.quality,
      renderPool,
      webhooks,
      proxies,
    ),
    presets,
    // Issues image URLs on the API; renders them on the worker (queued by the API's GETs).
    images: new ImageService(
      repositories.assets,
      repositories.segmentations,
      maskVersions,
      presets,
      repositories.imageVariants,
      repositories.references,
      blobs,
      blobLocks,
      renderPool,
      renderQueue,
      bus,
      segmentations,
      config,
      logger,
      metrics,
      proxies,
    ),
    summaries: new SummaryService(repositories.summaries, proxies, renderPool, logger),
    corrections: new CorrectionService(
      repositories.maskVersions,
      maskVersions,
      repositories.segmentations,
      blobs,
      blobLocks,
      scoring,
      config.maxUploadBytes,
      webhooks,
    ),
  };
  // Run on the API after each upload, and on the worker after each new mask.
  const uploadRules = new UploadRuleService(
    repositories.uploadRules,
    repositories.assets,
    segmentations,
    presets,
    domain.images,
    domain.batches,
    ACCEPTED_MIME_TYPES,
    logger,
  );

  // The models and the refinement thread only where jobs run: an API process never loads a model.
  const runsJobs = config.role !== 'api';
  const engine = runsJobs
    ? new InferenceEngine(registry, {
        intraOpThreads: config.inferenceThreads,
        maxConcurrentRuns: config.maxConcurrentJobs,
        executionProvider: config.executionProvider,
        idleUnloadSeconds: config.modelIdleUnloadSeconds,
      })
    : undefined;
  if (engine) metrics.reportModels(() => engine.residency());
  const refiner = runsJobs ? new RefineThread() : undefined; // its thread starts on first use

  return {
    repositories,
    metrics,
    /** What GraphQL resolvers and file routes call. */
    domain: { ...domain, uploadRules },
    /** Preview proxies; a draft run reads its photo from one. */
    proxies,
    /** The render threads (renditions, preset images, proxies); warmed up at start where previews are served (roles/api.ts). */
    renderPool,
    events: { segmentations: segmentationEvents, evaluations: evaluationEvents },
    registry,
    scoring,
    apiKeys,
    // What cached GraphQL answers are keyed by: the owners whose rows changed, as announced.
    ownerChanges: new OwnerChanges(bus),
    keyAdmin: new DatabaseKeyAdmin(repositories.owners, apiKeys),
    // File URLs are signed where HTTP is served: a worker makes none (and keeps no key file).
    signer:
      config.role === 'worker'
        ? undefined
        : await UrlSigner.fromSecretOrFile(
            config.urlSigningSecret,
            join(config.dataDir, 'url-signing.key'),
            config.fileUrlTtlSeconds,
            config.urlSigningSecretPrevious,
          ),
    /** `maskgraph fsck` through this gateway's control route (the embedded database admits no second process). */
    fsck: consistencyCheck(database, adapters, logger, segmentationEvents),
    /** Pause switches the workers read, and `maskgraph queue …` through the control route. */
    queueControl: queueControlFor(database, adapters),
    engine,
    refiner,
    /** Ends the threads (after the front doors have stopped). */
    close: async () => {
      await domain.summaries.settled();
      await renderPool.close();
      await engine?.close();
      await refiner?.close();
      await scoring.close();
    },
  };
}

/** Key administration straight on a database (the CLI, where no gateway holds it). */
export function keyAdminFor(database: Database): DatabaseKeyAdmin {
  const owners = new OwnerRepository(database.prisma);
  return new DatabaseKeyAdmin(owners, new ApiKeyService(owners));
}

/** `maskgraph fsck` over a database and its adapters (src/consistency/fsck.ts). */
export function consistencyCheck(
  database: Database,
  adapters: Pick<Adapters, 'blobs' | 'blobLocks' | 'bus' | 'queue' | 'reviewPriorityQueue' | 'webhookQueue'>,
  logger: Logger,
  events?: SegmentationEvents,
): (options: FsckOptions) => Promise<FsckReport> {
  const segmentations = new SegmentationRepository(database.prisma);
  const announce = events ?? new SegmentationEvents('segmentation', adapters.bus, (id) => segmentations.findById(id), logger);
  const deps = {
    consistency: new ConsistencyRepository(database.prisma),
    segmentations,
    references: new BlobReferenceRepository(database.prisma),
    blobs: adapters.blobs,
    blobLocks: adapters.blobLocks,
    queues: { segment: adapters.queue, reviewPriority: adapters.reviewPriorityQueue, webhook: adapters.webhookQueue },
    webhooks: new WebhookRepository(database.prisma),
    publish: (record: SegmentationRecord | null) => announce.publish(record),
    logger,
  };
  return (options) => checkConsistency(deps, options);
}

/** `maskgraph queue status | pause | resume`: pauses the model runs and batch steps of every worker. */
export function queueControlFor(
  database: Database,
  adapters: Pick<Adapters, 'bus' | 'queue' | 'batchQueue' | 'renderQueue' | 'reviewPriorityQueue'>,
): QueueControl {
  return new QueueControl(
    new QueueStateRepository(database.prisma),
    [adapters.queue, adapters.batchQueue],
    [adapters.renderQueue, adapters.reviewPriorityQueue],
    (queue) => adapters.bus.publish({ topic: 'queue', id: queue }),
  );
}

/** Which blobs rows still reference (the CLI's `gc`). */
export function blobReferencesFor(database: Database): BlobReferenceRepository {
  return new BlobReferenceRepository(database.prisma);
}

/** The model registry alone (the CLI's `models`). */
export function loadRegistry(config: Config): Promise<ModelRegistry> {
  return ModelRegistry.load(config.modelsDir);
}

/** A model runner for `maskgraph eval`: one run at a time, and the refinement thread when asked. */
export async function evaluationRunner(config: Config, refine: boolean) {
  const registry = await loadRegistry(config);
  const engine = new InferenceEngine(registry, { intraOpThreads: config.inferenceThreads, maxConcurrentRuns: 1, executionProvider: config.executionProvider });
  const refiner = refine ? new RefineThread() : undefined;
  return {
    registry,
    engine,
    refiner,
    close: async () => {
      await engine.close();
      await refiner?.close();
    },
  };
}

/** The API keys of a database (the CLI's first-run sign-in link). */
export function apiKeysFor(database: Database): ApiKeyService {
  return new ApiKeyService(new OwnerRepository(database.prisma));
}
