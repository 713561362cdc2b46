/**
 * Which mask a segmentation means at a version: 1 is the model's (on the segmentation row),
 * 2 and up are people's versions, none given is the latest. Shared by corrections, effects
 * and file routes, so "the latest version" has one definition.
 */
import { AppError } from '../errors.js';
import type { MaskVersionRecord, SegmentationRecord } from '../storage/records.js';
import type { MaskVersionRepository } from '../storage/repositories/mask-version.repository.js';

export interface MaskVersionView {
  segmentation: SegmentationRecord;
  /** Null for version 1, the model's mask. */
  record: MaskVersionRecord | null;
}

export function blobOf({ segmentation, record }: MaskVersionView): string {
  return record?.sha256 ?? segmentation.maskSha256!;
}

export class MaskVersionReader {
  constructor(private readonly versions: MaskVersionRepository) {}

  /**
   * The version asked for, or the latest; null before SUCCEEDED.
   * @throws AppError NOT_FOUND for a version that does not exist.
   */
  async version(segmentation: SegmentationRecord, version?: number): Promise<MaskVersionView | null> {
    if (segmentation.status !== 'SUCCEEDED' || !segmentation.maskSha256) return null;
    if (version === undefined) return { segmentation, record: await this.versions.latest(segmentation.id) };
    if (version === 1) return { segmentation, record: null };
    const record = await this.versions.find(segmentation.id, version);
    if (!record) throw new AppError('NOT_FOUND', `Segmentation ${segmentation.id} has no mask version ${version}`, { details: { field: 'version' } });
    return { segmentation, record };
  }

  /** The latest version of each segmentation in one read (null before SUCCEEDED), in their order. */
  async latestOfMany(segmentations: readonly SegmentationRecord[]): Promise<(MaskVersionView | null)[]> {
    const finished = segmentations.filter((segmentation) => segmentation.status === 'SUCCEEDED' && segmentation.maskSha256);
    const records = finished.length === 0 ? [] : await this.versions.latestOfMany(finished.map((segmentation) => segmentation.id));
    return segmentations.map((segmentation) => {
      const index = finished.indexOf(segmentation);
      return index === -1 ? null : { segmentation, record: records[index]! };
    });
  }

  /** The blob of the version asked for, or of the latest; null before SUCCEEDED. */
  async maskSha256(segmentation: SegmentationRecord, version?: number): Promise<string | null> {
    const view = await this.version(segmentation, version);
    return view && blobOf(view);
  }
}
