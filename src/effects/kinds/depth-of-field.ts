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
 *
 * Only the reduction and the blurs are libvips pipelines. The rest runs in JavaScript on a
 * render thread: the highlights' power curves, the levels' enlargement to the blend's size,
 * the distances and the blend at the reduced size (a few tens of thousands of pixels), and
 * the blend's enlargement over the photo with the subject on top (src/effects/steps/resample.ts).
 * As libvips pipelines these were about a dozen more pipelines a render: at a 512 px preview
 * each cost more to start than its loop costs to run (the render went from 31 to 23 ms).
 */
import sharp from 'sharp';
import { backgroundOf, reduced, type WeightedPixels } from '../steps/blur.js';
import { distancesTo } from '../steps/distance.js';
import { raw } from '../steps/layers.js';
import { resampled, underSubject } from '../steps/resample.js';
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

/** A uniform disc of radius `radius` with an antialiased rim, as integer weights. */
export function discKernel(radius: number): { width: number; height: number; kernel: number[]; scale: number } {
  const half = Math.ceil(radius);
  const size = 2 * half + 1;
  const kernel: number[] = [];
  for (let y = -half; y <= half; y += 1)
    for (let x = -half; x <= half; x += 1) kernel.push(Math.round(16 * Math.min(1, Math.max(0, radius + 0.5 - Math.hypot(x, y)))));
  return { width: size, height: size, kernel, scale: kernel.reduce((sum, weight) => sum + weight, 0) };
}

/**
 * How much the background may shrink before a blur of `size` px (σ, or the disc's radius).
 * A Gaussian shrinks as much as the disc of the same spread (radius 2σ): σ ≤ 2.5 at the
 * reduced size. It used background blur's rule (σ ≤ 8 blurs at full size), which kept a
 * 512 px preview's whole blend at full size and made the Gaussian lens the slowest kind.
 */
function shrinkForLevel(spec: DepthOfFieldSpec, size: number): number {
  return Math.max(1, Math.ceil((spec.lens === 'gaussian' ? 2 * size : size) / SMALL_DISC_RADIUS));
}

/** Highlights 1 blurs in a space raised to this power: 8-bit values from 3 up keep their level in 16 bits. */
const MAX_GAMMA = 2.5;

/** The last few lowering tables (65 536 entries each), by exponent: one per highlights value in use. */
const lowerings = new Map<number, Uint8Array>();

/** 16-bit values raised to `gamma` back to 8 bits: `255 · (v / 65535)^(1/gamma)`. */
function lowering(gamma: number): Uint8Array {
  let table = lowerings.get(gamma);
  if (!table) {
    table = new Uint8Array(65536);
    for (let v = 0; v < 65536; v += 1) table[v] = Math.round(255 * (v / 65535) ** (1 / gamma));
    if (lowerings.size >= 4) lowerings.delete(lowerings.keys().next().value!);
    lowerings.set(gamma, table);
  }
  return table;
}

/** The reduced background in 16 bits per channel with its colour raised to `gamma`, so the power keeps the darks. */
function raised(base: WeightedPixels, gamma: number): Uint16Array {
  const table = Uint16Array.from({ length: 256 }, (_, v) => Math.round(65535 * (v / 255) ** gamma));
  const deep = new Uint16Array(base.rgba.length);
  for (let i = 0; i < deep.length; i += 4) {
    deep[i] = table[base.rgba[i]!]!;
    deep[i + 1] = table[base.rgba[i + 1]!]!;
    deep[i + 2] = table[base.rgba[i + 2]!]!;
    deep[i + 3] = base.rgba[i + 3]! * 257;
  }
  return deep;
}

/**
 * One blur level from the reduced background (already 1/`baseShrink`): reduced further as
 * the blur allows, then a Gaussian, or the disc in a space raised to a power (`deep`: raised
 * before the convolution, lowered after it), where bright points outweigh their
 * surroundings and bloom into discs as out-of-focus highlights do through a lens.
 */
