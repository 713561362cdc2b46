/**
 * Renders an effect from a photo and its mask with sharp and plain pixel loops, at the
 * output size from the start: the photo is decoded already shrunk (JPEG shrink-on-load),
 * so a 512 px preview of a 24-megapixel photo never touches 24 megapixels. The mask is
 * resized to the image, never the reverse.
 */
import sharp from 'sharp';
import { nearestForeground } from '../metrics/nearest-foreground.js';
import type { EffectSpec, OutputSpec, Rgb } from './spec.js';

/**
 * The largest blur σ in pixels. Blur scales with the output so previews match full size, but
 * libvips' cost grows with σ: on a 100-megapixel photo strength 1 would ask for σ ≈ 400. At
 * this cap the background is featureless anyway.
 */
export const MAX_BLUR_SIGMA = 120;

export interface RenderedImage {
  bytes: Buffer;
  width: number;
  height: number;
  format: OutputSpec['format'];
}

interface Layers {
  rgb: Buffer;
  /** 0..255 per pixel. */
  mask: Buffer;
  width: number;
  height: number;
}

/** The output size: inside the bounding box, never larger than the photo. */
export function outputSize(width: number, height: number, output: OutputSpec): { width: number; height: number } {
  const scale = Math.min(1, output.maxWidth ? output.maxWidth / width : 1, output.maxHeight ? output.maxHeight / height : 1);
  return { width: Math.max(1, Math.round(width * scale)), height: Math.max(1, Math.round(height * scale)) };
}

async function loadLayers(photo: Buffer, maskPng: Buffer, width: number, height: number, featherPx: number): Promise<Layers> {
  const [rgb, mask] = await Promise.all([
    sharp(photo, { failOn: 'none' }).rotate().resize(width, height, { fit: 'fill' }).removeAlpha().toColourspace('srgb').raw({ depth: 'uchar' }).toBuffer(),
    (() => {
      let pipeline = sharp(maskPng).resize(width, height, { fit: 'fill', kernel: 'linear' });
      // Feathering softens the edge: a Gaussian with σ = featherPx / 2.
      if (featherPx > 0) pipeline = pipeline.blur(Math.max(0.3, featherPx / 2));
      return pipeline.toColourspace('b-w').raw({ depth: 'uchar' }).toBuffer();
    })(),
  ]);
  return { rgb, mask, width, height };
}

/**
 * The background blurred without the subject's colours: sharp premultiplies by alpha when
 * it blurs an image with alpha, so blurring the photo with alpha = background weight and
 * un-premultiplying is a normalised convolution over background pixels only (no halo).
 */
async function blurredBackground({ rgb, mask, width, height }: Layers, sigma: number, weight: (maskValue: number) => number = (m) => 255 - m): Promise<Buffer> {
  const rgba = Buffer.alloc(width * height * 4);
  for (let i = 0; i < width * height; i += 1) {
    rgba[i * 4] = rgb[i * 3]!;
    rgba[i * 4 + 1] = rgb[i * 3 + 1]!;
    rgba[i * 4 + 2] = rgb[i * 3 + 2]!;
    rgba[i * 4 + 3] = weight(mask[i]!);
  }
  return sharp(rgba, { raw: { width, height, channels: 4 } }).blur(sigma).removeAlpha().raw().toBuffer();
}

/** out = subject · m + background · (1 − m), per pixel. */
function blend(layers: Layers, background: (i: number, channel: number) => number): Buffer {
  const { rgb, mask, width, height } = layers;
  const out = Buffer.alloc(width * height * 3);
  for (let i = 0; i < width * height; i += 1) {
    const m = mask[i]! / 255;
    for (let channel = 0; channel < 3; channel += 1) out[i * 3 + channel] = Math.round(rgb[i * 3 + channel]! * m + background(i, channel) * (1 - m));
  }
  return out;
}

