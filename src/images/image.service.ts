/**
 * Preset images by URL: what a URL means now, its stored variant in the negotiated format,
 * and rendering on the first GET. Renders are jobs on the render queue (a worker renders,
 * off every event loop; one job per URL and format however many ask), and the asking
 * request waits for the worker's `image` event. A preset that needs a mask the asset does
 * not have yet starts a segmentation and answers "not yet" (503 with Retry-After).
 */
import { randomUUID } from 'node:crypto';
import { LRUCache } from 'lru-cache';
import type { MaskVersionReader } from '../corrections/mask-version-reader.js';
import type { RenderPool } from '../effects/render-pool.js';
import type { OutputFormat } from '../effects/output-spec.js';
import { frameSize } from '../effects/render-image.js';
import { renderedColumns } from '../effects/steps/encode.js';
import { AppError, isAppError } from '../errors.js';
import type { EventBus } from '../events/event-bus.js';
import type { JobPriority, JobQueue, QueuedJob } from '../jobs/job-queue.js';
import type { Logger } from '../lib/logger.js';
import type { AppMetrics } from '../observability/metrics.js';
import type { ProxyService } from './proxy.service.js';
import type { SegmentationService } from '../segmentations/segmentation.service.js';
import type { BlobLocks } from '../storage/blob-locks.js';
import { putWithRow } from '../storage/blob-release.js';
import type { BlobStore } from '../storage/blob-store.js';
import type { AssetRecord, ImageVariantRecord } from '../storage/records.js';
import type { AssetRepository } from '../storage/repositories/asset.repository.js';
import type { BlobReferenceRepository } from '../storage/repositories/blob-reference.repository.js';
import type { ImageVariantRepository } from '../storage/repositories/image-variant.repository.js';
import type { SegmentationRepository } from '../storage/repositories/segmentation.repository.js';
import { negotiateFormat, planImage, variantKey, type ImagePlan } from './plan.js';
import type { PresetSpec } from './preset.js';
import type { PresetService } from './preset.service.js';
import { newestSucceeded, subjectState, type SubjectState } from './subject.js';

/** What an image URL names; `version` undefined for the alias. */
export interface ImageTarget {
  assetId: string;
  preset: string;
  width: number;
  version: string | undefined;
}

export type Delivery =
  | { kind: 'variant'; variant: ImageVariantRecord; negotiated: boolean }
  /** To the URL of the current version (the alias, or a version that has been superseded). */
  | { kind: 'redirect'; path: string }
  /** Not renderable yet (the mask is being made, or the render queue is full): ask again after this long. */
  | { kind: 'later'; retryAfterSeconds: number; reason: string };

interface ImageJob {
  kind: 'image';
  /** Whose turn the job takes in the render queue. */
  ownerId: string;
  assetId: string;
  preset: string;
  width: number;
  version: string;
  format: OutputFormat;
}

/** What of an Accept header decides a negotiated format (see negotiateFormat). */
function acceptClass(accept: string | undefined): string {
  return negotiateFormat({ format: 'auto', effect: undefined }, accept);
}

/** A variant this process has served: its bytes never change, only its asset or preset can go. */
interface Served {
  variant: ImageVariantRecord;
  negotiated: boolean;
  /** `asset:<id>` and `preset:<owner>:<name>`: the deletions that end it. */
  owners: [string, string];
}

/** Served variants remembered per process, so a repeated GET reads no database. */
const SERVED_CACHE_ENTRIES = 20_000;

/** How long a GET waits for its render before answering 503. */
const RENDER_WAIT_MS = 60_000;
/** Retry-After while a mask is being made (a model run takes seconds). */
const MASK_RETRY_SECONDS = 3;

export class ImageService {
  /** Per variant key: the GETs of this process waiting for one render. */
  private readonly inflight = new Map<string, Promise<ImageVariantRecord | null>>();
  private readonly waiters = new Map<string, Set<(status: string | undefined) => void>>();
  private listening = false;
  private readonly served = new LRUCache<string, Served>({ max: SERVED_CACHE_ENTRIES });

