/**
 * Decoding photographs for the models: EXIF-oriented (so masks align with the image as
 * displayed), alpha dropped, any colour space converted to 8-bit sRGB. sharp stays here.
 */
import sharp from 'sharp';

export interface RgbImage {
  /** Interleaved 8-bit R, G, B. */
  rgb: Uint8Array;
  width: number;
  height: number;
  /** True when the source had one colour channel (the U²-Net scripts then use mean[0]/std[0] for all three). */
  isGrey: boolean;
}

function pipeline(input: Buffer) {
  // Pixel values as stored, like the reference scripts' skimage.io.imread: an embedded ICC
  // profile is not applied (applying it moves some photos far from the reference masks).
  // removeAlpha keeps the colour of transparent pixels, as the scripts do; toColourspace
  // turns grey, CMYK and 16-bit sources into 3 × 8-bit RGB.
  return sharp(input, { failOn: 'none', ignoreIcc: true }).rotate().removeAlpha().toColourspace('srgb');
}

/** From the header: whether the source has one colour channel, and whether it has alpha. */
async function sourceChannels(input: Buffer): Promise<{ isGrey: boolean; hasAlpha: boolean }> {
  const { channels, hasAlpha } = await sharp(input).metadata();
  return { isGrey: (channels ?? 3) - (hasAlpha ? 1 : 0) === 1, hasAlpha };
}

/** The whole image at full resolution. */
export async function decodeRgb(input: Buffer): Promise<RgbImage> {
  const [{ data, info }, { isGrey }] = await Promise.all([
    pipeline(input).raw({ depth: 'uchar' }).toBuffer({ resolveWithObject: true }),
    sourceChannels(input),
  ]);
  return { rgb: new Uint8Array(data.buffer, data.byteOffset, data.length), width: info.width, height: info.height, isGrey };
}

/**
 * The image resized to exactly `width × height` (aspect ratio ignored) with a bilinear
 * kernel; JPEG sources are shrunk while decoding, which is most of the speed on large photos.
 * An image with alpha is flattened to its stored colours first: sharp would otherwise resize
 * premultiplied, and the scripts' resize never looks at alpha.
 */
export async function decodeResizedRgb(input: Buffer, width: number, height: number): Promise<RgbImage> {
  const { isGrey, hasAlpha } = await sourceChannels(input);
  let source = pipeline(input);
  if (hasAlpha) {
    const colours = await source.raw({ depth: 'uchar' }).toBuffer({ resolveWithObject: true });
    source = sharp(colours.data, { raw: { width: colours.info.width, height: colours.info.height, channels: 3 } });
  }
  const { data, info } = await source.resize(width, height, { fit: 'fill', kernel: 'linear' }).raw({ depth: 'uchar' }).toBuffer({ resolveWithObject: true });
  return { rgb: new Uint8Array(data.buffer, data.byteOffset, data.length), width: info.width, height: info.height, isGrey };
}

/** Resizes an 8-bit grey mask with a bilinear kernel (sharp), keeping one channel. */
export async function resizeGreyMask(mask: Uint8Array, width: number, height: number, outWidth: number, outHeight: number): Promise<Uint8Array> {
  if (width === outWidth && height === outHeight) return mask;
  const data = await sharp(mask, { raw: { width, height, channels: 1 } })
    .resize(outWidth, outHeight, { fit: 'fill', kernel: 'linear' })
    .toColourspace('b-w')
    .raw()
    .toBuffer();
  return new Uint8Array(data.buffer, data.byteOffset, data.length);
}

/** An 8-bit grey PNG, fast settings: masks are flat and compress well at level 1 already. */
export function encodeMaskPng(mask: Uint8Array, width: number, height: number): Promise<Buffer> {
  return sharp(mask, { raw: { width, height, channels: 1 } })
    .toColourspace('b-w')
    .png({ compressionLevel: 2, adaptiveFiltering: false })
    .toBuffer();
}

/** Width and height as displayed (after EXIF orientation). */
export async function orientedSize(input: Buffer): Promise<{ width: number; height: number }> {
  const { autoOrient } = await sharp(input).metadata();
  return { width: autoOrient.width, height: autoOrient.height };
}