async function blurLevel(
  base: WeightedPixels,
  deep: { pixels: Uint16Array; gamma: number } | undefined,
  baseShrink: number,
  spec: DepthOfFieldSpec,
  size: number,
): Promise<WeightedPixels> {
  const shrink = shrinkForLevel(spec, size);
  const radius = size / shrink;
  if (spec.lens === 'gaussian') return reduced(base, shrink / baseShrink, (image) => image.blur(Math.max(0.3, radius)));
  if (!deep) return reduced(base, shrink / baseShrink, (image) => image.convolve(discKernel(Math.max(0.5, radius))));
  const [width, height] = [Math.max(1, Math.round((base.width * baseShrink) / shrink)), Math.max(1, Math.round((base.height * baseShrink) / shrink))];
  let image = sharp(deep.pixels, { raw: { width: base.width, height: base.height, channels: 4 } });
  if (width !== base.width || height !== base.height) image = image.resize(width, height, { fit: 'fill' });
  const blurred = await image
    .convolve(discKernel(Math.max(0.5, radius)))
    .toColourspace('rgb16')
    .raw({ depth: 'ushort' })
    .toBuffer();
  const values = new Uint16Array(blurred.buffer, blurred.byteOffset, blurred.byteLength / 2);
  const table = lowering(deep.gamma);
  const rgba = Buffer.alloc(values.length);
  for (let i = 0; i < values.length; i += 4) {
    rgba[i] = table[values[i]!]!;
    rgba[i + 1] = table[values[i + 1]!]!;
    rgba[i + 2] = table[values[i + 2]!]!;
    rgba[i + 3] = Math.round(values[i + 3]! / 257);
  }
  return { rgba, width, height };
}

/**
 * The levels (colour in 4-channel pixels, all at one size) blended by distance: level k's
 * alpha is 0 below (k−1)/4 of the falloff, 1 from k/4 on and linear between, and each level
 * lies over the ones before. Later levels only cover where the first is opaque, so the
 * blend's alpha is the first level's.
 */
function blendByDistance(levels: Buffer[], distance: Float64Array, slope: number): Buffer {
  const blend = Buffer.alloc(distance.length * 4);
  for (let pixel = 0; pixel < distance.length; pixel += 1) {
    // The distance in levels: level k is fully in from position k + 1.
    const position = (slope * distance[pixel]!) / 255;
    const at = pixel * 4;
    let [r, g, b] = [levels[0]![at]!, levels[0]![at + 1]!, levels[0]![at + 2]!];
    for (let k = 1; k < levels.length && position > k; k += 1) {
      const alpha = Math.min(1, position - k);
      r += (levels[k]![at]! - r) * alpha;
      g += (levels[k]![at + 1]! - g) * alpha;
      b += (levels[k]![at + 2]! - b) * alpha;
    }
    blend[at] = Math.round(r);
    blend[at + 1] = Math.round(g);
    blend[at + 2] = Math.round(b);
    blend[at + 3] = Math.round(255 * Math.min(1, Math.max(0, position)));
  }
  return blend;
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
    const base = await reduced(backgroundOf(layers), baseShrink);
    const deep = spec.lens === 'disc' && spec.highlights > 0 ? { gamma: 1 + (MAX_GAMMA - 1) * spec.highlights } : undefined;
    const deepBase = deep && { ...deep, pixels: raised(base, deep.gamma) };
    const blurring = Promise.all(
      sizes.map(async (size) => {
        const level = await blurLevel(base, deepBase, baseShrink, spec, size);
        return level.width === base.width && level.height === base.height ? level.rgba : resampled(level, base.width, base.height);
      }),
    );
    // While libvips blurs on its threads: distances at the blend's own size (the blend is where
    // they are used, and it is enlarged smoothly), to the subject there: where the reduced
    // background has under half its weight.
    const subject = new Uint8Array(base.width * base.height);
    for (let pixel = 0; pixel < subject.length; pixel += 1) subject[pixel] = base.rgba[pixel * 4 + 3]! < 128 ? 1 : 0;
    const field = distancesTo(subject, base.width, base.height, width / base.width);
    const levels = await blurring;
    const blend = blendByDistance(levels, field.distance, (255 * LEVELS) / falloff);
    const composed = underSubject(rgb, mask, width, height, { rgba: blend, width: base.width, height: base.height });
    return { image: raw(composed, width, height, 3), channels: 3 };
  },
});