  constructor(
    private readonly assets: AssetRepository,
    private readonly segmentationRows: SegmentationRepository,
    private readonly maskVersions: MaskVersionReader,
    private readonly presets: PresetService,
    private readonly variants: ImageVariantRepository,
    private readonly references: BlobReferenceRepository,
    private readonly blobs: BlobStore,
    private readonly blobLocks: BlobLocks,
    private readonly pool: RenderPool,
    private readonly renderQueue: JobQueue,
    private readonly bus: EventBus,
    private readonly segmentations: SegmentationService,
    private readonly limits: { maxQueuedRenders: number },
    private readonly logger: Logger,
    private readonly metrics: AppMetrics,
    /** The photo and mask a render decodes: their preview proxies when the whole frame fits. */
    private readonly proxies: ProxyService,
  ) {}

  /** The asset's subject as the image route and the worker see it (two reads). */
  async subject(assetId: string): Promise<SubjectState> {
    const rows = await this.segmentationRows.listForAsset(assetId);
    const newest = newestSucceeded(rows);
    return subjectState(rows, newest ? await this.maskVersions.version(newest) : null);
  }

  /**
   * What to answer for a (signature-checked) image URL.
   * @throws AppError NOT_FOUND for a deleted asset or preset, or a width the preset lacks.
   */
  async deliver(target: ImageTarget, accept: string | undefined, requestId: string | undefined): Promise<Delivery> {
    this.listen();
    // A URL names immutable bytes: once served here, only a deletion (forgetAsset, forgetPreset) ends them.
    const servedKey = `${target.assetId}/${target.preset}/${target.width}/${target.version}\n${acceptClass(accept)}`;
    const hit = target.version === undefined ? undefined : this.served.get(servedKey);
    if (hit) return { kind: 'variant', variant: hit.variant, negotiated: hit.negotiated };
    const asset = await this.assets.findById(target.assetId);
    if (!asset) throw new AppError('NOT_FOUND', 'This image no longer exists: its asset was deleted');
    const preset = await this.presets.find(asset.ownerId, target.preset);
    if (!preset) throw new AppError('NOT_FOUND', `This image no longer exists: preset ${target.preset} was deleted`);
    if (!preset.widths.includes(target.width)) throw new AppError('NOT_FOUND', `Preset ${preset.name} no longer has width ${target.width}`);
    const format = negotiateFormat(preset, accept);
    const negotiated = preset.format === 'auto';
    if (target.version !== undefined) {
      // Bytes once served under a URL stay served under it.
      const kept = await this.variants.findByKey(variantKey(`/${target.assetId}/${target.preset}/${target.width}/${target.version}`, format));
      if (kept) return this.remember(servedKey, asset, preset, kept, negotiated);
    }
    const subject = await this.subject(asset.id);
    const plan = planImage(asset, preset, target.width, subject);
    if (target.version !== plan.version) return { kind: 'redirect', path: plan.path };
    if (plan.waitsForMask) return this.segmentFirst(asset, subject, requestId);
    const variant = await this.rendered(asset, preset, plan, format, requestId);
    if (!variant) return { kind: 'later', retryAfterSeconds: 1, reason: 'The image is still rendering, or its asset changed meanwhile' };
    return this.remember(servedKey, asset, preset, variant, negotiated);
  }

  private remember(servedKey: string, asset: AssetRecord, preset: PresetSpec, variant: ImageVariantRecord, negotiated: boolean): Delivery {
    this.served.set(servedKey, { variant, negotiated, owners: [`asset:${asset.id}`, `preset:${asset.ownerId}:${preset.name}`] });
    return { kind: 'variant', variant, negotiated };
  }

  /** After an asset was deleted: every process stops serving its images from memory. */
  forgetAsset(assetId: string): Promise<void> {
    return this.forget(`asset:${assetId}`);
  }

  /** After one of an owner's presets was deleted. */
  forgetPreset(ownerId: string, name: string): Promise<void> {
    return this.forget(`preset:${ownerId}:${name}`);
  }

  private async forget(owner: string): Promise<void> {
    this.dropServed(owner);
    await this.bus.publish({ topic: 'image', id: owner, gone: true });
  }

  private dropServed(owner: string | undefined): void {
    for (const [key, entry] of this.served.entries()) if (owner === undefined || entry.owners.includes(owner)) this.served.delete(key);
  }

