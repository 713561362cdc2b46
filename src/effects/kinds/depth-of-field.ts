/**
 * DEPTH_OF_FIELD: a lens-like blur that grows with distance from the subject (the depth
 * proxy), with bokeh: a disc kernel, and bright highlights that bloom into discs.
 *
 * Four blur levels, each computed at reduced size on the background alone (weighted, so the
 * subject never bleeds into it), are blended with alphas that ramp with the distance: level
 * k fades in between (k−1)/4 and k/4 of the falloff, so every pixel is the linear
 * interpolation of the two levels around its distance. The blend is enlarged once and laid
 * over the sharp photo (which shows where the first level has not faded in); the subject
 * goes on top.
 */
import sharp from 'sharp';
import { enlarged, reduced, shrinkFor, weighted, type WeightedPixels } from '../steps/blur.js';
import { distanceField, rampPixels } from '../steps/distance.js';
import { greyPixels, overlay, raw, subjectLayer, withAlpha } from '../steps/layers.js';
import { MAX_BLUR_SIGMA } from './background-blur.js';
import { defineEffect } from './effect-kind.js';

export interface DepthOfFieldSpec {
  kind: 'depthOfField';
  strength: number;
  falloffPx: number;
  lens: 'disc' | 'gaussian';
  /** 0..1: how much bright points bloom (disc only). */
  highlights: number;
  featherPx: number;
}

const LEVELS = 4;
/** The largest disc radius at the reduced size: at most an 11 × 11 kernel, whatever the blur. */
const SMALL_DISC_RADIUS = 5;
/** The distance field's resolution: at least this many samples across the falloff. */
const FALLOFF_SAMPLES = 64;

/** A uniform disc of radius `radius` with an antialiased rim, as integer weights. */
export function discKernel(radius: number): { width: number; height: number; kernel: number[]; scale: number } {
  const half = Math.ceil(radius);
  const size = 2 * half + 1;
  const kernel: number[] = [];
  for (let y = -half; y <= half; y += 1)
    for (let x = -half; x <= half; x += 1) kernel.push(Math.round(16 * Math.min(1, Math.max(0, radius + 0.5 - Math.hypot(x, y)))));
  return { width: size, height: size, kernel, scale: kernel.reduce((sum, weight) => sum + weight, 0) };
}

/** How much the background may shrink before a blur of `size` px (σ, or the disc's radius). */
function shrinkForLevel(spec: DepthOfFieldSpec, size: number): number {
  return spec.lens === 'gaussian' ? shrinkFor(size) : Math.max(1, Math.ceil(size / SMALL_DISC_RADIUS));
}

/** Highlights 1 blurs in a space raised to this power: 8-bit values from 3 up keep their level in 16 bits. */
const MAX_GAMMA = 2.5;

/** The reduced background in 16 bits per channel, so raising it to a power keeps the darks. */
async function deepened(base: WeightedPixels): Promise<Uint16Array> {
  const deep = await raw(base.rgba, base.width, base.height, 4).toColourspace('rgb16').raw({ depth: 'ushort' }).toBuffer();
  return new Uint16Array(deep.buffer, deep.byteOffset, deep.byteLength / 2);
}

/**
 * One blur level from the reduced background (already 1/`baseShrink`): reduced further as
 * the blur allows, then a Gaussian, or the disc in a space raised to a power (sharp's gamma:
 * raised before the convolution, lowered after it), where bright points outweigh their
 * surroundings and bloom into discs as out-of-focus highlights do through a lens.
 */
async function blurLevel(
  base: WeightedPixels,
  deepBase: Uint16Array | undefined,
  baseShrink: number,
  spec: DepthOfFieldSpec,
  size: number,
): Promise<WeightedPixels> {
  const shrink = shrinkForLevel(spec, size);
  const radius = size / shrink;
  if (spec.lens === 'gaussian') return reduced(base, shrink / baseShrink, (image) => image.blur(Math.max(0.3, radius)));
  if (!deepBase) return reduced(base, shrink / baseShrink, (image) => image.convolve(discKernel(Math.max(0.5, radius))));
  const [width, height] = [Math.max(1, Math.round((base.width * baseShrink) / shrink)), Math.max(1, Math.round((base.height * baseShrink) / shrink))];
  let image = sharp(deepBase, { raw: { width: base.width, height: base.height, channels: 4 } });
  if (width !== base.width || height !== base.height) image = image.resize(width, height, { fit: 'fill' });
  const rgba = await image
    .gamma(1 + (MAX_GAMMA - 1) * spec.highlights)
    .convolve(discKernel(Math.max(0.5, radius)))
    .toColourspace('srgb')
    .raw({ depth: 'uchar' })
    .toBuffer();
  return { rgba, width, height };
}

