/**
 * Weighted blurs: the photo blurred with only the pixels a weight allows. The weight rides
 * as alpha and sharp premultiplies by it around a blur, so the result is a normalised
 * convolution: zero-weight pixels (the subject) contribute nothing, and the subject's
 * colours never bleed into the blurred background (no halo).
 *
 * Big blurs run at reduced scale, where the eye cannot tell: a Gaussian of σ = 60 px has
 * nothing finer than a few pixels left, so it is computed at 1/15 size with σ = 4 and
 * enlarged (premultiplied again, so the enlargement is weighted too).
 */
import type { Sharp } from 'sharp';
import { raw, type Layers } from './layers.js';

/** σ at the reduced size; below twice this, blurs run at full size. */
const SMALL_SIGMA = 4;

export interface WeightedPixels {
  /** 4 channels: colour and weight. */
  rgba: Buffer;
  width: number;
  height: number;
}

/**
 * The background to blur: the photo weighted by the inverse of the mask (the subject has no
 * weight). Interleaved here rather than by two libvips pipelines (a negation and a join):
 * a loop over the pixels costs less than starting them.
 */
export function backgroundOf({ rgb, mask, width, height }: Layers): WeightedPixels {
  const rgba = Buffer.alloc(mask.length * 4);
  for (let pixel = 0, at = 0; pixel < mask.length; pixel += 1, at += 4) {
    rgba[at] = rgb[pixel * 3]!;
    rgba[at + 1] = rgb[pixel * 3 + 1]!;
    rgba[at + 2] = rgb[pixel * 3 + 2]!;
    rgba[at + 3] = 255 - mask[pixel]!;
  }
  return { rgba, width, height };
}

/** How much a blur of `sigma` px may shrink the image first. */
export function shrinkFor(sigma: number): number {
  return Math.max(1, Math.floor(sigma / SMALL_SIGMA));
}

/**
 * `pixels` reduced by `shrink` (weighted), as 4-channel unpremultiplied pixels with the
 * reduced weight as alpha; `transform` adds the blur to the same libvips pipeline.
 */
export async function reduced(pixels: WeightedPixels, shrink: number, transform: (image: Sharp) => Sharp = (image) => image): Promise<WeightedPixels> {
  const width = Math.max(1, Math.round(pixels.width / shrink));
  const height = Math.max(1, Math.round(pixels.height / shrink));
  const image = raw(pixels.rgba, pixels.width, pixels.height, 4);
  const rgba = await transform(shrink === 1 ? image : image.resize(width, height, { fit: 'fill' }))
    .raw()
    .toBuffer();
  return { rgba, width, height };
}

/** Reduced pixels enlarged to `width × height`, weighted by their alpha (kept as the fourth channel). */
export function enlarged(pixels: WeightedPixels, width: number, height: number): Sharp {
  const image = raw(pixels.rgba, pixels.width, pixels.height, 4);
  return pixels.width === width && pixels.height === height ? image : image.resize(width, height, { fit: 'fill', kernel: 'cubic' });
}

/** The photo blurred with a Gaussian of `sigma` px over the pixels `weight` allows: 3 channels. */
export async function weightedBlur(pixels: WeightedPixels, sigma: number): Promise<Buffer> {
  const shrink = shrinkFor(sigma);
  const small = await reduced(pixels, shrink, (image) => image.blur(Math.max(0.3, sigma / shrink)));
  return enlarged(small, pixels.width, pixels.height).removeAlpha().raw().toBuffer();
}