  /** The preset needs a mask: make sure one is being made. */
  private async segmentFirst(asset: AssetRecord, subject: SubjectState, requestId: string | undefined): Promise<Delivery> {
    if (subject.kind === 'none') {
      try {
        await this.segmentations.request({ ownerId: asset.ownerId, assetId: asset.id, modelId: undefined, refine: false, requestId });
      } catch (error) {
        if (!isAppError(error) || error.code !== 'BUSY') throw error;
      }
    }
    return { kind: 'later', retryAfterSeconds: MASK_RETRY_SECONDS, reason: 'This preset needs the subject’s mask, which is being made' };
  }

  /** The variant, rendered by a worker if it is not stored yet; null when it did not arrive in time. */
  private rendered(asset: AssetRecord, preset: PresetSpec, plan: ImagePlan, format: OutputFormat, requestId: string | undefined) {
    const key = variantKey(plan.path, format);
    let waiting = this.inflight.get(key);
    if (!waiting) {
      waiting = this.renderAndWait(key, () => this.sendImageJob(asset, preset, plan, format, 'interactive', requestId));
      this.inflight.set(key, waiting);
      void waiting.finally(() => this.inflight.delete(key)).catch(() => {});
    }
    return waiting;
  }

  private async renderAndWait(key: string, send: () => Promise<unknown>): Promise<ImageVariantRecord | null> {
    const arrived = this.waitFor(key);
    try {
      const stored = await this.variants.findByKey(key);
      if (stored) return stored;
      if ((await this.renderQueue.stats()).waiting >= this.limits.maxQueuedRenders) {
        throw new AppError('BUSY', `${this.limits.maxQueuedRenders} renders are waiting for a worker; ask again shortly`);
      }
      await send();
      const status = await arrived.promise;
      if (status === 'failed') throw new AppError('INTERNAL_SERVER_ERROR', 'The image could not be rendered');
      return await this.variants.findByKey(key);
    } finally {
      arrived.cancel();
    }
  }

  /** `image` messages: a render finished (its key), or an asset or preset is gone (forget the served). */
  private listen(): void {
    if (this.listening) return;
    this.listening = true;
    this.bus.subscribe(
      (message) => {
        if (message.topic !== 'image') return;
        if (message.gone) return this.dropServed(message.id);
        for (const resolve of this.waiters.get(message.id) ?? []) resolve(message.status);
      },
      () => {
        // Messages may have been missed: forget everything served, wake every waiter to re-read.
        this.dropServed(undefined);
        for (const set of this.waiters.values()) for (const resolve of set) resolve(undefined);
      },
    );
  }

  /** Resolves with the status of the next `image` event for `key` (undefined after a resync or the timeout). */
  private waitFor(key: string): { promise: Promise<string | undefined>; cancel: () => void } {
    this.listen();
    let cancel = () => {};
    const promise = new Promise<string | undefined>((resolve) => {
      const set = this.waiters.get(key) ?? new Set();
      this.waiters.set(key, set);
      const timer = setTimeout(() => resolve(undefined), RENDER_WAIT_MS);
      const done = (status: string | undefined) => {
        clearTimeout(timer);
        set.delete(done);
        if (set.size === 0) this.waiters.delete(key);
        resolve(status);
      };
      set.add(done);
      cancel = () => done(undefined);
    });
    return { promise, cancel };
  }

  /** Whether a render-queue job is an image's (the rest are `renderEffect`'s). */
  static isImageJob(job: QueuedJob): boolean {
    return job.data.kind === 'image';
  }

  /** The worker's side: renders the URL's variant unless it is stored, or its URL is no longer current. */
  async runQueuedImage(job: QueuedJob): Promise<void> {
    const data = job.data as unknown as ImageJob;
    const path = `/${data.assetId}/${data.preset}/${data.width}/${data.version}`;
    const key = variantKey(path, data.format);
    let status = 'failed';
    try {
      if (await this.variants.findByKey(key)) {
        status = 'ready';
        return;
      }
      // Changed since the GET (deleted, corrected, redefined): that URL now answers 404 or redirects.
      status = 'stale';
      const asset = await this.assets.findById(data.assetId);
      const preset = asset && (await this.presets.find(asset.ownerId, data.preset));
      if (!asset || !preset) return;
      const subject = await this.subject(asset.id);
      const plan = planImage(asset, preset, data.width, subject);
      if (plan.version !== data.version || plan.waitsForMask) return;
      status = 'failed';
      await this.renderVariant(asset, preset, subject, plan, data.format);
      status = 'ready';
    } catch (error) {
      this.logger.warn('image render failed', { assetId: data.assetId, preset: data.preset, error, requestId: job.requestId });
    } finally {
      await this.bus.publish({ topic: 'image', id: key, status });
    }
  }

