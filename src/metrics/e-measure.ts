/**
 * Enhanced-alignment measure (Fan et al., IJCAI 2018; PySODMetrics `Emeasure`;
 * shared/docs/metrics.md §5): adaptive and the 256-entry curve. The denominator is N − 1,
 * so a perfect prediction scores slightly above 1, as the reference does.
 */
import type { MaskPair } from './mask-pair.js';
import { numpyMean } from './numpy-sum.js';
import { adaptiveThreshold, type ThresholdCounts } from './threshold-counts.js';

const EPS = 2 ** -52;

export interface EMeasure {
  adaptive: number;
  curve: Float64Array;
}

function enhancedScore(fgfg: number, fgbg: number, fg: number, size: number): number {
  const positives = fgfg + fgbg;
  const negatives = size - positives;
  let score: number;
  if (fg === 0) score = negatives;
  else if (fg === size) score = positives;
  else {
    const bgfg = fg - fgfg;
    const bgbg = negatives - bgfg;
    const meanPred = positives / size;
    const meanGt = fg / size;
    const parts: [number, number, number][] = [
      [fgfg, 1 - meanPred, 1 - meanGt],
      [fgbg, 1 - meanPred, 0 - meanGt],
      [bgfg, 0 - meanPred, 1 - meanGt],
      [bgbg, 0 - meanPred, 0 - meanGt],
    ];
    score = 0;
    for (const [count, a, b] of parts) {
      const align = (2 * (a * b)) / (a * a + b * b + EPS);
      const enhanced = ((align + 1) * (align + 1)) / 4;
      score += enhanced * count;
    }
  }
  return score / (size - 1 + EPS);
}

export function computeEMeasure(pair: MaskPair, counts: ThresholdCounts): EMeasure {
  const threshold = adaptiveThreshold(numpyMean(pair.p));
  let fgfg = 0;
  let fgbg = 0;
  for (let i = 0; i < pair.size; i += 1) {
    if (pair.p[i]! < threshold) continue;
    if (pair.gt[i]) fgfg += 1;
    else fgbg += 1;
  }
  const curve = new Float64Array(256);
  for (let k = 0; k < 256; k += 1) curve[k] = enhancedScore(counts.tp[k]!, counts.fp[k]!, pair.fg, pair.size);
  return { adaptive: enhancedScore(fgfg, fgbg, pair.fg, pair.size), curve };
}
