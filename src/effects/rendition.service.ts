/**
 * Effects on demand, cached: a rendition is keyed by the image, the mask, the normalised
 * effect and the output spec, so the second identical request does no image work.
 */
import type { BlobLocks } from '../storage/blob-locks.js';
import type { AppMetrics } from '../observability/metrics.js';
import { createHash, randomUUID } from 'node:crypto';
import type { JobQueue, QueuedJob } from '../jobs/job-queue.js';
import type { Logger } from '../lib/logger.js';
import type { SegmentationRepository } from '../storage/repositories/segmentation.repository.js';
import { AppError, inputError } from '../errors.js';
import { canonicalJson } from '../lib/canonical-json.js';
import { KeyedMutex } from '../lib/keyed-mutex.js';
import { FairScheduler } from '../lib/fair-scheduler.js';
import { readBlob, type BlobStore } from '../storage/blob-store.js';
import type { RenditionRecord, SegmentationRecord } from '../storage/records.js';
import type { AssetRepository } from '../storage/repositories/asset.repository.js';
import type { BlobReferenceRepository } from '../storage/repositories/blob-reference.repository.js';
import type { MaskVersionReader } from '../corrections/mask-version-reader.js';
import type { RenditionRepository } from '../storage/repositories/rendition.repository.js';
import type { QualityRepository } from '../storage/repositories/quality.repository.js';
import { outputSize } from './render.js';
import { renderedColumns } from './steps/encode.js';
import { MAX_SIDE } from './output-spec.js';
import type { WebhookNotifier } from '../webhooks/webhook.service.js';
import type { RenderPool } from './render-pool.js';
import type { RenderBudget } from './render-budget.js';
import type { ProxyService } from '../images/proxy.service.js';
import { kindOf } from './kinds/index.js';
import type { EffectSpec, OutputSpec } from './spec.js';
import { putWithRow, releaseUnreferenced } from '../storage/blob-release.js';

/** Bumped whenever rendering changes, so older renditions are not served for new requests. */
const RENDERER_VERSION = 3;

export interface RenditionResult {
  record: RenditionRecord;
  cacheStatus: 'HIT' | 'MISS';
}

/** A `renderEffect` job's data: its parameters as `startRender` validated them. */
interface QueuedRender {
  ownerId: string;
  segmentationId: string;
  effect: EffectSpec;
  output: OutputSpec;
  /** The mask version; undefined: the latest when the job runs. */
  version?: number;
}

/**
 * The largest `maxWidth` whose rendition stays within `maxPixels`: memory grows with the
 * output (up to 23 bytes per pixel at full size), so renditions are bounded.
 */
function widestWithin(width: number, height: number, output: OutputSpec, maxPixels: number): number {
  const pixels = (maxWidth: number) => {
    const size = outputSize(width, height, { ...output, maxWidth });
    return size.width * size.height;
  };
  let widest = Math.floor(Math.sqrt((maxPixels * width) / height));
  while (widest > 1 && pixels(widest) > maxPixels) widest -= 1;
  return widest;
}

/** The cache's size is summed again at least this often (see `evictBeyondBudget`). */
const SUM_INTERVAL_MS = 10_000;

export class RenditionService {
  private readonly rendering = new KeyedMutex();

  constructor(
    private readonly renditions: RenditionRepository,
    private readonly assets: AssetRepository,
    private readonly references: BlobReferenceRepository,
    private readonly blobs: BlobStore,
    private readonly blobLocks: BlobLocks,
    private readonly limits: { maxConcurrentRenders: number; maxQueuedRenders: number; renditionCacheBytes: number; maxOutputPixels: number },
    private readonly metrics: AppMetrics,
    /** Where `renderEffect` sends full-size renders: a worker runs them (see `runQueuedRender`). */
    private readonly renderQueue: JobQueue,
    private readonly segmentations: SegmentationRepository,
    private readonly logger: Logger,
    /** Effects render the mask version asked for, else the latest (a person's correction, else the model's). */
    private readonly maskVersions: MaskVersionReader,
    /** The asset's ground truth, for kinds drawn from it (HCE_POINTS). */
    private readonly groundTruths: Pick<QualityRepository, 'findGroundTruth'>,
    /** Renders run on worker threads, never on the event loop (the pool is shared with preset images). */
    private readonly pool: RenderPool,
    /** Told when a queued full-size render is ready (rendition.ready). */
    private readonly webhooks: WebhookNotifier,
    /** The photo and mask a render decodes: their preview proxies when the output fits. */
    private readonly proxies: ProxyService,
  ) {
    // One owner never takes the last slot (with one slot, it waits its turn), and a freed slot
    // goes to the next owner in turn: another owner's preview starts at once instead of
    // waiting for a full-size render of someone else's (measured in bench/fair-share.ts).
    this.renders = new FairScheduler({ slots: limits.maxConcurrentRenders, maxWaitingPerOwner: limits.maxQueuedRenders, what: 'renders' });
  }

