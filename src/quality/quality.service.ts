/**
 * Ground-truth masks and quality reports: a segmentation's mask scored against its asset's
 * ground truth (the full suite, HCE included) once, on a worker thread, and stored; a new
 * ground truth makes stored reports stale, so they are recomputed on the next read.
 */
import type { AppMetrics } from '../observability/metrics.js';
import type { BlobLocks } from '../storage/blob-locks.js';
import type { Readable } from 'node:stream';
import { LRUCache } from 'lru-cache';
import sharp from 'sharp';
import { AppError } from '../errors.js';
import { KeyedMutex } from '../lib/keyed-mutex.js';
import type { HcePoints } from '../metrics/hce.js';
import type { MaskEstimate, MetricsPool } from '../metrics/metrics-pool.js';
import { sha256Hex, type BlobStore } from '../storage/blob-store.js';
import type { AssetRecord, GroundTruthRecord, QualityScoreRecord, SegmentationRecord } from '../storage/records.js';
import type { AssetRepository } from '../storage/repositories/asset.repository.js';
import type { BlobReferenceRepository } from '../storage/repositories/blob-reference.repository.js';
import type { QualityRepository } from '../storage/repositories/quality.repository.js';
import { readBlobMask } from '../storage/mask-blobs.js';
import { readMaskUpload } from './mask-upload.js';
import { otherModelsSegmentation } from '../segmentations/other-model-mask.js';
import type { SegmentationRepository } from '../storage/repositories/segmentation.repository.js';
import { releaseUnreferenced } from '../storage/blob-release.js';

/** Quality estimates kept in memory (about 100 bytes each). */
const ESTIMATE_CACHE_ENTRIES = 10_000;
/** Estimates computed at once (each is a few hundred ms on the metrics threads at 4 MP). */
const MAX_ESTIMATES_IN_FLIGHT = 8;

interface EstimateInputs {
  segmentation: SegmentationRecord;
  other: SegmentationRecord | undefined;
}

export class QualityService {
  /** Per segmentation: concurrent first reads compute its report once. */
  private readonly scoring = new KeyedMutex();
  /** Estimates by mask version; concurrent requests for one share its computation. */
  private readonly estimates = new LRUCache<string, MaskEstimate, EstimateInputs>({
    max: ESTIMATE_CACHE_ENTRIES,
    fetchMethod: (_key, _stale, { context }) => this.computeEstimate(context),
  });
  private readonly estimatesInFlight = new Set<string>();

  constructor(
    private readonly quality: QualityRepository,
    private readonly assets: AssetRepository,
    private readonly references: BlobReferenceRepository,
    private readonly blobs: BlobStore,
    private readonly blobLocks: BlobLocks,
    private readonly metrics: MetricsPool,
    private readonly segmentations: SegmentationRepository,
    private readonly maxUploadBytes: number,
    private readonly appMetrics: AppMetrics,
  ) {}

  /** HCE's correction points of a stored report, computed on the metrics threads on first read. */
  async hcePoints(score: QualityScoreRecord): Promise<HcePoints> {
    const key = `${score.segmentationId}:${score.groundTruthSha256}`;
    const cached = this.points.get(key);
    if (cached) return cached;
    const segmentation = await this.segmentations.findById(score.segmentationId);
    if (!segmentation?.maskSha256) throw new AppError('NOT_FOUND', `No mask for segmentation ${score.segmentationId}`);
    const [gt, pred] = await Promise.all([readBlobMask(this.blobs, score.groundTruthSha256), readBlobMask(this.blobs, segmentation.maskSha256)]);
    const points = await this.metrics.locateHce(
      { ownerId: segmentation.ownerId, lane: 'interactive' },
      gt,
      pred,
      segmentation.maskWidth!,
      segmentation.maskHeight!,
    );
    this.points.set(key, points);
    return points;
  }

  /** Located HCE points by segmentation and ground truth (a few kB each). */
  private readonly points = new LRUCache<string, HcePoints>({ max: 1000 });

  /** Signals without ground truth, and the disagreement with another model's latest mask. */
  async estimate(segmentation: SegmentationRecord): Promise<(MaskEstimate & { comparedWithModel: string | undefined }) | null> {
    if (segmentation.status !== 'SUCCEEDED' || !segmentation.maskSha256) return null;
    const other = await otherModelsSegmentation(this.segmentations, segmentation.assetId, segmentation.modelId);
    // Masks are immutable and content-addressed, so (mask, other mask) names the result; the
    // owner is part of the key, so how fast an estimate answers never tells one owner that
    // another had the same bytes estimated (the information `reused` withholds).
    const key = `${segmentation.ownerId}:${segmentation.maskSha256}:${other?.maskSha256 ?? ''}`;
    // Bounded work: past this many distinct estimates being computed, a new one is refused,
    // so a query over many segmentations cannot queue unbounded work on the metrics threads.
    if (!this.estimates.has(key) && !this.estimatesInFlight.has(key) && this.estimatesInFlight.size >= MAX_ESTIMATES_IN_FLIGHT) {
      throw new AppError('BUSY', `${MAX_ESTIMATES_IN_FLIGHT} quality estimates are being computed already; ask again shortly`);
    }
    this.estimatesInFlight.add(key);
    try {
      const estimate = await this.estimates.fetch(key, { context: { segmentation, other } });
      return { ...estimate!, comparedWithModel: other?.modelId };
    } finally {
      this.estimatesInFlight.delete(key);
    }
  }

