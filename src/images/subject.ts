/**
 * Where an asset's subject is, as image delivery sees it: the latest mask of its newest
 * succeeded segmentation (a person's correction when there is one), or why there is none.
 */
import type { MaskVersionView } from '../corrections/mask-version-reader.js';
import type { SegmentationRecord } from '../storage/records.js';
import type { Rect } from './crop.js';

export type SubjectState =
  | { kind: 'ready'; maskSha256: string; box: Rect | null; centre: { x: number; y: number } | null }
  /** A segmentation is queued or running. */
  | { kind: 'pending' }
  /** Never segmented (or only failed runs). */
  | { kind: 'none' };

/** The newest SUCCEEDED segmentation of a newest-first list. */
export function newestSucceeded(segmentations: readonly SegmentationRecord[]): SegmentationRecord | undefined {
  return segmentations.find((segmentation) => segmentation.status === 'SUCCEEDED' && segmentation.maskSha256);
}

/** `latest` is the latest version of `newestSucceeded(segmentations)`, when there is one. */
export function subjectState(segmentations: readonly SegmentationRecord[], latest: MaskVersionView | null): SubjectState {
  if (latest) {
    const source = latest.record ?? latest.segmentation;
    const box = source.bboxX === null ? null : { x: source.bboxX, y: source.bboxY!, width: source.bboxWidth!, height: source.bboxHeight! };
    const centre = source.centreX === null || source.centreY === null ? null : { x: source.centreX, y: source.centreY };
    return { kind: 'ready', maskSha256: latest.record?.sha256 ?? latest.segmentation.maskSha256!, box, centre };
  }
  const running = segmentations.some((segmentation) => segmentation.status === 'QUEUED' || segmentation.status === 'RUNNING');
  return running ? { kind: 'pending' } : { kind: 'none' };
}
