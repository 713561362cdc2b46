/**
 * F-measure with β² = 0.3 (Achanta et al., CVPR 2009; PySODMetrics `Fmeasure`;
 * shared/docs/metrics.md §3): adaptive (threshold 2·mean(p)) and the 256-entry curve with its
 * precision and recall.
 */
import type { MaskPair } from './mask-pair.js';
import { numpyMean } from './numpy-sum.js';
import { adaptiveThreshold, type ThresholdCounts } from './threshold-counts.js';

const BETA2 = 0.3;

export interface FMeasure {
  adaptive: number;
  curve: Float64Array;
  precision: Float64Array;
  recall: Float64Array;
}

export function computeFMeasure(pair: MaskPair, counts: ThresholdCounts): FMeasure {
  const threshold = adaptiveThreshold(numpyMean(pair.p));
  let positives = 0;
  let intersection = 0;
  for (let i = 0; i < pair.size; i += 1) {
    if (pair.p[i]! >= threshold) {
      positives += 1;
      if (pair.gt[i]) intersection += 1;
    }
  }
  let adaptive = 0;
  if (intersection > 0) {
    const precision = intersection / positives;
    const recall = intersection / pair.fg;
    adaptive = ((1 + BETA2) * precision * recall) / (BETA2 * precision + recall);
  }
  const precision = new Float64Array(256);
  const recall = new Float64Array(256);
  const curve = new Float64Array(256);
  for (let k = 0; k < 256; k += 1) {
    const predicted = counts.tp[k]! + counts.fp[k]!;
    precision[k] = counts.tp[k]! / (predicted === 0 ? 1 : predicted);
    recall[k] = counts.tp[k]! / Math.max(pair.fg, 1);
    const numerator = (1 + BETA2) * precision[k]! * recall[k]!;
    curve[k] = numerator === 0 ? 0 : numerator / (BETA2 * precision[k]! + recall[k]!);
  }
  return { adaptive, curve, precision, recall };
}
