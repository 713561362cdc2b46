/**
 * Human corrections of masks. A segmentation's mask has versions: 1 is the model's (on the
 * segmentation row), and each correction, restore or confirmation appends one, immutable and
 * content-addressed. Every version records what it cost in the seed's own unit: the HCE of
 * the model's mask against it (the clicks a person would need), with its parts, and the
 * pixels it changed from its parent.
 */
import { maskCentre } from '../images/mask-centre.js';
import type { Readable } from 'node:stream';
import sharp from 'sharp';
import { AppError } from '../errors.js';
import type { MetricsPool } from '../metrics/metrics-pool.js';
import { readBlobMask } from '../storage/mask-blobs.js';
import { readMaskUpload } from '../quality/mask-upload.js';
import type { BlobLocks } from '../storage/blob-locks.js';
import { sha256Hex, type BlobStore } from '../storage/blob-store.js';
import type { MaskVersionRecord, SegmentationRecord } from '../storage/records.js';
import type { AssetFilter } from '../storage/repositories/asset.repository.js';
import type { MaskVersionRepository } from '../storage/repositories/mask-version.repository.js';
import type { SegmentationRepository } from '../storage/repositories/segmentation.repository.js';
import { blobOf, MaskVersionReader, type MaskVersionView } from './mask-version-reader.js';
import { parseStrokes, type StrokeInput } from './correction-input.js';
import { applyStrokes } from './strokes.js';
import type { WebhookNotifier } from '../webhooks/webhook.service.js';

export type { MaskVersionView };

export interface ModelCorrectionStats {
  model: string;
  reviewed: number;
  corrected: number;
  meanHce: number;
  medianHce: number;
  neededNoneRatio: number;
}

/** A whole new mask, or strokes as the API took them (checked against the mask's size here, where it is known). */
export type MaskChange = { kind: 'upload'; stream: Readable } | { kind: 'strokes'; strokes: StrokeInput[] };

export class CorrectionService {
  constructor(
    private readonly versions: MaskVersionRepository,
    /** Which version a request means (shared with the renditions). */
    private readonly reader: MaskVersionReader,
    private readonly segmentations: SegmentationRepository,
    private readonly blobs: BlobStore,
    private readonly blobLocks: BlobLocks,
    private readonly metrics: MetricsPool,
    private readonly maxUploadBytes: number,
    /** Told of each new version (mask.corrected). */
    private readonly webhooks: WebhookNotifier,
  ) {}

  /** Every version, oldest first; empty until the segmentation SUCCEEDED. */
  async list(segmentation: SegmentationRecord): Promise<MaskVersionView[]> {
    if (segmentation.status !== 'SUCCEEDED' || !segmentation.maskSha256) return [];
    return [{ segmentation, record: null }, ...(await this.versions.list(segmentation.id)).map((record) => ({ segmentation, record }))];
  }

  /** Which version a segmentation means (see MaskVersionReader). */
  version(segmentation: SegmentationRecord, version?: number): Promise<MaskVersionView | null> {
    return this.reader.version(segmentation, version);
  }

  /** The latest version of each segmentation, in one read (see MaskVersionReader). */
  latestVersions(segmentations: readonly SegmentationRecord[]): Promise<(MaskVersionView | null)[]> {
    return this.reader.latestOfMany(segmentations);
  }

  maskSha256(segmentation: SegmentationRecord, version?: number): Promise<string | null> {
    return this.reader.maskSha256(segmentation, version);
  }

  /**
   * The pixels of the version asked for, or of the latest.
   * @throws AppError FAILED_PRECONDITION before SUCCEEDED, NOT_FOUND for a missing version.
   */
  async pixels(segmentation: SegmentationRecord, version?: number): Promise<Uint8Array> {
    const sha256 = await this.maskSha256(segmentation, version);
    if (!sha256) throw new AppError('FAILED_PRECONDITION', `Segmentation ${segmentation.id} is ${segmentation.status}; it has no mask yet`);
    return readBlobMask(this.blobs, sha256);
  }