  private async computeEstimate({ segmentation, other }: EstimateInputs): Promise<MaskEstimate> {
    this.appMetrics.qualityEstimates.inc();
    const [mask, reference] = await Promise.all([
      readBlobMask(this.blobs, segmentation.maskSha256!),
      other ? readBlobMask(this.blobs, other.maskSha256!) : undefined,
    ]);
    return this.metrics.estimate({ ownerId: segmentation.ownerId, lane: 'interactive' }, mask, reference, segmentation.maskWidth!, segmentation.maskHeight!);
  }

  /**
   * Stores a ground-truth mask, uploaded (the alpha channel of an image with alpha, else its
   * grey values) or a mask version's pixels, binarised as the reference does (> 128) and kept
   * as a 0/255 grey PNG.
   * @throws AppError NOT_FOUND (asset), UNSUPPORTED_MEDIA_TYPE (not an image),
   *   BAD_USER_INPUT (size differs from the asset's oriented size, both named).
   */
  async setGroundTruth(ownerId: string, assetId: string, source: Readable | Uint8Array): Promise<AssetRecord> {
    const asset = await this.assets.findOwned(ownerId, assetId);
    if (!asset) throw new AppError('NOT_FOUND', `No asset with id ${assetId}`, { details: { id: assetId } });
    const { width, height } = asset;
    // An upload is read and checked here; pixels (a mask version) are already the asset's size.
    const values = source instanceof Uint8Array ? source : await readMaskUpload(source, { width, height }, this.maxUploadBytes, 'mask');
    // Binarised (> 128), encoded and measured by libvips: no per-pixel work on the event loop.
    const raw = { raw: { width, height, channels: 1 as const } };
    const binary = await sharp(values, raw).threshold(129, { grayscale: false }).toColourspace('b-w').raw().toBuffer();
    const [png, stats] = await Promise.all([sharp(binary, raw).toColourspace('b-w').png({ compressionLevel: 6 }).toBuffer(), sharp(binary, raw).stats()]);
    const sha256 = sha256Hex(png);
    const replaced = await this.blobLocks.run(sha256, async () => {
      await this.blobs.put(png);
      return this.quality.saveGroundTruth({ assetId, sha256, width, height, byteSize: png.length, foregroundRatio: stats.channels[0]!.mean / 255 });
    });
    if (replaced) {
      await this.blobLocks.run(replaced, async () => {
        await releaseUnreferenced(this.references, this.blobs, [replaced]);
      });
    }
    return asset;
  }

  groundTruth(assetId: string): Promise<GroundTruthRecord | null> {
    return this.quality.findGroundTruth(assetId);
  }

  /** The ground truths of many assets in one read, in their order. */
  groundTruths(assetIds: readonly string[]): Promise<(GroundTruthRecord | null)[]> {
    return this.quality.findGroundTruths(assetIds);
  }

  /** The report against the current ground truth; null without ground truth or before SUCCEEDED. */
  async report(segmentation: SegmentationRecord): Promise<QualityScoreRecord | null> {
    if (segmentation.status !== 'SUCCEEDED' || !segmentation.maskSha256) return null;
    const truth = await this.quality.findGroundTruth(segmentation.assetId);
    if (!truth) return null;
    const fresh = (score: QualityScoreRecord | null) => (score?.groundTruthSha256 === truth.sha256 ? score : null);
    const stored = fresh(await this.quality.findScore(segmentation.id));
    if (stored) return stored;
    return this.scoring.run(segmentation.id, async () => {
      const again = fresh(await this.quality.findScore(segmentation.id));
      if (again) return again;
      const started = performance.now();
      const [gt, pred] = await Promise.all([readBlobMask(this.blobs, truth.sha256), readBlobMask(this.blobs, segmentation.maskSha256!)]);
      if (gt.length !== pred.length) {
        throw new AppError(
          'FAILED_PRECONDITION',
          `The mask (${segmentation.maskWidth}×${segmentation.maskHeight}) and the ground truth (${truth.width}×${truth.height}) differ in size`,
        );
      }
      const score = await this.metrics.score({ ownerId: segmentation.ownerId, lane: 'interactive' }, gt, pred, truth.width, truth.height);
      return this.quality.saveScore({
        segmentationId: segmentation.id,
        groundTruthSha256: truth.sha256,
        hce: score.hce,
        hceFpPoints: score.hceParts.fpPoints,
        hceFpIndep: score.hceParts.fpIndep,
        hceFnPoints: score.hceParts.fnPoints,
        hceFnIndep: score.hceParts.fnIndep,
        mae: score.mae,
        sm: Number.isNaN(score.sm) ? null : score.sm,
        wfm: score.wfm,
        adpF: score.adpF,
        meanF: score.meanF,
        maxF: score.maxF,
        adpE: score.adpE,
        meanE: score.meanE,
        maxE: score.maxE,
        iou: score.iou,
        dice: score.dice,
        ber: score.ber,
        computedMs: performance.now() - started,
      });
    });
  }
}
