/**
 * CUTOUT: the photo with the mask as alpha, its edges decontaminated, optionally cropped to
 * the subject.
 */
import { weighted, weightedBlur } from '../steps/blur.js';
import { greyPixels, overlay, raw, withAlpha } from '../steps/layers.js';
import { defineEffect } from './effect-kind.js';

export interface CutoutSpec {
  kind: 'cutout';
  featherPx: number;
  cropMarginPx: number | undefined;
  decontaminate: boolean;
}

/**
 * Decontamination: on semi-transparent edge pixels the photo mixes subject and old
 * background, I = α·F + (1−α)·B. With B estimated from nearby clearly-background pixels
 * (mask < 8, so the mixed edge does not tint it), F = (I − (1−α)·B) / α keeps the old
 * background from shining through. In libvips: 255 − I plus (1−α)·B by an additive
 * composite, negated, is max(0, I − (1−α)·B); taken as premultiplied by α, sharp divides
 * it by α on input.
 */
async function decontaminated(rgb: Buffer, mask: Buffer, width: number, height: number): Promise<Buffer> {
  const clearlyBackground = await greyPixels(raw(mask, width, height, 1).threshold(8, { grayscale: false }).negate());
  const background = await weightedBlur(await weighted(rgb, clearlyBackground, width, height), Math.max(2, 0.006 * Math.max(width, height)));
  const [inverse, notSubject] = await Promise.all([
    raw(rgb, width, height, 3).negate().raw().toBuffer(),
    greyPixels(raw(mask, width, height, 1).negate()),
  ]);
  const subjectTimesAlpha = await raw(inverse, width, height, 3)
    .composite([overlay(await withAlpha(background, notSubject, width, height), width, height, 4, 'add')])
    .removeAlpha()
    .negate()
    .raw()
    .toBuffer();
  return withAlpha(subjectTimesAlpha, mask, width, height);
}

export const cutout = defineEffect({
  parse: (input: { featherPx?: number | null; cropMarginPx?: number | null; decontaminate?: boolean | null }, params): CutoutSpec => ({
    kind: 'cutout',
    featherPx: params.featherPx(input.featherPx),
    cropMarginPx: input.cropMarginPx == null ? undefined : params.number('cropMarginPx', input.cropMarginPx, { min: 0, max: 10_000, fallback: 0, integer: true }),
    decontaminate: input.decontaminate ?? true,
  }),
  transparent: () => true,
  async render(spec, { layers }) {
    const { rgb, mask, width, height } = layers;
    let image = spec.decontaminate ? raw(await decontaminated(rgb, mask, width, height), width, height, 4, true) : raw(await withAlpha(rgb, mask, width, height), width, height, 4);
    if (spec.cropMarginPx !== undefined) {
      // The subject's bounding box: libvips' trim of every zero row and column of the mask.
      const { info } = await raw(mask, width, height, 1).toColourspace('b-w').trim({ background: '#000000', threshold: 0, lineArt: true }).raw().toBuffer({ resolveWithObject: true });
      const [boxLeft, boxTop] = [-(info.trimOffsetLeft ?? 0), -(info.trimOffsetTop ?? 0)];
      const margin = spec.cropMarginPx;
      const left = Math.max(0, boxLeft - margin);
      const top = Math.max(0, boxTop - margin);
      image = image.extract({ left, top, width: Math.min(width, boxLeft + info.width + margin) - left, height: Math.min(height, boxTop + info.height + margin) - top });
    }
    return { image, channels: 4 };
  },
});
