/**
 * `skimage.transform.resize(image, (outH, outW), mode='constant')` as scikit-image 0.19
 * computes it for a uint8 RGB image, which the U²-Net and BASNet test scripts use:
 * the image as float in [0, 1]; when any axis shrinks, a Gaussian blur with
 * sigma = (in/out − 1)/2 per axis (scipy.ndimage.gaussian_filter, truncate 4, zero
 * padding); then scipy.ndimage.zoom(order=1, grid_mode=True, mode='grid-constant'):
 * bilinear sampling at (o + 0.5)·in/out − 0.5 with zeros outside the image.
 *
 * The blur is evaluated only at the source rows and columns the bilinear step reads,
 * so a 16-megapixel photo costs a few hundred million multiply-adds, not billions.
 */

/** scipy.ndimage's Gaussian kernel (order 0): radius = int(4σ + 0.5), normalised weights. */
function gaussianKernel(sigma: number): Float64Array {
  if (sigma <= 1e-15) return Float64Array.of(1);
  const radius = Math.floor(4 * sigma + 0.5);
  const kernel = new Float64Array(2 * radius + 1);
  let sum = 0;
  for (let i = -radius; i <= radius; i += 1) {
    kernel[i + radius] = Math.exp((-0.5 * i * i) / (sigma * sigma));
    sum += kernel[i + radius]!;
  }
  for (let i = 0; i < kernel.length; i += 1) kernel[i]! /= sum;
  return kernel;
}

interface AxisSampling {
  /** Source indices the bilinear step reads (may be −1 or n: those read as zero). */
  lower: Int32Array;
  weightUpper: Float64Array;
  sigma: number;
}

function axisSampling(inSize: number, outSize: number): AxisSampling {
  const factor = inSize / outSize;
  const lower = new Int32Array(outSize);
  const weightUpper = new Float64Array(outSize);
  for (let o = 0; o < outSize; o += 1) {
    const coordinate = (o + 0.5) * factor - 0.5;
    const floor = Math.floor(coordinate);
    lower[o] = floor;
    weightUpper[o] = coordinate - floor;
  }
  return { lower, weightUpper, sigma: Math.max(0, (factor - 1) / 2) };
}

/**
 * @param rgb interleaved 8-bit RGB, `width × height × 3`
 * @returns interleaved float RGB in [0, 1], `outWidth × outHeight × 3`
 */
export function skimageResize(rgb: Uint8Array, width: number, height: number, outWidth: number, outHeight: number): Float64Array {
  const x = axisSampling(width, outWidth);
  const y = axisSampling(height, outHeight);
  // skimage blurs only when some axis shrinks; an axis that grows gets sigma 0 either way.
  const antiAlias = width > outWidth || height > outHeight;
  const kernelX = gaussianKernel(antiAlias ? x.sigma : 0);
  const kernelY = gaussianKernel(antiAlias ? y.sigma : 0);
  const radiusX = (kernelX.length - 1) / 2;
  const radiusY = (kernelY.length - 1) / 2;

  // Columns and rows the bilinear step touches, each blurred once.
  const columnSlot = new Map<number, number>();
  for (let o = 0; o < outWidth; o += 1)
    for (const c of [x.lower[o]!, x.lower[o]! + 1]) if (c >= 0 && c < width && !columnSlot.has(c)) columnSlot.set(c, columnSlot.size);
  const rowSlot = new Map<number, number>();
  for (let o = 0; o < outHeight; o += 1)
    for (const r of [y.lower[o]!, y.lower[o]! + 1]) if (r >= 0 && r < height && !rowSlot.has(r)) rowSlot.set(r, rowSlot.size);
  const columns = [...columnSlot.keys()];
  const slots = columns.length;

  // Horizontal blur at the needed columns, for every source row.
  const horizontal = new Float64Array(height * slots * 3);
  for (let r = 0; r < height; r += 1) {
    const rowBase = r * width * 3;
    for (let s = 0; s < slots; s += 1) {
      const c = columns[s]!;
      let red = 0,
        green = 0,
        blue = 0;
      const from = Math.max(0, c - radiusX);
      const to = Math.min(width - 1, c + radiusX);
      for (let k = from; k <= to; k += 1) {
        const weight = kernelX[k - c + radiusX]!;
        const at = rowBase + k * 3;
        red += weight * rgb[at]!;
        green += weight * rgb[at + 1]!;
        blue += weight * rgb[at + 2]!;
      }
      const out = (r * slots + s) * 3;
      horizontal[out] = red / 255;
      horizontal[out + 1] = green / 255;
      horizontal[out + 2] = blue / 255;
    }
  }

  // Vertical blur at the needed rows.
  const blurred = new Float64Array(rowSlot.size * slots * 3);
  for (const [r, slot] of rowSlot) {
    const from = Math.max(0, r - radiusY);
    const to = Math.min(height - 1, r + radiusY);
    for (let s = 0; s < slots; s += 1) {
      let red = 0,
        green = 0,
        blue = 0;
      for (let k = from; k <= to; k += 1) {
        const weight = kernelY[k - r + radiusY]!;
        const at = (k * slots + s) * 3;
        red += weight * horizontal[at]!;
        green += weight * horizontal[at + 1]!;
        blue += weight * horizontal[at + 2]!;
      }
      const out = (slot * slots + s) * 3;
      blurred[out] = red;
      blurred[out + 1] = green;
      blurred[out + 2] = blue;
    }
  }

  // Bilinear sampling; positions outside the image read as zero ('grid-constant').
  const output = new Float64Array(outWidth * outHeight * 3);
  const sample = (r: number, c: number, channel: number) => {
    const rs = rowSlot.get(r);
    const cs = columnSlot.get(c);
    return rs === undefined || cs === undefined ? 0 : blurred[(rs * slots + cs) * 3 + channel]!;
  };
  for (let oy = 0; oy < outHeight; oy += 1) {
    const r0 = y.lower[oy]!;
    const wy = y.weightUpper[oy]!;
    for (let ox = 0; ox < outWidth; ox += 1) {
      const c0 = x.lower[ox]!;
      const wx = x.weightUpper[ox]!;
      for (let channel = 0; channel < 3; channel += 1) {
        const top = (1 - wx) * sample(r0, c0, channel) + wx * sample(r0, c0 + 1, channel);
        const bottom = (1 - wx) * sample(r0 + 1, c0, channel) + wx * sample(r0 + 1, c0 + 1, channel);
        output[(oy * outWidth + ox) * 3 + channel] = (1 - wy) * top + wy * bottom;
      }
    }
  }
  return output;
}