  /**
   * A render batch's item (on a worker): renders and stores the asset's images of `preset` at
   * `widths` in `formats`, those not stored yet. False when the preset needs a mask the asset
   * does not have yet (nothing rendered).
   */
  async warm(asset: AssetRecord, preset: PresetSpec, widths: number[], formats: OutputFormat[]): Promise<boolean> {
    const { subject, missing } = await this.missingVariants(asset, preset, widths, formats);
    if (!missing) return false;
    for (const { plan, format } of missing) await this.renderVariant(asset, preset, subject, plan, format);
    return true;
  }

  /**
   * Queues renders of the asset's images of `preset` at `widths` in `formats` that are not
   * stored yet, in the batch band, without waiting (an upload rule's presets). Nothing when
   * the preset needs a mask the asset does not have yet: the number of renders queued.
   */
  async queueWarm(asset: AssetRecord, preset: PresetSpec, widths: number[], formats: OutputFormat[], requestId?: string): Promise<number> {
    const { missing } = await this.missingVariants(asset, preset, widths, formats);
    for (const { plan, format } of missing ?? []) await this.sendImageJob(asset, preset, plan, format, 'batch', requestId);
    return missing?.length ?? 0;
  }

  /** The images of `preset` at `widths` in `formats` not stored yet; `missing` undefined when the preset waits for a mask. */
  private async missingVariants(asset: AssetRecord, preset: PresetSpec, widths: number[], formats: OutputFormat[]) {
    const subject = await this.subject(asset.id);
    const missing: { plan: ImagePlan; format: OutputFormat }[] = [];
    for (const width of widths) {
      const plan = planImage(asset, preset, width, subject);
      if (plan.waitsForMask) return { subject, missing: undefined };
      for (const format of formats) if (!(await this.variants.findByKey(variantKey(plan.path, format)))) missing.push({ plan, format });
    }
    return { subject, missing };
  }

  /** One URL's image in one format as a render-queue job (one waiting job per variant however many ask). */
  private sendImageJob(asset: AssetRecord, preset: PresetSpec, plan: ImagePlan, format: OutputFormat, priority: JobPriority, requestId: string | undefined) {
    const job: ImageJob = { kind: 'image', ownerId: asset.ownerId, assetId: asset.id, preset: preset.name, width: plan.width, version: plan.version, format };
    return this.renderQueue.send(randomUUID(), {
      priority,
      ownerId: asset.ownerId,
      singletonKey: `image:${variantKey(plan.path, format)}`,
      requestId,
      data: { ...job },
    });
  }

  /** Renders one URL's image in one format and stores it (a worker's work: queued GETs and render batches). */
  private async renderVariant(asset: AssetRecord, preset: PresetSpec, subject: SubjectState, plan: ImagePlan, format: OutputFormat): Promise<void> {
    const started = performance.now();
    // The whole photo at the output's scale (an effect composes over all of it, then cuts the crop).
    const frame = frameSize(plan.crop, plan.width, asset.width, asset.height);
    const [photo, mask] = await Promise.all([
      this.proxies.source('photo', asset, frame),
      subject.kind === 'ready' && preset.effect
        ? this.proxies.source('mask', { sha256: subject.maskSha256, width: asset.width, height: asset.height }, frame)
        : undefined,
    ]);
    const rendered = await this.pool.renderImage(
      { effect: preset.effect, crop: plan.crop, width: plan.width, format, quality: preset.quality },
      photo,
      mask,
      asset.width,
      asset.height,
    );
    this.metrics.imageRenders.inc({ preset: preset.builtIn ? preset.name : 'custom' });
    await putWithRow({ blobs: this.blobs, blobLocks: this.blobLocks, references: this.references }, rendered.bytes, (sha256) =>
      this.variants.create({
        assetId: asset.id,
        preset: preset.name,
        cacheKey: variantKey(plan.path, format),
        sha256,
        ...renderedColumns(rendered, started),
      }),
    );
  }
}