  /** Renders at once across all requests, shared between owners in turn; past the queue, a new render is BUSY. */
  private readonly renders: FairScheduler;

  /**
   * Checks the request and computes its cache key.
   * @throws AppError FAILED_PRECONDITION unless the segmentation SUCCEEDED; BAD_USER_INPUT
   *   when a background asset is unknown or another owner's.
   */
  private async prepare(ownerId: string, segmentation: SegmentationRecord, effect: EffectSpec, output: OutputSpec, version: number | undefined) {
    const maskSha256 = await this.maskVersions.maskSha256(segmentation, version);
    if (!maskSha256) {
      throw new AppError('FAILED_PRECONDITION', `Segmentation ${segmentation.id} is ${segmentation.status}; effects need a SUCCEEDED segmentation`);
    }
    const asset = await this.assets.findById(segmentation.assetId);
    if (!asset) throw new AppError('NOT_FOUND', `No asset with id ${segmentation.assetId}`);
    const size = outputSize(asset.width, asset.height, output);
    const longest = MAX_SIDE[output.format];
    if (size.width > longest || size.height > longest) {
      // Refused before any work: the encoder would fail after the whole render (and a queued
      // render would fail on every retry).
      const field = size.width > longest ? 'output.maxWidth' : 'output.maxHeight';
      throw new AppError(
        'BAD_USER_INPUT',
        `A ${size.width} × ${size.height} rendition is larger than ${output.format.toUpperCase()} can hold (${longest} px a side); ask for ${field} ${longest} or less, or another format`,
        { details: { field } },
      );
    }
    if (size.width * size.height > this.limits.maxOutputPixels) {
      const widest = widestWithin(asset.width, asset.height, output, this.limits.maxOutputPixels);
      throw new AppError(
        'BAD_USER_INPUT',
        `A ${size.width} × ${size.height} rendition is over MAX_OUTPUT_PIXELS (${this.limits.maxOutputPixels}); ask for output.maxWidth ${widest} or less`,
        {
          details: { field: 'output.maxWidth' },
        },
      );
    }
    let backgroundSha: string | undefined;
    if (effect.kind === 'backgroundReplace' && effect.backgroundAssetId) {
      const background = await this.assets.findOwned(ownerId, effect.backgroundAssetId);
      if (!background) {
        throw inputError('effect.backgroundReplace.backgroundAssetId', 'one of your asset ids', effect.backgroundAssetId);
      }
      backgroundSha = background.sha256;
    }
    let groundTruthSha: string | undefined;
    if (kindOf(effect).needsGroundTruth) {
      groundTruthSha = (await this.groundTruths.findGroundTruth(asset.id))?.sha256;
      if (!groundTruthSha)
        throw new AppError('FAILED_PRECONDITION', `The ${effect.kind} effect needs a ground truth for asset ${asset.id}; set one with setGroundTruth`);
    }
    const cacheKey = createHash('sha256')
      .update(
        canonicalJson({ image: asset.sha256, mask: maskSha256, background: backgroundSha, groundTruth: groundTruthSha, effect, output, v: RENDERER_VERSION }),
      )
      .digest('hex');
    return { asset, maskSha256, backgroundSha, groundTruthSha, cacheKey };
  }

