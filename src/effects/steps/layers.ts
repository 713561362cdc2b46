/**
 * The two layers every effect starts from, at the output size: the photo decoded already
 * shrunk (JPEG shrink-on-load, so a 512 px preview of a 24-megapixel photo never touches 24
 * megapixels) and the mask resized to it (never the reverse), both as raw 8-bit pixels.
 */
import sharp, { type OverlayOptions, type Sharp } from 'sharp';

export interface Layers {
  /** sRGB, 3 bytes per pixel; empty for kinds that do not use the photo. */
  rgb: Buffer;
  /** 0..255 per pixel. */
  mask: Buffer;
  width: number;
  height: number;
}

export type Channels = 1 | 2 | 3 | 4;

/** A sharp pipeline over raw pixels. */
export function raw(pixels: Buffer | Float32Array, width: number, height: number, channels: Channels, premultiplied = false): Sharp {
  return sharp(pixels, { raw: { width, height, channels, premultiplied } });
}

/** A one-channel pipeline's pixels (sharp would otherwise hand grey back as sRGB). */
export function greyPixels(image: Sharp): Promise<Buffer> {
  return image.toColourspace('b-w').raw().toBuffer();
}

/** Raw pixels as a composite layer. */
export function overlay(pixels: Buffer, width: number, height: number, channels: Channels, blend: OverlayOptions['blend'] = 'over'): OverlayOptions {
  return { input: pixels, raw: { width, height, channels }, blend };
}

export async function loadLayers(photo: Buffer | undefined, maskPng: Buffer, width: number, height: number, featherPx: number): Promise<Layers> {
  const [rgb, mask] = await Promise.all([
    photo
      ? sharp(photo, { failOn: 'none' }).rotate().resize(width, height, { fit: 'fill' }).removeAlpha().toColourspace('srgb').raw({ depth: 'uchar' }).toBuffer()
      : Buffer.alloc(0),
    // Feathering softens the edge: a Gaussian with σ = featherPx / 2.
    sharp(maskPng)
      .resize(width, height, { fit: 'fill', kernel: 'linear' })
      .blur(featherPx > 0 ? Math.max(0.3, featherPx / 2) : false)
      .toColourspace('b-w')
      .raw({ depth: 'uchar' })
      .toBuffer(),
  ]);
  return { rgb, mask, width, height };
}

/** `pixels` (3 channels) with `alpha` (1 channel) as a fourth. */
export function withAlpha(pixels: Buffer, alpha: Buffer, width: number, height: number): Promise<Buffer> {
  return raw(pixels, width, height, 3)
    .joinChannel(alpha, { raw: { width, height, channels: 1 } })
    .raw()
    .toBuffer();
}

/** The subject: the photo with the mask as its alpha, as a composite layer. */
export async function subjectLayer({ rgb, mask, width, height }: Layers): Promise<OverlayOptions> {
  return overlay(await withAlpha(rgb, mask, width, height), width, height, 4);
}

/** A flat colour with `alpha` (one channel, 0..255): 4-channel pixels. */
export function colourWithAlpha(colour: { r: number; g: number; b: number }, alpha: Buffer, width: number, height: number): Promise<Buffer> {
  return sharp({ create: { width, height, channels: 3, background: colour } })
    .joinChannel(alpha, { raw: { width, height, channels: 1 } })
    .raw()
    .toBuffer();
}

/** A flat colour with `alpha` as a composite layer. */
export async function colourLayer(colour: { r: number; g: number; b: number }, alpha: Buffer, width: number, height: number): Promise<OverlayOptions> {
  return overlay(await colourWithAlpha(colour, alpha, width, height), width, height, 4);
}
