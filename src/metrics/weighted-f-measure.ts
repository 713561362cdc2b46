/**
 * Weighted F-measure, β = 1 (Margolin et al., CVPR 2014; PySODMetrics `WeightedFmeasure`;
 * shared/docs/metrics.md §7): errors spread by a 7×7 Gaussian (σ = 5) from the nearest
 * ground-truth pixel and weighted by distance to the object.
 */
import type { MaskPair } from './mask-pair.js';
import { nearestForeground } from './nearest-foreground.js';

const EPS = 2 ** -52;
const BETA = 1;

/** MATLAB fspecial('gaussian', 7, 5), row-major 7×7. */
function gaussianKernel(): Float64Array {
  const kernel = new Float64Array(49);
  let max = 0;
  for (let i = -3; i <= 3; i += 1)
    for (let j = -3; j <= 3; j += 1) {
      const value = Math.exp(-(j * j + i * i) / (2 * 5 * 5));
      kernel[(i + 3) * 7 + (j + 3)] = value;
      max = Math.max(max, value);
    }
  let sum = 0;
  for (let k = 0; k < 49; k += 1) {
    if (kernel[k]! < EPS * max) kernel[k] = 0;
    sum += kernel[k]!;
  }
  for (let k = 0; k < 49; k += 1) kernel[k]! /= sum;
  return kernel;
}
const KERNEL = gaussianKernel();

export function computeWeightedFMeasure(pair: MaskPair): number {
  if (pair.fg === 0) return 0;
  const { width, height, size, gt, p } = pair;
  const error = new Float64Array(size);
  for (let i = 0; i < size; i += 1) error[i] = Math.abs(p[i]! - gt[i]!);
  const nearest = nearestForeground(gt, width, height);
  const spreadSource = new Float64Array(size);
  for (let i = 0; i < size; i += 1) spreadSource[i] = gt[i] ? error[i]! : error[nearest.index[i]!]!;

  let tpw = pair.fg;
  let fpw = 0;
  let onGt = 0;
  for (let r = 0; r < height; r += 1) {
    for (let c = 0; c < width; c += 1) {
      const i = r * width + c;
      let weighted = error[i]!;
      if (gt[i]) {
        // Zero padding outside the image.
        let spread = 0;
        for (let kr = -3; kr <= 3; kr += 1) {
          const rr = r + kr;
          if (rr < 0 || rr >= height) continue;
          for (let kc = -3; kc <= 3; kc += 1) {
            const cc = c + kc;
            if (cc < 0 || cc >= width) continue;
            spread += KERNEL[(kr + 3) * 7 + (kc + 3)]! * spreadSource[rr * width + cc]!;
          }
        }
        if (spread < weighted) weighted = spread;
        tpw -= weighted;
        onGt += weighted;
      } else {
        weighted *= 2 - Math.exp((Math.log(0.5) / 5) * nearest.distance[i]!);
        fpw += weighted;
      }
    }
  }
  const recall = 1 - onGt / pair.fg;
  const precision = tpw / (tpw + fpw + EPS);
  return ((1 + BETA) * recall * precision) / (recall + BETA * precision + EPS);
}
