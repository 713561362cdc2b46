/**
 * The worker role's front door: consumers of the job queues (segmentations, full-size
 * renders, review priorities) over the models in inference worker processes. Also part of the
 * all-in-one default. Builds nothing: every service comes from the composition root.
 */
import { setPriority } from 'node:os';
import type { Adapters } from '../composition/adapters.js';
import type { Services } from '../composition/services.js';
import type { Config } from '../config/config.js';
import type { Logger } from '../lib/logger.js';
import { BACKGROUND_NICE } from '../lib/thread-priority.js';
import { createBatchHandler } from '../batches/batch.job.js';
import { createReviewPriorityHandler } from '../segmentations/review-priority.job.js';
import { createSegmentMaskHandler } from '../segmentations/segment-mask.job.js';
import { ImageService } from '../images/image.service.js';

/**
 * In the worker role, lowers this process's CPU priority before any thread starts (on Linux
 * every thread started after this inherits it), so a gateway on the same machine stays
 * responsive.
 */
export function lowerWorkerPriority(config: Config, logger: Logger): void {
  if (config.role !== 'worker') return;
  try {
    setPriority(BACKGROUND_NICE);
  } catch (error) {
    logger.warn("could not lower the worker's CPU priority", { error });
  }
}

/** How far back a worker's start looks for segmentations whose webhook event a crash lost. */
const MISSED_EVENTS_WINDOW_MS = 3_600_000;

/** The models MODELS_PRELOAD names (by default the default model), those that are available. */
function modelsToPreload(config: Config, services: Services, logger: Logger): string[] {
  const wanted = config.modelsPreload ?? [services.registry.defaultModel()?.manifest.id].filter((id) => id !== undefined);
  return wanted.filter((id) => {
    const entry = services.registry.list().find((candidate) => candidate.manifest.id === id);
    if (!entry?.available) logger.warn('MODELS_PRELOAD names a model that is not available; it loads on first use if it becomes so', { model: id });
    return entry?.available ?? false;
  });
}

/** Starts consuming the queues; `isReady` is false while the preloaded models warm up. */
export async function startWorker(config: Config, logger: Logger, services: Services, adapters: Adapters) {
  const engine = services.engine!;
  const refiner = services.refiner!;
  let warm: { ready: boolean; reason?: string } = { ready: true };
  const preload = config.warmUp ? modelsToPreload(config, services, logger) : [];
  if (preload.length > 0) {
    warm = { ready: false, reason: `loading ${preload.length === 1 ? 'model' : 'models'} ${preload.join(', ')}` };
    void (async () => {
      for (const model of preload) await engine.warmUp(model);
    })().then(
      () => {
        warm = { ready: true };
        logger.info('models warmed up', { models: preload });
      },
      (error: unknown) => {
        warm = { ready: false, reason: `a preloaded model failed to load (${preload.join(', ')})` };
        logger.warn('model warm-up failed', { error });
      },
    );
  }
  const { repositories, events, metrics } = services;
  await adapters.queue.work(
    config.maxConcurrentJobs,
    createSegmentMaskHandler({
      segmentations: repositories.segmentations,
      assets: repositories.assets,
      references: repositories.references,
      blobs: adapters.blobs,
      blobLocks: adapters.blobLocks,
      engine,
      reviewPriorityQueue: adapters.reviewPriorityQueue,
      refiner,
      events: events.segmentations,
      logger,
      metrics,
      jobTimeoutMs: config.jobTimeoutMs,
      maxAttempts: config.jobMaxAttempts,
      batches: services.domain.batches,
      webhooks: services.domain.webhooks,
      proxies: services.proxies,
      masks: services.domain.uploadRules,
    }),
    { paused: services.queueControl.gate(adapters.queue) },
  );
  // Tag, delete and render batches: one at a time per worker, a chunk of items per step.
  await adapters.batchQueue.work(
    1,
    createBatchHandler({
      batches: repositories.batches,
      gate: services.domain.batches,
      assets: services.domain.assets,
      presets: services.domain.presets,
      images: services.domain.images,
      logger,
    }),
    { paused: services.queueControl.gate(adapters.batchQueue) },
  );
  // The render queue carries renderEffect's full-size renders and preset images' first renders.
  const { renditions, images } = services.domain;
  await adapters.renderQueue.work(config.maxConcurrentRenders, (job) =>
    ImageService.isImageJob(job) ? images.runQueuedImage(job) : renditions.runQueuedRender(job),
  );
  // Webhook attempts: network waits, a few at a time; scheduled attempts whose job a crash lost are sent again.
  const { webhooks } = services.domain;
  await webhooks.recoverScheduled().catch((error: unknown) => logger.warn('scheduled webhook attempts not re-sent', { error }));
  await webhooks
    .recoverMissedSegmentationEvents(MISSED_EVENTS_WINDOW_MS)
    .then((recorded) => recorded > 0 && logger.info('webhook events recorded that a crash had lost', { recorded }))
    .catch((error: unknown) => logger.warn('missed webhook events not recovered', { error }));
  await adapters.webhookQueue.work(config.webhooks.concurrency, (job) => webhooks.attempt(job.id));
  // One at a time: the estimates share the metrics threads (batch lane) and must not crowd out the models.
  await adapters.reviewPriorityQueue.work(
    1,
    createReviewPriorityHandler({
      segmentations: repositories.segmentations,
      blobs: adapters.blobs,
      scoring: services.scoring,
      events: events.segmentations,
      logger,
      metrics,
    }),
  );
  return {
    isReady: () => warm,
    /**
     * Takes no new job and waits up to `graceMs` for the running ones; those still running
     * then go back to the queue at once, uncounted (model runs are ended with their worker
     * processes), so another worker starts them within seconds. Waiting ones stay queued.
     */
    stop: async (graceMs: number) => {
      await Promise.all([
        adapters.renderQueue.stop(graceMs),
        adapters.reviewPriorityQueue.stop(graceMs),
        adapters.batchQueue.stop(graceMs),
        adapters.webhookQueue.stop(graceMs),
        adapters.queue.stop(graceMs, () => engine.abortRuns()),
      ]);
    },
  };
}
