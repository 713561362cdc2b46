/**
 * CUTOUT: the photo with the mask as alpha, optionally cropped to the subject. Decontaminated
 * (the default), its colour is the estimated foreground F of I = α·F + (1 − α)·B
 * (src/refinement/foreground.ts), so soft edges do not carry the old background's colour.
 * That estimate is per-pixel work: renders run on render threads, never on the event loop.
 */
import { estimateForeground } from '../../refinement/foreground.js';
import { raw } from '../steps/layers.js';
import { defineEffect } from './effect-kind.js';

export interface CutoutSpec {
  kind: 'cutout';
  featherPx: number;
  cropMarginPx: number | undefined;
  decontaminate: boolean;
}

/**
 * `colour` (3 channels) with `alpha` as a fourth, and black where alpha is 0. A transparent
 * pixel's colour is never seen, and the photo's there is noise an encoder must keep: cleared,
 * an undecontaminated 512 px cut-out of the dandelion (78 % transparent) renders in 8 ms
 * instead of 15, a 121 KB PNG instead of 418. (The foreground estimate clears them already.)
 */
export function cutoutPixels(colour: Uint8Array, alpha: Uint8Array): Buffer {
  const pixels = Buffer.alloc(alpha.length * 4);
  for (let pixel = 0, at = 0; pixel < alpha.length; pixel += 1, at += 4) {
    const a = alpha[pixel]!;
    if (a === 0) continue;
    pixels[at] = colour[pixel * 3]!;
    pixels[at + 1] = colour[pixel * 3 + 1]!;
    pixels[at + 2] = colour[pixel * 3 + 2]!;
    pixels[at + 3] = a;
  }
  return pixels;
}

export const cutout = defineEffect({
  parse: (input: { featherPx?: number | null; cropMarginPx?: number | null; decontaminate?: boolean | null }, params): CutoutSpec => ({
    kind: 'cutout',
    featherPx: params.featherPx(input.featherPx),
    cropMarginPx:
      input.cropMarginPx == null ? undefined : params.number('cropMarginPx', input.cropMarginPx, { min: 0, max: 10_000, fallback: 0, integer: true }),
    decontaminate: input.decontaminate ?? true,
  }),
  transparent: () => true,
  async render(spec, { layers }) {
    const { rgb, mask, width, height } = layers;
    const colour = spec.decontaminate ? estimateForeground({ rgb, alpha: mask, width, height }) : rgb;
    let image = raw(cutoutPixels(colour, mask), width, height, 4);
    if (spec.cropMarginPx !== undefined) {
      // The subject's bounding box: libvips' trim of every zero row and column of the mask.
      const { info } = await raw(mask, width, height, 1)
        .toColourspace('b-w')
        .trim({ background: '#000000', threshold: 0, lineArt: true })
        .raw()
        .toBuffer({ resolveWithObject: true });
      const [boxLeft, boxTop] = [-(info.trimOffsetLeft ?? 0), -(info.trimOffsetTop ?? 0)];
      const margin = spec.cropMarginPx;
      const left = Math.max(0, boxLeft - margin);
      const top = Math.max(0, boxTop - margin);
      image = image.extract({
        left,
        top,
        width: Math.min(width, boxLeft + info.width + margin) - left,
        height: Math.min(height, boxTop + info.height + margin) - top,
      });
    }
    return { image, channels: 4 };
  },
});