/** A one-channel image of `from`'s size at `to`'s size. */
function atSize(pixels: Buffer, from: { width: number; height: number }, to: { width: number; height: number }): Promise<Buffer> {
  if (from.width === to.width && from.height === to.height) return Promise.resolve(pixels);
  return greyPixels(raw(pixels, from.width, from.height, 1).resize(to.width, to.height, { fit: 'fill', kernel: 'linear' }));
}

export const depthOfField = defineEffect({
  parse: (
    input: { strength?: number | null; falloffPx?: number | null; lens?: 'DISC' | 'GAUSSIAN' | null; highlights?: number | null; featherPx?: number | null },
    params,
  ): DepthOfFieldSpec => ({
    kind: 'depthOfField',
    strength: params.number('strength', input.strength, { min: 0, max: 1, fallback: 0.5, quantum: 0.01 }),
    falloffPx: params.number('falloffPx', input.falloffPx, { min: 1, max: 10_000, fallback: 200, quantum: 1 }),
    lens: input.lens === 'GAUSSIAN' ? 'gaussian' : 'disc',
    highlights: params.number('highlights', input.highlights, { min: 0, max: 1, fallback: 0.5, quantum: 0.01 }),
    featherPx: params.featherPx(input.featherPx),
  }),
  transparent: () => false,
  async render(spec, { layers, scale }) {
    const { rgb, mask, width, height } = layers;
    const sigma = Math.min(MAX_BLUR_SIGMA, Math.max(0.3, spec.strength * 0.04 * Math.max(width, height)));
    // A disc of radius 2σ has the Gaussian's spread (the same second moment).
    const largest = spec.lens === 'disc' ? 2 * sigma : sigma;
    const falloff = Math.max(1, spec.falloffPx * scale);
    const sizes = Array.from({ length: LEVELS }, (_, index) => ((index + 1) / LEVELS) * largest);

    // Every level is blurred, and all are blended, at the first level's reduced size: one
    // weighted reduction of the full-size background, one enlargement of the blend.
    const baseShrink = shrinkForLevel(spec, sizes[0]!);
    const background = await weighted(rgb, await greyPixels(raw(mask, width, height, 1).negate()), width, height);
    const base = await reduced(background, baseShrink);
    const deepBase = spec.lens === 'disc' && spec.highlights > 0 ? await deepened(base) : undefined;
    const distance = await distanceField(mask, width, height, Math.max(1, Math.min(baseShrink, Math.floor(falloff / FALLOFF_SAMPLES))));
    // Level k's alpha: 0 below (k−1)/4 of the falloff, 255 from k/4 on, linear between.
    const slope = (255 * LEVELS) / falloff;
    const levels = await Promise.all(
      sizes.map(async (size, index) => {
        const level = await blurLevel(base, deepBase, baseShrink, spec, size);
        const [colour, ramp] = await Promise.all([
          enlarged(level, base.width, base.height).removeAlpha().raw().toBuffer(),
          atSize(rampPixels(distance, slope, -255 * index), distance, base),
        ]);
        return withAlpha(colour, ramp, base.width, base.height);
      }),
    );
    // Later levels only cover where the first is opaque, so the blend's alpha is the first ramp.
    const [first, ...rest] = levels;
    const blend = await raw(first!, base.width, base.height, 4)
      .composite(rest.map((level) => overlay(level, base.width, base.height, 4)))
      .raw()
      .toBuffer();
    const blurred = await enlarged({ rgba: blend, width: base.width, height: base.height }, width, height).raw().toBuffer();
    return { image: raw(rgb, width, height, 3).composite([overlay(blurred, width, height, 4), await subjectLayer(layers)]), channels: 3 };
  },
});
