/**
 * Structure measure, α = 0.5 (Fan et al., ICCV 2017; PySODMetrics `Smeasure`;
 * shared/docs/metrics.md §6): object-aware and region-aware similarity. Like the reference it
 * is NaN when the ground truth's centroid rounds to the last row or column.
 */
import type { MaskPair } from './mask-pair.js';
import { numpyMean } from './numpy-sum.js';

const EPS = 2 ** -52;
const ALPHA = 0.5;

/** s(v) = 2·mean / (mean² + 1 + sample std + EPS). */
function objectScore(values: number[]): number {
  const n = values.length;
  const mean = numpyMean(values);
  let squares = 0;
  for (const value of values) squares += (value - mean) * (value - mean);
  const std = n > 1 ? Math.sqrt(squares / (n - 1)) : 0;
  return (2 * mean) / (mean * mean + 1 + std + EPS);
}

function objectPart(pair: MaskPair): number {
  const inside: number[] = [];
  const outside: number[] = [];
  for (let i = 0; i < pair.size; i += 1) {
    if (pair.gt[i]) inside.push(pair.p[i]!);
    else outside.push(1 - pair.p[i]!);
  }
  const y = pair.fg / pair.size;
  return objectScore(inside) * y + objectScore(outside) * (1 - y);
}

/** SSIM-like score of one block [top, bottom) × [left, right). */
function blockScore(pair: MaskPair, top: number, bottom: number, left: number, right: number): number {
  const n = (bottom - top) * (right - left);
  let sumP = 0;
  let sumG = 0;
  for (let r = top; r < bottom; r += 1) {
    for (let c = left; c < right; c += 1) {
      sumP += pair.p[r * pair.width + c]!;
      sumG += pair.gt[r * pair.width + c]!;
    }
  }
  // An empty block has NaN means, as numpy gives; the NaN then reaches the result.
  const x = sumP / n;
  const y = sumG / n;
  let sigmaX = 0;
  let sigmaY = 0;
  let sigmaXY = 0;
  for (let r = top; r < bottom; r += 1) {
    for (let c = left; c < right; c += 1) {
      const dp = pair.p[r * pair.width + c]! - x;
      const dg = pair.gt[r * pair.width + c]! - y;
      sigmaX += dp * dp;
      sigmaY += dg * dg;
      sigmaXY += dp * dg;
    }
  }
  sigmaX /= n - 1 + EPS;
  sigmaY /= n - 1 + EPS;
  sigmaXY /= n - 1 + EPS;
  const alpha = 4 * x * y * sigmaXY;
  const beta = (x * x + y * y) * (sigmaX + sigmaY);
  if (n === 0) return Number.NaN;
  if (alpha !== 0) return alpha / (beta + EPS);
  return beta === 0 ? 1 : 0;
}

/** Python's round(): half to even. */
function roundHalfEven(value: number): number {
  const floor = Math.floor(value);
  const fraction = value - floor;
  if (fraction !== 0.5) return Math.round(value);
  return floor % 2 === 0 ? floor : floor + 1;
}

function regionPart(pair: MaskPair): number {
  const { width: w, height: h } = pair;
  let sumRows = 0;
  let sumCols = 0;
  for (let i = 0; i < pair.size; i += 1) {
    if (!pair.gt[i]) continue;
    sumRows += Math.floor(i / w);
    sumCols += i % w;
  }
  const X = roundHalfEven(sumCols / pair.fg) + 1;
  const Y = roundHalfEven(sumRows / pair.fg) + 1;
  const area = h * w;
  const w1 = (X * Y) / area;
  const w2 = (Y * (w - X)) / area;
  const w3 = ((h - Y) * X) / area;
  const w4 = 1 - w1 - w2 - w3;
  return blockScore(pair, 0, Y, 0, X) * w1 + blockScore(pair, 0, Y, X, w) * w2 + blockScore(pair, Y, h, 0, X) * w3 + blockScore(pair, Y, h, X, w) * w4;
}

export function computeSMeasure(pair: MaskPair): number {
  const y = pair.fg / pair.size;
  if (y === 0) return 1 - numpyMean(pair.p);
  if (y === 1) return numpyMean(pair.p);
  const score = ALPHA * objectPart(pair) + (1 - ALPHA) * regionPart(pair);
  return Number.isNaN(score) ? Number.NaN : Math.max(0, score);
}