/** Euclidean distance of every pixel to the subject (mask ≥ 128); 0 on the subject. */
function distanceToSubject({ mask, width, height }: Layers): Float64Array {
  const subject = new Uint8Array(width * height);
  for (let i = 0; i < subject.length; i += 1) subject[i] = mask[i]! >= 128 ? 1 : 0;
  return nearestForeground(subject, width, height).distance;
}

/** The replacement background: another photo (cover or contain), a gradient or a colour. */
async function backgroundLayer(effect: Extract<EffectSpec, { kind: 'backgroundReplace' }>, width: number, height: number, backgroundPhoto: Buffer | undefined): Promise<Buffer> {
  const { color } = effect;
  if (backgroundPhoto) {
    return sharp(backgroundPhoto, { failOn: 'none' })
      .rotate()
      .resize(width, height, { fit: effect.fit, position: 'centre', background: color })
      .flatten({ background: color })
      .removeAlpha()
      .toColourspace('srgb')
      .raw({ depth: 'uchar' })
      .toBuffer();
  }
  const out = Buffer.alloc(width * height * 3);
  const from = [color.r, color.g, color.b];
  const to: Rgb = effect.gradient?.to ?? color;
  const toArray = [to.r, to.g, to.b];
  const halfDiagonal = Math.hypot(width, height) / 2;
  for (let y = 0; y < height; y += 1) {
    for (let x = 0; x < width; x += 1) {
      const t = !effect.gradient ? 0 : effect.gradient.shape === 'linear' ? y / Math.max(1, height - 1) : Math.min(1, Math.hypot(x - width / 2, y - height / 2) / halfDiagonal);
      for (let c = 0; c < 3; c += 1) out[(y * width + x) * 3 + c] = Math.round(from[c]! * (1 - t) + toArray[c]! * t);
    }
  }
  return out;
}

/** Darkens `background` under a soft, offset copy of the subject's mask. */
async function castShadow(background: Buffer, { mask, width, height }: Layers, shadow: { opacity: number; offsetX: number; offsetY: number; blurPx: number }, scale: number): Promise<void> {
  const dx = Math.round(shadow.offsetX * scale);
  const dy = Math.round(shadow.offsetY * scale);
  const shifted = Buffer.alloc(width * height);
  for (let y = 0; y < height; y += 1) {
    const sy = y - dy;
    if (sy < 0 || sy >= height) continue;
    for (let x = 0; x < width; x += 1) {
      const sx = x - dx;
      if (sx >= 0 && sx < width) shifted[y * width + x] = mask[sy * width + sx]!;
    }
  }
  const sigma = Math.min(MAX_BLUR_SIGMA, (shadow.blurPx * scale) / 2);
  const soft = sigma >= 0.3 ? await sharp(shifted, { raw: { width, height, channels: 1 } }).blur(sigma).toColourspace('b-w').raw().toBuffer() : shifted;
  for (let i = 0; i < width * height; i += 1) {
    const darken = 1 - (shadow.opacity * soft[i]!) / 255;
    for (let c = 0; c < 3; c += 1) background[i * 3 + c] = Math.round(background[i * 3 + c]! * darken);
  }
}

