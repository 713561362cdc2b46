/**
 * The saliency-metric suite for one (ground truth, prediction) pair, as PySODMetrics
 * computes it. HCE, the DIS metric, is separate (it reads the raw prediction).
 */
import { BINARY_METRICS, type BinaryMetricName, type Confusion } from './binary-metrics.js';
import { computeEMeasure } from './e-measure.js';
import { computeFMeasure } from './f-measure.js';
import { computeMae } from './mae.js';
import { prepareMaskPair } from './mask-pair.js';
import { numpyMean } from './numpy-sum.js';
import { computeSMeasure } from './s-measure.js';
import { adaptiveThreshold, thresholdCounts, type ThresholdCounts } from './threshold-counts.js';
import { computeWeightedFMeasure } from './weighted-f-measure.js';

export interface PairMetrics {
  mae: number;
  sm: number;
  wfm: number;
  fm: { adp: number; curve: Float64Array; max: number; mean: number };
  pr: { precision: Float64Array; recall: Float64Array };
  em: { adp: number; curve: Float64Array; max: number; mean: number };
  /** Per binary metric: adaptive (p ≥ 2·mean), binary (p > 0.5) and dynamic (256 thresholds). */
  fmv2: Record<BinaryMetricName, { adaptive: number; binary: number; dynamic: Float64Array }>;
  counts: ThresholdCounts;
  /** Confusion of the binary (p > 0.5) binarisation, for dataset-level "overall" values. */
  binaryConfusion: Confusion;
}

const max = (values: Float64Array) => values.reduce((a, b) => Math.max(a, b), -Infinity);
const mean = (values: Float64Array) => numpyMean(values);

export function evaluatePair(gt8: Uint8Array, pred8: Uint8Array, width: number, height: number): PairMetrics {
  const pair = prepareMaskPair(gt8, pred8, width, height);
  const counts = thresholdCounts(pair);
  const f = computeFMeasure(pair, counts);
  const e = computeEMeasure(pair, counts);
  const threshold = adaptiveThreshold(numpyMean(pair.p));
  const confusion = (positive: (p: number) => boolean): Confusion => {
    let tp = 0;
    let fp = 0;
    for (let i = 0; i < pair.size; i += 1) {
      if (!positive(pair.p[i]!)) continue;
      if (pair.gt[i]) tp += 1;
      else fp += 1;
    }
    return { tp, fp, fn: pair.fg - tp, tn: pair.size - pair.fg - fp };
  };
  const adaptive = confusion((p) => p >= threshold);
  const binary = confusion((p) => p > 0.5);
  const dynamic: Confusion[] = Array.from({ length: 256 }, (_, k) => ({
    tp: counts.tp[k]!,
    fp: counts.fp[k]!,
    fn: pair.fg - counts.tp[k]!,
    tn: pair.size - pair.fg - counts.fp[k]!,
  }));
  const fmv2 = Object.fromEntries(
    (Object.keys(BINARY_METRICS) as BinaryMetricName[]).map((name) => {
      const metric = BINARY_METRICS[name];
      return [name, { adaptive: metric(adaptive), binary: metric(binary), dynamic: Float64Array.from(dynamic, metric) }];
    }),
  ) as PairMetrics['fmv2'];
  return {
    mae: computeMae(pair),
    sm: computeSMeasure(pair),
    wfm: computeWeightedFMeasure(pair),
    fm: { adp: f.adaptive, curve: f.curve, max: max(f.curve), mean: mean(f.curve) },
    pr: { precision: f.precision, recall: f.recall },
    em: { adp: e.adaptive, curve: e.curve, max: max(e.curve), mean: mean(e.curve) },
    fmv2,
    counts,
    binaryConfusion: binary,
  };
}
