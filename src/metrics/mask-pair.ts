/**
 * A ground-truth mask and a prediction prepared the way PySODMetrics prepares them
 * (docs: shared/docs/metrics.md §1): ground truth `> 128`; the prediction divided by 255
 * and min–max stretched unless constant; the quantised prediction trunc(255·p) used by every
 * 256-threshold curve.
 */
export interface MaskPair {
  width: number;
  height: number;
  /** Pixel count N. */
  size: number;
  /** Ground truth, 1 = foreground (value > 128). */
  gt: Uint8Array;
  /** Number of foreground pixels of the ground truth. */
  fg: number;
  /** Normalised prediction in [0, 1]. */
  p: Float64Array;
  /** trunc(255·p), 0..255. */
  q: Uint8Array;
}

/** `gt8`, `pred8`: 8-bit grey masks of the same size, row-major. */
export function prepareMaskPair(gt8: Uint8Array, pred8: Uint8Array, width: number, height: number): MaskPair {
  const size = width * height;
  const gt = new Uint8Array(size);
  let fg = 0;
  for (let i = 0; i < size; i += 1) {
    if (gt8[i]! > 128) {
      gt[i] = 1;
      fg += 1;
    }
  }
  const p = new Float64Array(size);
  let lo = Infinity;
  let hi = -Infinity;
  for (let i = 0; i < size; i += 1) {
    const value = pred8[i]! / 255;
    p[i] = value;
    if (value < lo) lo = value;
    if (value > hi) hi = value;
  }
  if (hi !== lo) for (let i = 0; i < size; i += 1) p[i] = (p[i]! - lo) / (hi - lo);
  const q = new Uint8Array(size);
  for (let i = 0; i < size; i += 1) q[i] = Math.trunc(255 * p[i]!);
  return { width, height, size, gt, fg, p, q };
}
