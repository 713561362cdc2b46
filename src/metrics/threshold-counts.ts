/**
 * Confusion counts for the 256-threshold sweep shared by the F-measure, E-measure and
 * precision/recall curves (PySODMetrics; shared/docs/metrics.md §1): entry k binarises the
 * quantised prediction as q ≥ 255 − k, from the strictest (k = 0) to "everything" (k = 255).
 */
import type { MaskPair } from './mask-pair.js';

export interface ThresholdCounts {
  /** True positives per entry. */
  tp: Float64Array;
  /** False positives per entry. */
  fp: Float64Array;
  fg: number;
  bg: number;
}

export function thresholdCounts(pair: MaskPair): ThresholdCounts {
  const onGt = new Float64Array(256);
  const offGt = new Float64Array(256);
  for (let i = 0; i < pair.size; i += 1) {
    if (pair.gt[i]) onGt[pair.q[i]!] += 1;
    else offGt[pair.q[i]!] += 1;
  }
  const tp = new Float64Array(256);
  const fp = new Float64Array(256);
  let tpSum = 0;
  let fpSum = 0;
  for (let k = 0; k < 256; k += 1) {
    tpSum += onGt[255 - k]!;
    fpSum += offGt[255 - k]!;
    tp[k] = tpSum;
    fp[k] = fpSum;
  }
  return { tp, fp, fg: pair.fg, bg: pair.size - pair.fg };
}

/** Counts of the adaptive binarisation p ≥ min(2·mean(p), 1) (metrics.md §1). */
export function adaptiveThreshold(meanP: number): number {
  return Math.min(2 * meanP, 1);
}