  /** The rendition, from the cache or rendered now (a render counts against the request's `budget`). */
  async render(
    ownerId: string,
    segmentation: SegmentationRecord,
    effect: EffectSpec,
    output: OutputSpec,
    version: number | undefined,
    budget: RenderBudget,
  ): Promise<RenditionResult> {
    const prepared = await this.prepare(ownerId, segmentation, effect, output, version);
    const cached = await this.renditions.find(segmentation.id, prepared.cacheKey);
    if (cached) return this.hit(cached);
    budget.take();
    return this.renderPrepared(segmentation.id, prepared, effect, output);
  }

  /**
   * Starts a render without waiting for it: READY with the rendition when it is cached,
   * else RENDERING while it renders in the background (asking again with the same input,
   * by the mutation or the `effect` field, answers from the cache once it is done).
   */
  async startRender(
    ownerId: string,
    segmentation: SegmentationRecord,
    effect: EffectSpec,
    output: OutputSpec,
    version?: number,
  ): Promise<{ status: 'READY' | 'RENDERING'; rendition: RenditionResult | null }> {
    const prepared = await this.prepare(ownerId, segmentation, effect, output, version);
    const cached = await this.renditions.find(segmentation.id, prepared.cacheKey);
    if (cached) return { status: 'READY', rendition: await this.hit(cached) };
    if ((await this.renderQueue.stats()).waiting >= this.limits.maxQueuedRenders) {
      throw new AppError('BUSY', `${this.limits.maxQueuedRenders} renders are waiting for a worker; ask again shortly`);
    }
    // Heavy work goes to a worker. One waiting job per rendition key: asking again while it
    // waits adds nothing; a failed render is tried again by whoever asks next.
    const job: QueuedRender = { ownerId, segmentationId: segmentation.id, effect, output, ...(version === undefined ? {} : { version }) };
    await this.renderQueue.send(randomUUID(), { priority: 'interactive', ownerId, singletonKey: `${segmentation.id}:${prepared.cacheKey}`, data: { ...job } });
    return { status: 'RENDERING', rendition: null };
  }

  /** The worker's side of `startRender`: renders into the cache (a no-op when it is there already). */
  async runQueuedRender(job: QueuedJob): Promise<void> {
    const { ownerId, segmentationId, effect, output, version } = job.data as unknown as QueuedRender;
    const segmentation = await this.segmentations.findById(segmentationId);
    if (!segmentation) return; // deleted meanwhile
    try {
      const prepared = await this.prepare(ownerId, segmentation, effect, output, version);
      // A repeated job (asked again while the first ran) finds it done: nothing to do, and not a use.
      if (await this.renditions.find(segmentationId, prepared.cacheKey)) return;
      const result = await this.renderPrepared(segmentationId, prepared, effect, output);
      this.logger.info('rendition rendered', {
        id: result.record.id,
        segmentationId,
        cacheStatus: result.cacheStatus,
        effect: effect.kind,
        requestId: job.requestId,
      });
      await this.webhooks.emit(ownerId, 'rendition.ready', result.record.id, {
        rendition: { id: result.record.id, segmentationId, assetId: segmentation.assetId, effect: effect.kind },
      });
    } catch (error) {
      // Whoever asks next finds no rendition and queues it again.
      this.logger.warn('queued render failed', { segmentationId, effect: effect.kind, error });
    }
  }

