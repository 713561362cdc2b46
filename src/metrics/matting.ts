/**
 * The matting field's errors for soft masks against a true alpha (Rhemann et al., "A
 * Perceptually Motivated Online Benchmark for Image Matting", CVPR 2009, as computed by
 * alphamatting.com and the Deep Image Matting evaluation code): SAD, MSE, gradient and
 * connectivity error, each over the whole image and inside the unknown band (the pixels
 * whose true alpha lies strictly between 0 and 1). Alphas are 8-bit (0..255) and scored in
 * [0, 1]; SAD, gradient and connectivity are reported divided by 1000, as the field does.
 */

export interface MattingErrors {
  sad: number;
  mse: number;
  gradient: number;
  connectivity: number;
}

export interface MattingReport {
  /** Over every pixel. */
  overall: MattingErrors;
  /** Over the pixels whose true alpha is strictly between 0 and 255. */
  band: MattingErrors;
  /** How many pixels the band holds. */
  bandPixels: number;
}

/** σ of the Gaussian derivative filters of the gradient error. */
const GRADIENT_SIGMA = 1.4;
/** Threshold step of the connectivity error, and the distance below which a drop does not count. */
const CONNECTIVITY_STEP = 0.1;
const CONNECTIVITY_THETA = 0.15;

/** Per pixel, the gradient magnitude of `alpha` (min–max normalised to [0, 1]) by Gaussian derivatives. */
function gradientMagnitude(alpha: Uint8Array, width: number, height: number): Float64Array {
  let min = 255;
  let max = 0;
  for (const value of alpha) {
    if (value < min) min = value;
    if (value > max) max = value;
  }
  const range = max - min || 1;
  const image = Float64Array.from(alpha, (value) => (value - min) / range);
  // Kernel half-size where the Gaussian falls below 1 % of its peak (the reference's ε = 0.01).
  const half = Math.ceil(GRADIENT_SIGMA * Math.sqrt(-2 * Math.log(Math.sqrt(2 * Math.PI) * GRADIENT_SIGMA * 0.01)));
  const gauss: number[] = [];
  const derivative: number[] = [];
  for (let k = -half; k <= half; k += 1) {
    const g = Math.exp(-(k * k) / (2 * GRADIENT_SIGMA ** 2)) / (GRADIENT_SIGMA * Math.sqrt(2 * Math.PI));
    gauss.push(g);
    derivative.push((-k / GRADIENT_SIGMA ** 2) * g);
  }
  // The 2-D kernel g(y)·g'(x) normalised to unit L2 norm, applied separably.
  let norm = 0;
  for (const g of gauss) for (const d of derivative) norm += (g * d) ** 2;
  const scale = 1 / Math.sqrt(norm);
  const at = (x: number, y: number) => image[Math.min(height - 1, Math.max(0, y)) * width + Math.min(width - 1, Math.max(0, x))]!;
  const rows = (kernel: number[]) => {
    const out = new Float64Array(width * height);
    for (let y = 0; y < height; y += 1)
      for (let x = 0; x < width; x += 1) {
        let sum = 0;
        for (let k = -half; k <= half; k += 1) sum += kernel[k + half]! * at(x - k, y);
        out[y * width + x] = sum;
      }
    return out;
  };
  const columns = (source: Float64Array, kernel: number[]) => {
    const out = new Float64Array(width * height);
    for (let y = 0; y < height; y += 1)
      for (let x = 0; x < width; x += 1) {
        let sum = 0;
        for (let k = -half; k <= half; k += 1) sum += kernel[k + half]! * source[Math.min(height - 1, Math.max(0, y - k)) * width + x]!;
        out[y * width + x] = sum;
      }
    return out;
  };
  const gx = columns(rows(derivative), gauss);
  const gy = columns(rows(gauss), derivative);
  return Float64Array.from(gx, (value, i) => Math.hypot(value, gy[i]!) * scale);
}

/** Labels the 4-connected components of `on`; returns the mask of the largest. */
function largestComponent(on: Uint8Array, width: number): Uint8Array {
  const label = new Int32Array(on.length);
  const stack = new Int32Array(on.length);
  let best = 0;
  let bestSize = 0;
  let next = 0;
  for (let start = 0; start < on.length; start += 1) {
    if (!on[start] || label[start]) continue;
    next += 1;
    let size = 0;
    let top = 0;
    stack[top++] = start;
    label[start] = next;
    while (top > 0) {
      const i = stack[--top]!;
      size += 1;
      const x = i % width;
      for (const j of [x > 0 ? i - 1 : -1, x < width - 1 ? i + 1 : -1, i - width, i + width]) {
        if (j >= 0 && j < on.length && on[j] && !label[j]) {
          label[j] = next;
          stack[top++] = j;
        }
      }
    }
    if (size > bestSize) [best, bestSize] = [next, size];
  }
  return Uint8Array.from(label, (value) => (value === best && best > 0 ? 1 : 0));
}

/** Per pixel, 1 − (α − ℓ)·[α − ℓ ≥ θ], where ℓ is the level at which the pixel left the largest joint component. */
function connectivityPhi(alpha: Uint8Array, truth: Uint8Array, width: number): [Float64Array, Float64Array] {
  const level = new Float64Array(alpha.length).fill(-1);
  const steps = Math.round(1 / CONNECTIVITY_STEP);
  for (let step = 1; step <= steps; step += 1) {
    const threshold = step * CONNECTIVITY_STEP;
    const both = new Uint8Array(alpha.length);
    for (let i = 0; i < both.length; i += 1) both[i] = alpha[i]! / 255 >= threshold && truth[i]! / 255 >= threshold ? 1 : 0;
    const omega = largestComponent(both, width);
    for (let i = 0; i < level.length; i += 1) if (level[i] === -1 && !omega[i]) level[i] = threshold - CONNECTIVITY_STEP;
  }
  const phi = (values: Uint8Array) =>
    Float64Array.from(values, (value, i) => {
      const d = value / 255 - (level[i] === -1 ? 1 : level[i]!);
      return 1 - (d >= CONNECTIVITY_THETA ? d : 0);
    });
  return [phi(alpha), phi(truth)];
}

/** The four errors of `alpha` against `truth` (both 0..255, `width × height`). */
export function mattingErrors(alpha: Uint8Array, truth: Uint8Array, width: number, height: number): MattingReport {
  if (alpha.length !== truth.length || alpha.length !== width * height) throw new Error(`Expected two ${width} × ${height} alphas`);
  const [gradientAlpha, gradientTruth] = [gradientMagnitude(alpha, width, height), gradientMagnitude(truth, width, height)];
  const [phiAlpha, phiTruth] = connectivityPhi(alpha, truth, width);
  const sums = (inBand: boolean) => {
    let [sad, squares, gradient, connectivity, n] = [0, 0, 0, 0, 0];
    for (let i = 0; i < alpha.length; i += 1) {
      if (inBand && (truth[i] === 0 || truth[i] === 255)) continue;
      const difference = (alpha[i]! - truth[i]!) / 255;
      sad += Math.abs(difference);
      squares += difference * difference;
      gradient += (gradientAlpha[i]! - gradientTruth[i]!) ** 2;
      connectivity += Math.abs(phiAlpha[i]! - phiTruth[i]!);
      n += 1;
    }
    return { errors: { sad: sad / 1000, mse: n === 0 ? 0 : squares / n, gradient: gradient / 1000, connectivity: connectivity / 1000 }, n };
  };
  const overall = sums(false);
  const band = sums(true);
  return { overall: overall.errors, band: band.errors, bandPixels: band.n };
}
