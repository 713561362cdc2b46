/** MASK: the mask itself as a grey image, optionally binarised and inverted. */
import { raw } from '../steps/layers.js';
import { defineEffect } from './effect-kind.js';

export interface MaskSpec {
  kind: 'mask';
  threshold: number | undefined;
  invert: boolean;
  featherPx: number;
}

export const mask = defineEffect({
  parse: (input: { threshold?: number | null; invert?: boolean | null; featherPx?: number | null }, params): MaskSpec => ({
    kind: 'mask',
    threshold: input.threshold == null ? undefined : params.number('threshold', input.threshold, { min: 1, max: 255, fallback: 128, integer: true }),
    invert: input.invert ?? false,
    featherPx: params.featherPx(input.featherPx),
  }),
  usesPhoto: false,
  transparent: () => false,
  async render(spec, { layers }) {
    let image = raw(layers.mask, layers.width, layers.height, 1);
    // libvips' threshold: 255 at or above the value, else 0.
    if (spec.threshold !== undefined) image = image.threshold(spec.threshold, { grayscale: false });
    if (spec.invert) image = image.negate();
    return { image, channels: 1 };
  },
});