  private renderPrepared(
    segmentationId: string,
    { asset, maskSha256, backgroundSha, groundTruthSha, cacheKey }: Awaited<ReturnType<RenditionService['prepare']>>,
    effect: EffectSpec,
    output: OutputSpec,
  ): Promise<RenditionResult> {
    return this.rendering.run(`${segmentationId}:${cacheKey}`, async () => {
      const again = await this.renditions.find(segmentationId, cacheKey);
      if (again) return { record: again, cacheStatus: 'HIT' as const };
      if (this.renders.isSaturated(this.limits.maxQueuedRenders)) {
        throw new AppError('BUSY', `${this.limits.maxConcurrentRenders} renders are running and ${this.limits.maxQueuedRenders} waiting; ask again shortly`);
      }
      const started = performance.now();
      const rendered = await this.renders.run(asset.ownerId, 'interactive', async () => {
        // A preview decodes the proxies when it fits in them; a kind that measures the mask
        // against the ground truth pixel by pixel needs the full-size mask.
        const size = kindOf(effect).needsGroundTruth ? { width: asset.width, height: asset.height } : outputSize(asset.width, asset.height, output);
        const [photo, mask, backgroundPhoto, groundTruth] = await Promise.all([
          this.proxies.source('photo', asset, size),
          this.proxies.source('mask', { sha256: maskSha256, width: asset.width, height: asset.height }, size),
          backgroundSha ? readBlob(this.blobs, backgroundSha) : undefined,
          groundTruthSha ? readBlob(this.blobs, groundTruthSha) : undefined,
        ]);
        const stopTimer = this.metrics.renderDuration.startTimer({ effect: effect.kind });
        try {
          return await this.pool.render(effect, output, photo, mask, asset.width, asset.height, { backgroundPhoto, groundTruth });
        } finally {
          stopTimer();
        }
      });
      const record = await putWithRow({ blobs: this.blobs, blobLocks: this.blobLocks, references: this.references }, rendered.bytes, (sha256) =>
        this.renditions.create({
          segmentationId,
          cacheKey,
          sha256,
          ...renderedColumns(rendered, started),
        }),
      );
      await this.evictBeyondBudget(record.id, record.byteSize);
      return { record, cacheStatus: 'MISS' as const };
    });
  }

  private async hit(record: RenditionRecord): Promise<RenditionResult> {
    await this.renditions.touch(record.id);
    return { record, cacheStatus: 'HIT' };
  }

  private evicting: Promise<void> | undefined;
  /** The cache's size when last summed, what this process added since, and when: see `evictBeyondBudget`. */
  private summed: { bytes: number; added: number; at: number } | undefined;

  /**
   * Keeps the cache within RENDITION_CACHE_BYTES: deletes the least recently used
   * renditions (never `keep`, the one just made), then each blob no row uses any more,
   * under its lock. One pass at a time per process; a URL to an evicted rendition answers
   * NOT_FOUND and asking for the effect again renders it again.
   *
   * Summing every rendition's size costs a scan of the table, so it is not done per render:
   * the last sum plus what this process added since stands in for it until that reaches the
   * budget, a twentieth of the budget was added, or SUM_INTERVAL_MS passed (what other
   * processes add is seen at the next sum). The cache may so exceed its budget by a little
   * for a few seconds; it is a cache.
   */
  private async evictBeyondBudget(keep: string, addedBytes: number): Promise<void> {
    while (this.evicting) await this.evicting;
    const budget = this.limits.renditionCacheBytes;
    if (this.summed) {
      this.summed.added += addedBytes;
      const { bytes, added, at } = this.summed;
      if (bytes + added <= budget && added < budget / 20 && performance.now() - at < SUM_INTERVAL_MS) return;
    }
    this.evicting = (async () => {
      const at = performance.now();
      let total = await this.renditions.totalBytes();
      while (total > budget) {
        const candidates = await this.renditions.leastRecentlyUsed(100, keep);
        if (candidates.length === 0) break;
        const evicted: typeof candidates = [];
        for (const candidate of candidates) {
          if (total <= budget) break;
          evicted.push(candidate);
          total -= candidate.byteSize;
        }
        await this.renditions.deleteByIds(evicted.map((rendition) => rendition.id));
        for (const sha256 of new Set(evicted.map((rendition) => rendition.sha256))) {
          await this.blobLocks.run(sha256, async () => {
            await releaseUnreferenced(this.references, this.blobs, [sha256]);
          });
        }
      }
      this.summed = { bytes: total, added: 0, at };
    })().finally(() => (this.evicting = undefined));
    await this.evicting;
  }

  findById(id: string): Promise<RenditionRecord | null> {
    return this.renditions.findById(id);
  }

  /** A `data:` URL of a small rendition (at most `maxBytes`), for answering previews inline. */
  async dataUrl(record: RenditionRecord, maxBytes: number): Promise<string | null> {
    if (record.byteSize > maxBytes) return null;
    return `data:image/${record.format};base64,${(await readBlob(this.blobs, record.sha256)).toString('base64')}`;
  }
}