async function compose(effect: EffectSpec, layers: Layers, scale: number, backgroundPhoto?: Buffer): Promise<{ pixels: Buffer; channels: 1 | 3 | 4; width: number; height: number }> {
  const { rgb, mask, width, height } = layers;
  switch (effect.kind) {
    case 'mask': {
      const out = Buffer.alloc(width * height);
      for (let i = 0; i < out.length; i += 1) {
        let value = effect.threshold === undefined ? mask[i]! : mask[i]! >= effect.threshold ? 255 : 0;
        if (effect.invert) value = 255 - value;
        out[i] = value;
      }
      return { pixels: out, channels: 1, width, height };
    }
    case 'cutout': {
      // Decontamination: on semi-transparent edge pixels the photo mixes subject and old
      // background, I = α·F + (1−α)·B; with B estimated from nearby background pixels,
      // F = (I − (1−α)·B) / α keeps the old background from shining through.
      // Only clearly-background pixels estimate B, so the mixed edge does not tint it.
      const background = effect.decontaminate ? await blurredBackground(layers, Math.max(2, 0.006 * Math.max(width, height)), (m) => (m < 8 ? 255 : 0)) : undefined;
      const out = Buffer.alloc(width * height * 4);
      for (let i = 0; i < width * height; i += 1) {
        const alpha = mask[i]! / 255;
        for (let c = 0; c < 3; c += 1) {
          const observed = rgb[i * 3 + c]!;
          out[i * 4 + c] = background && alpha > 0 && alpha < 1 ? Math.min(255, Math.max(0, Math.round((observed - (1 - alpha) * background[i * 3 + c]!) / alpha))) : observed;
        }
        out[i * 4 + 3] = mask[i]!;
      }
      if (effect.cropMarginPx === undefined) return { pixels: out, channels: 4, width, height };
      let minX = width, minY = height, maxX = -1, maxY = -1;
      for (let y = 0; y < height; y += 1) for (let x = 0; x < width; x += 1) {
        if (mask[y * width + x]! === 0) continue;
        minX = Math.min(minX, x); maxX = Math.max(maxX, x); minY = Math.min(minY, y); maxY = Math.max(maxY, y);
      }
      if (maxX < 0) return { pixels: out, channels: 4, width, height };
      const m = effect.cropMarginPx;
      const left = Math.max(0, minX - m), top = Math.max(0, minY - m);
      const cropWidth = Math.min(width, maxX + m + 1) - left, cropHeight = Math.min(height, maxY + m + 1) - top;
      const cropped = await sharp(out, { raw: { width, height, channels: 4 } }).extract({ left, top, width: cropWidth, height: cropHeight }).raw().toBuffer();
      return { pixels: cropped, channels: 4, width: cropWidth, height: cropHeight };
    }
    case 'backgroundBlur': {
      // Blur scales with the output, so a preview looks like the full-size render.
      const sigma = Math.min(MAX_BLUR_SIGMA, Math.max(0.3, effect.strength * 0.03 * Math.max(width, height)));
      const background = await blurredBackground(layers, sigma);
      return { pixels: blend(layers, (i, channel) => background[i * 3 + channel]!), channels: 3, width, height };
    }
    case 'colorSplash':
      return {
        pixels: blend(layers, (i) => 0.299 * rgb[i * 3]! + 0.587 * rgb[i * 3 + 1]! + 0.114 * rgb[i * 3 + 2]!),
        channels: 3,
        width,
        height,
      };
    case 'backgroundReplace': {
      const background = await backgroundLayer(effect, width, height, backgroundPhoto);
      if (effect.shadow) await castShadow(background, layers, effect.shadow, scale);
      return { pixels: blend(layers, (i, channel) => background[i * 3 + channel]!), channels: 3, width, height };
    }
    case 'depthOfField': {
      // Depth proxy: distance from the subject. Blur grows linearly to its maximum at
      // falloffPx; between the precomputed levels the two nearest are interpolated.
      const maxSigma = Math.min(MAX_BLUR_SIGMA, Math.max(0.3, effect.strength * 0.04 * Math.max(width, height)));
      const falloff = Math.max(1, effect.falloffPx * scale);
      const levels = [0, 0.25, 0.5, 0.75, 1];
      const blurred = await Promise.all(levels.map((level) => (level === 0 ? Promise.resolve(rgb) : blurredBackground(layers, Math.max(0.3, level * maxSigma)))));
      const distance = distanceToSubject(layers);
      return {
        pixels: blend(layers, (i, channel) => {
          const position = Math.min(1, distance[i]! / falloff) * (levels.length - 1);
          const lower = Math.floor(position);
          const upper = Math.min(levels.length - 1, lower + 1);
          const t = position - lower;
          return blurred[lower]![i * 3 + channel]! * (1 - t) + blurred[upper]![i * 3 + channel]! * t;
        }),
        channels: 3,
        width,
        height,
      };
    }
    case 'outline': {
      // A sticker-like stroke: every pixel within widthPx of the subject, outside it.
      const distance = distanceToSubject(layers);
      const strokeWidth = effect.widthPx * scale;
      const { r, g, b } = effect.color;
      const channels = effect.onPhoto ? 3 : 4;
      const out = Buffer.alloc(width * height * channels);
      for (let i = 0; i < width * height; i += 1) {
        const m = mask[i]! / 255;
        // Antialiased stroke edge: full inside the width, fading over one pixel.
        const stroke = Math.min(1, Math.max(0, strokeWidth + 1 - distance[i]!)) * (1 - m);
        const subject = [rgb[i * 3]!, rgb[i * 3 + 1]!, rgb[i * 3 + 2]!];
        const fill = [r, g, b];
        if (effect.onPhoto) {
          for (let c = 0; c < 3; c += 1) out[i * 3 + c] = Math.round(subject[c]! * (1 - stroke) + fill[c]! * stroke);
        } else {
          const alpha = m + stroke;
          for (let c = 0; c < 3; c += 1) out[i * 4 + c] = alpha === 0 ? 0 : Math.round((subject[c]! * m + fill[c]! * stroke) / alpha);
          out[i * 4 + 3] = Math.round(Math.min(1, alpha) * 255);
        }
      }
      return { pixels: out, channels, width, height };
    }
    case 'maskOverlay': {
      const { r, g, b } = effect.color;
      const tint = [r, g, b];
      const out = Buffer.alloc(width * height * 3);
      for (let y = 0; y < height; y += 1) {
        for (let x = 0; x < width; x += 1) {
          const i = y * width + x;
          const inside = mask[i]! >= 128;
          // The contour: foreground pixels with a background 4-neighbour, drawn solid.
          const edge = inside && ((x > 0 && mask[i - 1]! < 128) || (x < width - 1 && mask[i + 1]! < 128) || (y > 0 && mask[i - width]! < 128) || (y < height - 1 && mask[i + width]! < 128));
          const alpha = edge ? 1 : effect.opacity * (mask[i]! / 255);
          for (let channel = 0; channel < 3; channel += 1) out[i * 3 + channel] = Math.round(rgb[i * 3 + channel]! * (1 - alpha) + tint[channel]! * alpha);
        }
      }
      return { pixels: out, channels: 3, width, height };
    }
  }
}

