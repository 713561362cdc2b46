/**
 * The worker role's front door: the models on inference threads and the consumers of the
 * job queues (segmentations, full-size renders). Also part of the all-in-one default.
 */
import { setPriority } from 'node:os';
import type { Adapters } from '../composition/adapters.js';
import type { Config } from '../config/config.js';
import type { RenditionService } from '../effects/rendition.service.js';
import { InferenceEngine } from '../inference/engine.js';
import type { ModelRegistry } from '../inference/registry.js';
import { createReviewPriorityHandler } from '../segmentations/review-priority.job.js';
import { createSegmentMaskHandler } from '../segmentations/segment-mask.job.js';
import type { SegmentationEvents } from '../events/segmentation-events.js';
import type { Logger } from '../lib/logger.js';
import { BACKGROUND_NICE } from '../lib/thread-priority.js';
import { MetricsWorker } from '../metrics/metrics-pool.js';
import { RefineThread } from '../refinement/refine-thread.js';
import type { AppMetrics } from '../observability/metrics.js';
import type { AssetRepository } from '../storage/repositories/asset.repository.js';
import type { BlobReferenceRepository } from '../storage/repositories/blob-reference.repository.js';
import type { SegmentationRepository } from '../storage/repositories/segmentation.repository.js';

export interface WorkerDeps {
  renditions: RenditionService;
  renderQueue: Adapters['renderQueue'];
  reviewPriorityQueue: Adapters['reviewPriorityQueue'];
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
export async function startWorker(config: Config, logger: Logger, deps: WorkerDeps) {
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
  const scoring = new MetricsWorker(); // its thread starts on first use
  const refiner = new RefineThread(); // likewise
  await deps.queue.work(
    config.maxConcurrentJobs,
    createSegmentMaskHandler({
      segmentations: deps.segmentationRepository,
      assets: deps.assetRepository,
      references: deps.references,
      blobs: deps.blobs,
      blobLocks: deps.blobLocks,
      engine,
      reviewPriorityQueue: deps.reviewPriorityQueue,
      refiner,
      events: deps.events,
      logger,
      metrics: deps.metrics,
      jobTimeoutMs: config.jobTimeoutMs,
      maxAttempts: config.jobMaxAttempts,
    }),
  );
  await deps.renderQueue.work(config.maxConcurrentRenders, (job) => deps.renditions.runQueuedRender(job));
  // One at a time: the estimates share the metrics thread and must not crowd out the models.
  await deps.reviewPriorityQueue.work(1, createReviewPriorityHandler({
    segmentations: deps.segmentationRepository, blobs: deps.blobs, scoring, events: deps.events, logger, metrics: deps.metrics,
  }));
  return {
    isReady: () => warm,
    stop: async () => {
      await deps.renderQueue.stop(); // the running jobs finish; waiting ones stay queued
      await deps.reviewPriorityQueue.stop();
      await deps.queue.stop();
      await engine.close();
      await scoring.close();
      await refiner.close();
    },
  };
}
