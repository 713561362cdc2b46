/**
 * Bilinear resampling of small weighted layers, in JavaScript on the render thread. Depth of
 * field blends blur levels of several sizes and lays the blend over the photo; as libvips
 * pipelines each enlargement was a pipeline of its own (four a render, about a third of a
 * 512 px preview's time), while these loops cost a millisecond or two at preview size.
 * Colours are weighted by alpha (premultiplied), as libvips' resize of an image with alpha
 * is, so a pixel with no weight lends no colour to its neighbours.
 */
import type { WeightedPixels } from './blur.js';

// Sizes are taken `| 0` on the way in: they may arrive as doubles (from Math.round), and as
// small integers V8 keeps the loops' index arithmetic in integers. Values are rounded by
// adding ½ and storing (a Uint8Array store truncates; every value here is a mean of bytes, in
// [0, 255]): Math.round returns −0 for a value a rounding error below zero, and such results
// made the composite loop over twice as slow on real photos.

/** Per target index along one axis: the two source indices around its centre, and the second's share. */
export interface Axis {
  lower: Int32Array;
  upper: Int32Array;
  share: Float32Array;
}

/**
 * Centre-aligned, so an enlargement does not shift the image: target pixel i's centre lies at
 * (i + ½)·from/to − ½ in the source. (libvips' linear enlargement aligns corners instead, a
 * shift of up to half a source pixel; the blend and its distances are made at one size, so
 * only the look moved, 40.5 dB.)
 */
export function axis(from: number, to: number): Axis {
  const lower = new Int32Array(to);
  const upper = new Int32Array(to);
  const share = new Float32Array(to);
  for (let i = 0; i < to; i += 1) {
    const at = Math.min(from - 1, Math.max(0, ((i + 0.5) * from) / to - 0.5));
    lower[i] = Math.floor(at);
    upper[i] = Math.min(from - 1, lower[i]! + 1);
    share[i] = at - lower[i]!;
  }
  return { lower, upper, share };
}

/**
 * Every row of `pixels` resampled to `width` columns, premultiplied: 4 floats per pixel,
 * colour × alpha and alpha (0..255). Bilinear is separable, so the rows are resampled once
 * and each target row only mixes two of them.
 */
function widened({ rgba, width: fromWidth, height: fromHeight }: WeightedPixels, width: number): Float32Array {
  [fromWidth, fromHeight, width] = [fromWidth | 0, fromHeight | 0, width | 0];
  const columns = axis(fromWidth, width);
  const wide = new Float32Array(fromHeight * width * 4);
  for (let row = 0, at = 0; row < fromHeight; row += 1)
    for (let x = 0; x < width; x += 1, at += 4) {
      const left = (row * fromWidth + columns.lower[x]!) * 4;
      const right = (row * fromWidth + columns.upper[x]!) * 4;
      const leftWeight = (1 - columns.share[x]!) * rgba[left + 3]!;
      const rightWeight = columns.share[x]! * rgba[right + 3]!;
      wide[at] = leftWeight * rgba[left]! + rightWeight * rgba[right]!;
      wide[at + 1] = leftWeight * rgba[left + 1]! + rightWeight * rgba[right + 1]!;
      wide[at + 2] = leftWeight * rgba[left + 2]! + rightWeight * rgba[right + 2]!;
      wide[at + 3] = leftWeight + rightWeight;
    }
  return wide;
}

/**
 * `pixels` resampled to `width × height`: 4-channel, alpha interpolated and each colour the
 * alpha-weighted mean of the four around it (black where all four have none).
 */
export function resampled(pixels: WeightedPixels, width: number, height: number): Buffer {
  [width, height] = [width | 0, height | 0];
  const wide = widened(pixels, width);
  const rows = axis(pixels.height, height);
  const out = Buffer.alloc(width * height * 4);
  for (let y = 0, at = 0; y < height; y += 1) {
    const top = rows.lower[y]! * width * 4;
    const bottom = rows.upper[y]! * width * 4;
    const down = rows.share[y]!;
    const up = 1 - down;
    for (let x = 0; x < width * 4; x += 4, at += 4) {
      const weight = up * wide[top + x + 3]! + down * wide[bottom + x + 3]!;
      out[at + 3] = weight + 0.5;
      if (weight === 0) continue;
      out[at] = (up * wide[top + x]! + down * wide[bottom + x]!) / weight + 0.5;
      out[at + 1] = (up * wide[top + x + 1]! + down * wide[bottom + x + 1]!) / weight + 0.5;
      out[at + 2] = (up * wide[top + x + 2]! + down * wide[bottom + x + 2]!) / weight + 0.5;
    }
  }
  return out;
}

/**
 * The photo with `layer` (small, 4-channel) enlarged over it and the subject on top, as
 * 3-channel pixels at the photo's size: per pixel, the layer's premultiplied bilinear colour
 * L·a over the photo, P·(1 − a) + L·a, and the photo again where the mask m covers it:
 * P·m + (P·(1 − a) + L·a)·(1 − m). Where the mask is 255 the photo is unchanged.
 */
export function underSubject(rgb: Uint8Array, mask: Uint8Array, width: number, height: number, layer: WeightedPixels): Buffer {
  [width, height] = [width | 0, height | 0];
  const wide = widened(layer, width);
  const rows = axis(layer.height, height);
  const out = Buffer.alloc(width * height * 3);
  // Scalars only in this loop: it runs per output pixel.
  for (let y = 0, pixel = 0; y < height; y += 1) {
    const top = rows.lower[y]! * width * 4;
    const bottom = rows.upper[y]! * width * 4;
    const down = rows.share[y]!;
    const up = 1 - down;
    for (let x = 0; x < width * 4; x += 4, pixel += 1) {
      const at = pixel * 3;
      const m = mask[pixel]!;
      if (m === 255) {
        out[at] = rgb[at]!;
        out[at + 1] = rgb[at + 1]!;
        out[at + 2] = rgb[at + 2]!;
        continue;
      }
      // Alpha 0..255, colours premultiplied by it: both are scaled back by `over`.
      const alpha = up * wide[top + x + 3]! + down * wide[bottom + x + 3]!;
      const over = (1 - m / 255) / 255;
      const keep = m / 255 + (255 - alpha) * over;
      out[at] = rgb[at]! * keep + (up * wide[top + x]! + down * wide[bottom + x]!) * over + 0.5;
      out[at + 1] = rgb[at + 1]! * keep + (up * wide[top + x + 1]! + down * wide[bottom + x + 1]!) * over + 0.5;
      out[at + 2] = rgb[at + 2]! * keep + (up * wide[top + x + 2]! + down * wide[bottom + x + 2]!) * over + 0.5;
    }
  }
  return out;
}
