/**
 * What a model family is: how a photo becomes the input tensor and how the chosen output
 * becomes an 8-bit mask at the photo's size. The numbers (size, mean, std, output index)
 * come from the model's manifest; the families differ in the steps.
 */
import { decodeRgb, decodeResizedRgb, orientedSize } from '../image-input.js';
import type { ModelManifest } from '../manifest.js';
import { skimageResize } from '../skimage-resize.js';

export interface PreparedInput {
  /** NCHW float32, [1, 3, H, W]. */
  tensor: Float32Array;
  /** Oriented size of the photo, which the mask must match. */
  width: number;
  height: number;
}

export interface Family {
  prepare(photo: Buffer, manifest: ModelManifest): Promise<PreparedInput>;
  /** Resizes the 8-bit mask at model resolution to the photo's `width × height`. */
  toMask(mask: Uint8Array, manifest: ModelManifest, width: number, height: number): Promise<Uint8Array>;
}

/** Writes interleaved RGB (scaled to [0, 1] by `scale`) into NCHW with per-channel mean/std. */
export function toNchw(
  rgb: ArrayLike<number>,
  pixels: number,
  scale: number,
  mean: readonly [number, number, number],
  std: readonly [number, number, number],
  useFirstChannelStats: boolean,
): Float32Array {
  const tensor = new Float32Array(3 * pixels);
  for (let channel = 0; channel < 3; channel += 1) {
    const statsChannel = useFirstChannelStats ? 0 : channel;
    const m = mean[statsChannel]!;
    const s = std[statsChannel]!;
    const plane = channel * pixels;
    for (let i = 0; i < pixels; i += 1) tensor[plane + i] = (rgb[i * 3 + channel]! * scale - m) / s;
  }
  return tensor;
}

/**
 * The input tensor as the manifest describes it: resized by skimage's resize (float, from
 * the full-resolution pixels) or sharp's bilinear (8-bit, shrinking JPEGs while decoding),
 * scaled by 1/255 and optionally by the resized image's maximum, then mean/std per channel.
 */
export async function prepareInput(photo: Buffer, manifest: ModelManifest): Promise<PreparedInput> {
  const [height, width] = manifest.input.size;
  const { mean, std, scale, resize } = manifest.normalisation;
  let pixels: ArrayLike<number>;
  let unit: number;
  let isGrey: boolean;
  let size: { width: number; height: number };
  if (resize === 'skimage') {
    const decoded = await decodeRgb(photo);
    pixels = skimageResize(decoded.rgb, decoded.width, decoded.height, width, height);
    unit = 1;
    isGrey = decoded.isGrey;
    size = decoded;
  } else {
    const [oriented, resized] = await Promise.all([orientedSize(photo), decodeResizedRgb(photo, width, height)]);
    pixels = resized.rgb;
    unit = 1 / 255;
    isGrey = resized.isGrey;
    size = oriented;
  }
  let factor = unit;
  if (scale === 'divide-by-max') {
    let maximum = 0;
    for (let i = 0; i < pixels.length; i += 1) if (pixels[i]! > maximum) maximum = pixels[i]!;
    if (maximum > 0) factor = 1 / maximum;
  }
  // The U²-Net scripts normalise a grey photo's single channel with the red statistics.
  const useFirstChannelStats = isGrey && scale === 'divide-by-max';
  return { tensor: toNchw(pixels, width * height, factor, mean, std, useFirstChannelStats), width: size.width, height: size.height };
}
