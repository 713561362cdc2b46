/**
 * Dataset-level values as the official evaluators report them (shared/docs/metrics.md §13):
 * means of per-image values; curves averaged over images first, then their max and mean
 * (so maxF is the maximum of the mean curve, not the mean of per-image maxima); "overall"
 * binary values from confusion counts summed over all images. NaN propagates.
 */
import { BINARY_METRICS, type BinaryMetricName } from './binary-metrics.js';
import type { PairMetrics } from './evaluate-pair.js';
import { numpyMean } from './numpy-sum.js';

/**
 * The saliency scores reported per image and per dataset (for a dataset, meanF/maxF and
 * meanE/maxE come from the image-averaged curves).
 */
export interface SaliencyScores {
  mae: number;
  sm: number;
  wfm: number;
  adpF: number;
  meanF: number;
  maxF: number;
  adpE: number;
  meanE: number;
  maxE: number;
}

export interface DatasetMetrics extends SaliencyScores {
  count: number;
  fmCurve: Float64Array;
  precisionCurve: Float64Array;
  recallCurve: Float64Array;
  emCurve: Float64Array;
  fmv2: Record<BinaryMetricName, { adaptive: number; dynamicMeanCurve: Float64Array; max: number; mean: number; sampleBinary: number; overallBinary: number }>;
}

function meanCurve(curves: Float64Array[]): Float64Array {
  const out = new Float64Array(curves[0]?.length ?? 0);
  for (let k = 0; k < out.length; k += 1) out[k] = numpyMean(curves.map((curve) => curve[k]!));
  return out;
}

const maxOf = (curve: Float64Array) => curve.reduce((a, b) => (Number.isNaN(a) || Number.isNaN(b) ? Number.NaN : Math.max(a, b)), -Infinity);

export function aggregateMetrics(pairs: PairMetrics[]): DatasetMetrics {
  const meanOf = (pick: (pair: PairMetrics) => number) => numpyMean(pairs.map(pick));
  const fmCurve = meanCurve(pairs.map((pair) => pair.fm.curve));
  const emCurve = meanCurve(pairs.map((pair) => pair.em.curve));
  const total = pairs.reduce(
    (sum, pair) => ({
      tp: sum.tp + pair.binaryConfusion.tp,
      fp: sum.fp + pair.binaryConfusion.fp,
      fn: sum.fn + pair.binaryConfusion.fn,
      tn: sum.tn + pair.binaryConfusion.tn,
    }),
    { tp: 0, fp: 0, fn: 0, tn: 0 },
  );
  const fmv2 = Object.fromEntries(
    (Object.keys(BINARY_METRICS) as BinaryMetricName[]).map((name) => {
      const curve = meanCurve(pairs.map((pair) => pair.fmv2[name].dynamic));
      return [
        name,
        {
          adaptive: meanOf((pair) => pair.fmv2[name].adaptive),
          dynamicMeanCurve: curve,
          max: maxOf(curve),
          mean: numpyMean(curve),
          sampleBinary: meanOf((pair) => pair.fmv2[name].binary),
          overallBinary: BINARY_METRICS[name](total),
        },
      ];
    }),
  ) as DatasetMetrics['fmv2'];
  return {
    count: pairs.length,
    mae: meanOf((pair) => pair.mae),
    sm: meanOf((pair) => pair.sm),
    wfm: meanOf((pair) => pair.wfm),
    adpF: meanOf((pair) => pair.fm.adp),
    meanF: numpyMean(fmCurve),
    maxF: maxOf(fmCurve),
    fmCurve,
    precisionCurve: meanCurve(pairs.map((pair) => pair.pr.precision)),
    recallCurve: meanCurve(pairs.map((pair) => pair.pr.recall)),
    adpE: meanOf((pair) => pair.em.adp),
    meanE: numpyMean(emCurve),
    maxE: maxOf(emCurve),
    emCurve,
    fmv2,
  };
}
