/**
 * What a frontend shows before an image loads: a ThumbHash placeholder of the photo and its
 * colours (dominant; the subject's and the background's means, weighted by the mask). Runs on
 * a render thread: ThumbHash and the means are per-pixel JavaScript, on at most 100 × 100.
 */
import sharp from 'sharp';
import { rgbaToThumbHash, thumbHashToDataURL } from 'thumbhash';

export interface ImageSummary {
  /** ThumbHash, base64. */
  thumbhash: string;
  /** The ThumbHash decoded to a small PNG data: URL. */
  dataUrl: string;
  dominant: string;
  /** Null without a mask, or when the mask has no subject (or no background). */
  foreground: string | null;
  background: string | null;
}

/** ThumbHash takes at most 100 × 100 pixels. */
export const THUMBHASH_SIDE = 100;

const hex = (r: number, g: number, b: number) => `#${[r, g, b].map((value) => Math.round(value).toString(16).padStart(2, '0')).join('')}`;

export async function summarise(photo: Buffer, maskPng: Buffer | undefined): Promise<ImageSummary> {
  const small = await sharp(photo, { failOn: 'none' })
    .rotate()
    .resize(THUMBHASH_SIDE, THUMBHASH_SIDE, { fit: 'inside' })
    .ensureAlpha()
    .toColourspace('srgb')
    .raw()
    .toBuffer({ resolveWithObject: true });
  const { width, height } = small.info;
  const hash = rgbaToThumbHash(width, height, small.data);
  const { dominant } = await sharp(small.data, { raw: { width, height, channels: 4 } }).stats();
  let foreground: string | null = null;
  let background: string | null = null;
  if (maskPng) {
    const mask = await sharp(maskPng).resize(width, height, { fit: 'fill' }).toColourspace('b-w').raw().toBuffer();
    const sums = { fg: [0, 0, 0, 0], bg: [0, 0, 0, 0] };
    for (let pixel = 0; pixel < width * height; pixel += 1) {
      const alpha = mask[pixel]! / 255;
      for (let channel = 0; channel < 3; channel += 1) {
        const value = small.data[pixel * 4 + channel]!;
        sums.fg[channel]! += alpha * value;
        sums.bg[channel]! += (1 - alpha) * value;
      }
      sums.fg[3]! += alpha;
      sums.bg[3]! += 1 - alpha;
    }
    const mean = (sum: number[]) => (sum[3]! >= 1 ? hex(sum[0]! / sum[3]!, sum[1]! / sum[3]!, sum[2]! / sum[3]!) : null);
    foreground = mean(sums.fg);
    background = mean(sums.bg);
  }
  return {
    thumbhash: Buffer.from(hash).toString('base64'),
    dataUrl: thumbHashToDataURL(hash),
    dominant: hex(dominant.r, dominant.g, dominant.b),
    foreground,
    background,
  };
}
