/** BACKGROUND_BLUR: the subject sharp over its background blurred without halo. */
import { backgroundOf, weightedBlur } from '../steps/blur.js';
import { raw, subjectLayer } from '../steps/layers.js';
import { defineEffect } from './effect-kind.js';

export interface BackgroundBlurSpec {
  kind: 'backgroundBlur';
  strength: number;
  featherPx: number;
}

/**
 * The largest blur σ in pixels. Blur scales with the output so previews match full size; on
 * a 100-megapixel photo strength 1 would ask for σ ≈ 400, and at this cap the background is
 * featureless anyway.
 */
export const MAX_BLUR_SIGMA = 120;

/** σ = strength × 3 % of the longer side of the output, capped. */
export function backgroundSigma(strength: number, width: number, height: number): number {
  return Math.min(MAX_BLUR_SIGMA, Math.max(0.3, strength * 0.03 * Math.max(width, height)));
}

export const backgroundBlur = defineEffect({
  parse: (input: { strength?: number | null; featherPx?: number | null }, params): BackgroundBlurSpec => ({
    kind: 'backgroundBlur',
    strength: params.number('strength', input.strength, { min: 0, max: 1, fallback: 0.5, quantum: 0.01 }),
    featherPx: params.featherPx(input.featherPx),
  }),
  transparent: () => false,
  async render(spec, { layers }) {
    const { width, height } = layers;
    const background = await weightedBlur(backgroundOf(layers), backgroundSigma(spec.strength, width, height));
    return { image: raw(background, width, height, 3).composite([await subjectLayer(layers)]), channels: 3 };
  },
});
