/**
 * Mean absolute error between the normalised prediction and the binary ground truth
 * (PySODMetrics `MAE`; shared/docs/metrics.md §2).
 */
import type { MaskPair } from './mask-pair.js';
import { numpyMean } from './numpy-sum.js';

export function computeMae(pair: MaskPair): number {
  const errors = new Float64Array(pair.size);
  for (let i = 0; i < pair.size; i += 1) errors[i] = Math.abs(pair.p[i]! - pair.gt[i]!);
  return numpyMean(errors);
}
