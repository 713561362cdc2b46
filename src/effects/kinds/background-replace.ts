/**
 * BACKGROUND_REPLACE: the subject over a colour, a gradient or another photo, with an
 * optional drop shadow (the mask offset, softened, darkening the new background).
 */
import sharp, { type Sharp } from 'sharp';
import type { Rgb } from '../params.js';
import { colourLayer, greyPixels, raw, subjectLayer } from '../steps/layers.js';
import { MAX_BLUR_SIGMA } from './background-blur.js';
import { defineEffect, type RenderContext } from './effect-kind.js';

export interface BackgroundReplaceSpec {
  kind: 'backgroundReplace';
  color: Rgb;
  /** A second colour makes a gradient from `color` to it. */
  gradient: { to: Rgb; shape: 'linear' | 'radial' } | undefined;
  /** Another of the owner's assets as the background (checked by the service). */
  backgroundAssetId: string | undefined;
  fit: 'cover' | 'contain';
  shadow: { opacity: number; offsetX: number; offsetY: number; blurPx: number } | undefined;
  featherPx: number;
}

interface BackgroundReplaceInput {
  color?: string | null;
  gradient?: { to: string; shape?: 'LINEAR' | 'RADIAL' | null } | null;
  backgroundAssetId?: string | null;
  fit?: 'COVER' | 'CONTAIN' | null;
  shadow?: { opacity?: number | null; offsetX?: number | null; offsetY?: number | null; blurPx?: number | null } | null;
  featherPx?: number | null;
}

/** Radial gradients are smooth: computed at most this wide and enlarged by libvips. */
const GRADIENT_SIZE = 256;

/** A gradient image: one value per row (linear), or a small radial image, enlarged. */
function gradient(from: Rgb, { to, shape }: NonNullable<BackgroundReplaceSpec['gradient']>, width: number, height: number): Sharp {
  const mix = (t: number, pixels: Buffer, at: number) => {
    pixels[at] = Math.round(from.r * (1 - t) + to.r * t);
    pixels[at + 1] = Math.round(from.g * (1 - t) + to.g * t);
    pixels[at + 2] = Math.round(from.b * (1 - t) + to.b * t);
  };
  if (shape === 'linear') {
    const column = Buffer.alloc(height * 3);
    for (let y = 0; y < height; y += 1) mix(y / Math.max(1, height - 1), column, y * 3);
    return raw(column, 1, height, 3).resize(width, height, { fit: 'fill', kernel: 'nearest' });
  }
  const scale = Math.min(1, GRADIENT_SIZE / Math.max(width, height));
  const [w, h] = [Math.max(2, Math.round(width * scale)), Math.max(2, Math.round(height * scale))];
  const pixels = Buffer.alloc(w * h * 3);
  const halfDiagonal = Math.hypot(w, h) / 2;
  for (let y = 0; y < h; y += 1)
    for (let x = 0; x < w; x += 1) mix(Math.min(1, Math.hypot(x + 0.5 - w / 2, y + 0.5 - h / 2) / halfDiagonal), pixels, (y * w + x) * 3);
  return raw(pixels, w, h, 3).resize(width, height, { fit: 'fill', kernel: 'linear' });
}

function newBackground(spec: BackgroundReplaceSpec, { layers: { width, height }, backgroundPhoto }: RenderContext): Sharp {
  if (backgroundPhoto) {
    return sharp(backgroundPhoto, { failOn: 'none' })
      .rotate()
      .resize(width, height, { fit: spec.fit, position: 'centre', background: spec.color })
      .flatten({ background: spec.color })
      .toColourspace('srgb');
  }
  if (spec.gradient) return gradient(spec.color, spec.gradient, width, height);
  return sharp({ create: { width, height, channels: 3, background: spec.color } });
}

/** The shadow's opacity per pixel: the mask moved by the offset (extract, then extend), softened. */
async function shadowAlpha(
  { mask, width, height }: RenderContext['layers'],
  shadow: NonNullable<BackgroundReplaceSpec['shadow']>,
  scale: number,
): Promise<Buffer | undefined> {
  const dx = Math.round(shadow.offsetX * scale);
  const dy = Math.round(shadow.offsetY * scale);
  if (Math.abs(dx) >= width || Math.abs(dy) >= height) return undefined;
  const sigma = Math.min(MAX_BLUR_SIGMA, (shadow.blurPx * scale) / 2);
  return greyPixels(
    raw(mask, width, height, 1)
      .extract({ left: Math.max(0, -dx), top: Math.max(0, -dy), width: width - Math.abs(dx), height: height - Math.abs(dy) })
      .extend({ left: Math.max(0, dx), right: Math.max(0, -dx), top: Math.max(0, dy), bottom: Math.max(0, -dy), background: { r: 0, g: 0, b: 0 } })
      .blur(sigma >= 0.3 ? sigma : false)
      .linear(shadow.opacity, 0),
  );
}

export const backgroundReplace = defineEffect({
  parse(input: BackgroundReplaceInput, params): BackgroundReplaceSpec {
    if (input.backgroundAssetId != null && !/^[0-9a-f-]{36}$/i.test(input.backgroundAssetId))
      throw params.bad('backgroundAssetId', 'an asset id (UUID)', input.backgroundAssetId);
    const { shadow } = input;
    return {
      kind: 'backgroundReplace',
      color: params.color('color', input.color, '#ffffff'),
      gradient: input.gradient
        ? { to: params.color('gradient.to', input.gradient.to, '#000000'), shape: input.gradient.shape === 'RADIAL' ? 'radial' : 'linear' }
        : undefined,
      backgroundAssetId: input.backgroundAssetId?.toLowerCase() ?? undefined,
      fit: input.fit === 'CONTAIN' ? 'contain' : 'cover',
      shadow: shadow
        ? {
            opacity: params.number('shadow.opacity', shadow.opacity, { min: 0, max: 1, fallback: 0.5, quantum: 0.01 }),
            offsetX: params.number('shadow.offsetX', shadow.offsetX, { min: -500, max: 500, fallback: 12, quantum: 1 }),
            offsetY: params.number('shadow.offsetY', shadow.offsetY, { min: -500, max: 500, fallback: 18, quantum: 1 }),
            blurPx: params.number('shadow.blurPx', shadow.blurPx, { min: 0, max: 200, fallback: 16, quantum: 0.5 }),
          }
        : undefined,
      featherPx: params.featherPx(input.featherPx),
    };
  },
  transparent: () => false,
  async render(spec, context) {
    const { layers, scale } = context;
    const alpha = spec.shadow && spec.shadow.opacity > 0 ? await shadowAlpha(layers, spec.shadow, scale) : undefined;
    const shadow = alpha ? [await colourLayer({ r: 0, g: 0, b: 0 }, alpha, layers.width, layers.height)] : [];
    // The background is materialised first: sharp applies its composite before other steps.
    const background = await newBackground(spec, context).removeAlpha().raw().toBuffer();
    return { image: raw(background, layers.width, layers.height, 3).composite([...shadow, await subjectLayer(layers)]), channels: 3 };
  },
});
