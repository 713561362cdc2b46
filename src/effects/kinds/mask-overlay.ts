/** MASK_OVERLAY: the photo with the mask tinted over it and its contour drawn solid. */
import { colourLayer, greyPixels, raw } from '../steps/layers.js';
import type { Rgb } from '../params.js';
import { defineEffect } from './effect-kind.js';

export interface MaskOverlaySpec {
  kind: 'maskOverlay';
  color: Rgb;
  opacity: number;
}

/** A pixel and its four neighbours: 255 after the convolution only where all five are. */
const CROSS = { width: 3, height: 3, kernel: [0, 1, 0, 1, 1, 1, 0, 1, 0], scale: 5 };

/** The contour: subject pixels (mask ≥ 128) with a background 4-neighbour, as 0/255. */
async function contour(mask: Buffer, width: number, height: number): Promise<Buffer> {
  const subject = await greyPixels(raw(mask, width, height, 1).threshold(128, { grayscale: false }));
  const interior = await greyPixels(raw(subject, width, height, 1).convolve(CROSS));
  return greyPixels(
    raw(interior, width, height, 1)
      .threshold(255, { grayscale: false })
      .boolean(subject, 'eor', { raw: { width, height, channels: 1 } }),
  );
}

export const maskOverlay = defineEffect({
  parse: (input: { color?: string | null; opacity?: number | null }, params): MaskOverlaySpec => ({
    kind: 'maskOverlay',
    color: params.color('color', input.color, '#ff2d55'),
    opacity: params.number('opacity', input.opacity, { min: 0, max: 1, fallback: 0.45, quantum: 0.01 }),
  }),
  transparent: () => false,
  async render(spec, { layers: { rgb, mask, width, height } }) {
    const [tint, edge] = await Promise.all([greyPixels(raw(mask, width, height, 1).linear(spec.opacity, 0)), contour(mask, width, height)]);
    const layers = await Promise.all([colourLayer(spec.color, tint, width, height), colourLayer(spec.color, edge, width, height)]);
    return { image: raw(rgb, width, height, 3).composite(layers), channels: 3 };
  },
});
