/** COLOR_SPLASH: the background in grey (the photo's luma), the subject in colour. */
import { raw, subjectLayer } from '../steps/layers.js';
import { defineEffect } from './effect-kind.js';

export interface ColorSplashSpec {
  kind: 'colorSplash';
  featherPx: number;
}

/** Rec. 601 luma, the same in every output channel. */
const LUMA: [number, number, number] = [0.299, 0.587, 0.114];

export const colorSplash = defineEffect({
  parse: (input: { featherPx?: number | null }, params): ColorSplashSpec => ({ kind: 'colorSplash', featherPx: params.featherPx(input.featherPx) }),
  transparent: () => false,
  async render(_spec, { layers }) {
    const image = raw(layers.rgb, layers.width, layers.height, 3)
      .recomb([LUMA, LUMA, LUMA])
      .composite([await subjectLayer(layers)]);
    return { image, channels: 3 };
  },
});
