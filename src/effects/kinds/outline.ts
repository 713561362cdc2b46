/** OUTLINE: a sticker-like stroke of the given width around the subject. */
import type { Rgb } from '../params.js';
import { distanceRamp } from '../steps/distance.js';
import { colourWithAlpha, overlay, raw, subjectLayer } from '../steps/layers.js';
import { defineEffect } from './effect-kind.js';

export interface OutlineSpec {
  kind: 'outline';
  widthPx: number;
  color: Rgb;
  onPhoto: boolean;
}

/**
 * Distances run at half size for strokes of 12 px and more: the edge moves by a pixel at
 * most. Smaller still would thin the stroke around the subject's thin parts, which vanish
 * from a reduced mask.
 */
const strokeShrink = (strokeWidth: number) => (strokeWidth >= 12 ? 2 : 1);

export const outline = defineEffect({
  parse: (input: { widthPx?: number | null; color?: string | null; onPhoto?: boolean | null }, params): OutlineSpec => ({
    kind: 'outline',
    widthPx: params.number('widthPx', input.widthPx, { min: 1, max: 200, fallback: 12, quantum: 0.5 }),
    color: params.color('color', input.color, '#ffffff'),
    onPhoto: input.onPhoto ?? false,
  }),
  transparent: (spec) => !spec.onPhoto,
  async render(spec, { layers, scale }) {
    const { mask, width, height } = layers;
    const strokeWidth = spec.widthPx * scale;
    // Full within the width, fading over one pixel (antialiased); the subject covers its inside.
    const stroke = await distanceRamp(mask, width, height, strokeShrink(strokeWidth), -255, 255 * (strokeWidth + 1));
    const [strokePixels, subject] = await Promise.all([colourWithAlpha(spec.color, stroke, width, height), subjectLayer(layers)]);
    // On transparency the stroke itself is the base: one composite fewer.
    const image = spec.onPhoto
      ? raw(layers.rgb, width, height, 3).composite([overlay(strokePixels, width, height, 4), subject])
      : raw(strokePixels, width, height, 4).composite([subject]);
    return { image, channels: spec.onPhoto ? 3 : 4 };
  },
});
