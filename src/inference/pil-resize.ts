/**
 * Pillow's `Image.resize(size, Image.BILINEAR)` for 8-bit grey images, as the U²-Net and
 * BASNet test scripts resize their masks back to the photo: a separable triangle filter
 * whose support widens when shrinking (antialiasing), fixed-point coefficients with 22
 * fractional bits, horizontal pass first, each pass rounded to 8 bits
 * (Pillow's libImaging/Resample.c).
 */
const PRECISION_BITS = 32 - 8 - 2;

interface Coefficients {
  start: Int32Array;
  count: Int32Array;
  /** `taps` integer weights per output pixel. */
  weights: Int32Array;
  taps: number;
}

function coefficients(inSize: number, outSize: number): Coefficients {
  const scale = inSize / outSize;
  const filterScale = Math.max(scale, 1);
  const support = filterScale; // bilinear support is 1
  const taps = Math.ceil(support) * 2 + 1;
  const start = new Int32Array(outSize);
  const count = new Int32Array(outSize);
  const weights = new Int32Array(outSize * taps);
  const row = new Float64Array(taps);
  for (let out = 0; out < outSize; out += 1) {
    const center = (out + 0.5) * scale;
    // C casts truncate toward zero; `center - support + 0.5` can be negative only near 0.
    const min = Math.max(0, Math.trunc(center - support + 0.5));
    const max = Math.min(inSize, Math.trunc(center + support + 0.5)) - min;
    let total = 0;
    for (let x = 0; x < max; x += 1) {
      const t = Math.abs((x + min - center + 0.5) / filterScale);
      row[x] = t < 1 ? 1 - t : 0;
      total += row[x]!;
    }
    for (let x = 0; x < max; x += 1) {
      const weight = total === 0 ? 0 : row[x]! / total;
      weights[out * taps + x] = weight < 0 ? Math.trunc(weight * (1 << PRECISION_BITS) - 0.5) : Math.trunc(weight * (1 << PRECISION_BITS) + 0.5);
    }
    start[out] = min;
    count[out] = max;
  }
  return { start, count, weights, taps };
}

function clip8(sum: number): number {
  const value = Math.floor(sum / (1 << PRECISION_BITS));
  return value < 0 ? 0 : value > 255 ? 255 : value;
}

/** Resizes an 8-bit grey image of `width × height` to `outWidth × outHeight`. */
export function pilBilinearResize(grey: Uint8Array, width: number, height: number, outWidth: number, outHeight: number): Uint8Array {
  let current = grey;
  let currentWidth = width;
  if (outWidth !== width) {
    const { start, count, weights, taps } = coefficients(width, outWidth);
    const next = new Uint8Array(outWidth * height);
    for (let y = 0; y < height; y += 1) {
      for (let x = 0; x < outWidth; x += 1) {
        let sum = 1 << (PRECISION_BITS - 1);
        const base = y * width + start[x]!;
        for (let k = 0; k < count[x]!; k += 1) sum += current[base + k]! * weights[x * taps + k]!;
        next[y * outWidth + x] = clip8(sum);
      }
    }
    current = next;
    currentWidth = outWidth;
  }
  if (outHeight !== height) {
    const { start, count, weights, taps } = coefficients(height, outHeight);
    const next = new Uint8Array(currentWidth * outHeight);
    for (let y = 0; y < outHeight; y += 1) {
      for (let x = 0; x < currentWidth; x += 1) {
        let sum = 1 << (PRECISION_BITS - 1);
        for (let k = 0; k < count[y]!; k += 1) sum += current[(start[y]! + k) * currentWidth + x]! * weights[y * taps + k]!;
        next[y * currentWidth + x] = clip8(sum);
      }
    }
    current = next;
  }
  return current;
}
