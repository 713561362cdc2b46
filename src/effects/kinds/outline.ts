/** OUTLINE: a sticker-like stroke of the given width around the subject. */
import sharp from 'sharp';
import type { Rgb } from '../params.js';
import { distanceRamp } from '../steps/distance.js';
import { colourLayer, raw, subjectLayer } from '../steps/layers.js';
import { defineEffect } from './effect-kind.js';

export interface OutlineSpec {
  kind: 'outline';
  widthPx: number;
  color: Rgb;
  onPhoto: boolean;
}

/** Distances run at reduced size for wide strokes: at most 1/4, and at least 6 px per stroke. */
const strokeShrink = (strokeWidth: number) => Math.min(4, Math.max(1, Math.floor(strokeWidth / 6)));

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
    const base = spec.onPhoto ? raw(layers.rgb, width, height, 3) : sharp({ create: { width, height, channels: 4, background: { r: 0, g: 0, b: 0, alpha: 0 } } });
    return { image: base.composite([await colourLayer(spec.color, stroke, width, height), await subjectLayer(layers)]), channels: spec.onPhoto ? 3 : 4 };
  },
});
