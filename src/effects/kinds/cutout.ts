/**
 * CUTOUT: the photo with the mask as alpha, optionally cropped to the subject. Decontaminated
 * (the default), its colour is the estimated foreground F of I = α·F + (1 − α)·B
 * (src/refinement/foreground.ts), so soft edges do not carry the old background's colour.
 * That estimate is per-pixel work: renders run on render threads, never on the event loop.
 */
import { estimateForeground } from '../../refinement/foreground.js';
import { raw, withAlpha } from '../steps/layers.js';
import { defineEffect } from './effect-kind.js';

export interface CutoutSpec {
  kind: 'cutout';
  featherPx: number;
  cropMarginPx: number | undefined;
  decontaminate: boolean;
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
    let image = raw(await withAlpha(colour, mask, width, height), width, height, 4);
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
