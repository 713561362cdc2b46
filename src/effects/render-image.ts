/**
 * Renders a preset's image: the photo (or an effect of it) cut to a crop rectangle of the
 * full-size photo and scaled to the output width, never enlarged. An effect is composed over
 * the whole frame at the output scale (its blur radii and distances need the surroundings),
 * then cut; the photo alone is shrunk on load, then cut. Runs on a render thread.
 */
import sharp from 'sharp';
import { kindOf, type EffectSpec } from './kinds/index.js';
import type { OutputFormat } from './output-spec.js';
import { encode, type RenderedImage } from './steps/encode.js';
import { loadLayers, raw, type Channels } from './steps/layers.js';

/** A rectangle in pixels of the oriented full-size photo. */
export interface PixelRect {
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface ImageRenderSpec {
  /** Undefined: the photo itself. */
  effect: EffectSpec | undefined;
  crop: PixelRect;
  /** Output width; the height follows the crop's aspect ratio. At most the crop's width. */
  width: number;
  format: OutputFormat;
  quality: number;
}

/** The output size of a crop at a requested width, never enlarged. */
export function croppedSize(crop: PixelRect, width: number): { width: number; height: number } {
  const outputWidth = Math.max(1, Math.min(width, crop.width));
  return { width: outputWidth, height: Math.max(1, Math.round((crop.height * outputWidth) / crop.width)) };
}

/** The whole photo's size at the scale that brings the crop to the output width: what a render decodes. */
export function frameSize(crop: PixelRect, outputWidth: number, width: number, height: number): { width: number; height: number } {
  const scale = croppedSize(crop, outputWidth).width / crop.width;
  return { width: Math.max(1, Math.round(width * scale)), height: Math.max(1, Math.round(height * scale)) };
}

/** `photo` and `maskPng` may be preview proxies: they are resized to the frame either way; `width × height` is the original's size. */
export async function renderImage(spec: ImageRenderSpec, photo: Buffer, maskPng: Buffer | undefined, width: number, height: number): Promise<RenderedImage> {
  const size = croppedSize(spec.crop, spec.width);
  const scale = size.width / spec.crop.width;
  const frame = frameSize(spec.crop, spec.width, width, height);
  const left = Math.min(frame.width - 1, Math.round(spec.crop.x * scale));
  const top = Math.min(frame.height - 1, Math.round(spec.crop.y * scale));
  const cut = { left, top, width: Math.min(size.width, frame.width - left), height: Math.min(size.height, frame.height - top) };
  const output = { format: spec.format, quality: spec.quality, maxWidth: undefined, maxHeight: undefined };
  if (!spec.effect) {
    const { hasAlpha } = await sharp(photo).metadata();
    const image = sharp(photo, { failOn: 'none' }).rotate().resize(frame.width, frame.height, { fit: 'fill' }).extract(cut);
    return encode({ image, channels: hasAlpha && spec.format !== 'jpeg' ? 4 : 3 }, output);
  }
  const kind = kindOf(spec.effect);
  const featherPx = 'featherPx' in spec.effect ? spec.effect.featherPx : 0;
  const layers = await loadLayers(kind.usesPhoto === false ? undefined : photo, maskPng!, frame.width, frame.height, featherPx * scale);
  const composed = await kind.render(spec.effect, { layers, scale, maskPng: maskPng!, backgroundPhoto: undefined, groundTruth: undefined });
  // sharp applies an extract before a pipeline's composites, so the frame is materialised first.
  const { data, info } = await composed.image.raw().toBuffer({ resolveWithObject: true });
  return encode({ image: raw(data, info.width, info.height, info.channels as Channels).extract(cut), channels: composed.channels }, output);
}