  /** Per model: reviewed and corrected segmentations, mean and median HCE of their latest versions, the share that needed none. */
  async stats(ownerId: string, modelId?: string, filter: AssetFilter = {}): Promise<ModelCorrectionStats[]> {
    const byModel = new Map<string, number[]>();
    for (const effort of await this.versions.latestEfforts(ownerId, modelId, filter))
      byModel.set(effort.modelId, [...(byModel.get(effort.modelId) ?? []), effort.hce]);
    return [...byModel.entries()]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([model, efforts]) => {
        const sorted = [...efforts].sort((a, b) => a - b);
        const middle = sorted.length / 2;
        const median = sorted.length % 2 === 1 ? sorted[Math.floor(middle)]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
        const corrected = sorted.filter((hce) => hce > 0).length;
        return {
          model,
          reviewed: sorted.length,
          corrected,
          meanHce: sorted.reduce((sum, hce) => sum + hce, 0) / sorted.length,
          medianHce: median,
          neededNoneRatio: (sorted.length - corrected) / sorted.length,
        };
      });
  }

  /** A corrected mask, from a whole new mask or brush strokes painted onto the latest version. */
  async correct(ownerId: string, segmentationId: string, change: MaskChange): Promise<MaskVersionView> {
    const segmentation = await this.succeeded(ownerId, segmentationId);
    const { maskWidth: width, maskHeight: height } = segmentation as { maskWidth: number; maskHeight: number };
    // Strokes are checked against the mask's size before any pixel is read.
    const strokes = change.kind === 'strokes' ? parseStrokes(change.strokes, width, height) : undefined;
    const parent = await this.latestWithPixels(segmentation);
    const pixels =
      change.kind === 'upload'
        ? await readMaskUpload(change.stream, { width, height }, this.maxUploadBytes, 'input.mask')
        : await applyStrokes(parent.pixels, width, height, strokes!);
    return this.append(ownerId, segmentation, parent, pixels, 'CORRECTION');
  }

  /** Makes an older version the latest again, as a new version: history is never rewritten. */
  async restore(ownerId: string, segmentationId: string, version: number): Promise<MaskVersionView> {
    const { segmentation, parent } = await this.latestOf(ownerId, segmentationId);
    const restored = (await this.version(segmentation, version))!;
    return this.append(ownerId, segmentation, parent, await readBlobMask(this.blobs, blobOf(restored)), 'RESTORE');
  }

  /** "This mask is right": the latest version again, recorded as confirmed (HCE 0 when it is the model's). */
  async confirm(ownerId: string, segmentationId: string): Promise<MaskVersionView> {
    const { segmentation, parent } = await this.latestOf(ownerId, segmentationId);
    return this.append(ownerId, segmentation, parent, parent.pixels, 'CONFIRMATION');
  }

  /** The owner's finished segmentation and its latest version, with that version's pixels (read once). */
  private async latestOf(
    ownerId: string,
    segmentationId: string,
  ): Promise<{ segmentation: SegmentationRecord; parent: MaskVersionView & { pixels: Uint8Array } }> {
    const segmentation = await this.succeeded(ownerId, segmentationId);
    return { segmentation, parent: await this.latestWithPixels(segmentation) };
  }

  private async latestWithPixels(segmentation: SegmentationRecord): Promise<MaskVersionView & { pixels: Uint8Array }> {
    const latest = (await this.version(segmentation))!;
    return { ...latest, pixels: await readBlobMask(this.blobs, blobOf(latest)) };
  }

  private async succeeded(ownerId: string, segmentationId: string): Promise<SegmentationRecord> {
    const segmentation = await this.segmentations.findOwned(ownerId, segmentationId);
    if (!segmentation) throw new AppError('NOT_FOUND', `No segmentation with id ${segmentationId}`, { details: { id: segmentationId } });
    if (segmentation.status !== 'SUCCEEDED' || !segmentation.maskSha256) {
      throw new AppError('FAILED_PRECONDITION', `Segmentation ${segmentationId} is ${segmentation.status}; only a finished mask can be corrected`);
    }
    return segmentation;
  }

  /** Stores `pixels` as the next version with what it cost: HCE against the model's mask, pixels changed from the parent. */
  private async append(
    authorId: string,
    segmentation: SegmentationRecord,
    parent: MaskVersionView & { pixels: Uint8Array },
    pixels: Uint8Array,
    source: MaskVersionRecord['source'],
  ): Promise<MaskVersionView> {
    const width = segmentation.maskWidth!;
    const height = segmentation.maskHeight!;
    // The model's own mask is the parent's when nothing was corrected yet.
    const model = parent.record ? await readBlobMask(this.blobs, segmentation.maskSha256!) : parent.pixels;
    // The effort and the mask's numbers on the metrics threads; the PNG by libvips.
    const [effort, png, centre] = await Promise.all([
      this.metrics.correctionEffort({ ownerId: segmentation.ownerId, lane: 'interactive' }, pixels, model, parent.pixels, width, height),
      sharp(Buffer.from(pixels), { raw: { width, height, channels: 1 } })
        .toColourspace('b-w')
        .png({ compressionLevel: 6 })
        .toBuffer(),
      maskCentre(pixels, width, height),
    ]);
    const box = effort.stats.boundingBox;
    const sha256 = sha256Hex(png);
    const record = await this.blobLocks.run(sha256, async () => {
      await this.blobs.put(png);
      return this.versions.append({
        segmentationId: segmentation.id,
        parentVersion: parent.record?.version ?? 1,
        source,
        authorId,
        sha256,
        byteSize: png.length,
        foregroundRatio: effort.stats.foregroundRatio,
        bboxX: box?.x ?? null,
        bboxY: box?.y ?? null,
        bboxWidth: box?.width ?? null,
        bboxHeight: box?.height ?? null,
        centreX: centre?.x ?? null,
        centreY: centre?.y ?? null,
        hce: effort.hce,
        hceFpPoints: effort.fpPoints,
        hceFpIndep: effort.fpIndep,
        hceFnPoints: effort.fnPoints,
        hceFnIndep: effort.fnIndep,
        pixelsChanged: effort.pixelsChanged,
      });
    });
    await this.webhooks.emit(segmentation.ownerId, 'mask.corrected', record.id, {
      maskVersion: {
        segmentationId: segmentation.id,
        assetId: segmentation.assetId,
        version: record.version,
        source: record.source,
        hce: record.hce,
        pixelsChanged: record.pixelsChanged,
        createdAt: record.createdAt.toISOString(),
      },
    });
    return { segmentation, record };
  }
}