function encode(pixels: Buffer, channels: 1 | 3 | 4, width: number, height: number, output: OutputSpec): Promise<Buffer> {
  let image = sharp(pixels, { raw: { width, height, channels } });
  if (channels === 1) image = image.toColourspace('b-w');
  switch (output.format) {
    case 'png':
      return image.png({ compressionLevel: 4, adaptiveFiltering: false }).toBuffer();
    case 'webp':
      return image.webp({ quality: output.quality, effort: 2 }).toBuffer();
    case 'avif':
      return image.avif({ quality: output.quality, effort: 2 }).toBuffer();
    case 'jpeg':
      return image.jpeg({ quality: output.quality }).toBuffer();
  }
}

/**
 * Renders `effect` for a photo of oriented size `width × height` and its mask PNG;
 * `backgroundPhoto` is the image a BACKGROUND_REPLACE with a background asset uses.
 */
export async function renderEffect(effect: EffectSpec, output: OutputSpec, photo: Buffer, maskPng: Buffer, width: number, height: number, backgroundPhoto?: Buffer): Promise<RenderedImage> {
  const size = outputSize(width, height, output);
  const featherPx = 'featherPx' in effect ? effect.featherPx * (size.width / width) : 0;
  const layers = await loadLayers(photo, maskPng, size.width, size.height, featherPx);
  const composed = await compose(effect, layers, size.width / width, backgroundPhoto);
  const bytes = await encode(composed.pixels, composed.channels, composed.width, composed.height, output);
  return { bytes, width: composed.width, height: composed.height, format: output.format };
}
