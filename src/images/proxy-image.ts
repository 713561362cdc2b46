/**
 * Preview proxies: a copy of a stored photo or mask whose longest side is at most `maxSide`,
 * which effects, preset images and thumbnails render from whenever their output fits in it
 * (src/images/proxy.service.ts). Runs on a render thread.
 *
 * Formats, chosen for decode speed at a look previews cannot tell apart (PSNR ≥ 40 dB against
 * rendering from the original, test/integration/proxies.test.ts): an opaque photo is a JPEG at
 * quality 94 with full-resolution colour (JPEG decodes fastest, and shrinks on load at half
 * size; a lossless proxy measured only 0.2 dB closer: the second resampling, not the encoding,
 * is what differs); a photo with alpha is a PNG; a mask is a one-channel PNG.
 */
import sharp from 'sharp';

export type ProxyKind = 'photo' | 'mask';

export interface ProxyImage {
  bytes: Buffer;
  format: 'jpeg' | 'png';
  width: number;
  height: number;
}

/** The proxy's size for an image of `width × height`; undefined when the image is no larger than a proxy. */
export function proxySize(width: number, height: number, maxSide: number): { width: number; height: number } | undefined {
  const longest = Math.max(width, height);
  if (maxSide <= 0 || longest <= maxSide) return undefined;
  const scale = maxSide / longest;
  return { width: Math.max(1, Math.round(width * scale)), height: Math.max(1, Math.round(height * scale)) };
}

/** `source` (a stored photo, EXIF-oriented here, or a mask of the oriented size) at `size`. */
export async function makeProxy(source: Buffer, kind: ProxyKind, size: { width: number; height: number }): Promise<ProxyImage> {
  if (kind === 'mask') {
    const bytes = await sharp(source, { failOn: 'none' })
      // Lanczos, not the linear kernel renders scale masks with: a preview then resamples the
      // proxy again, and Lanczos keeps that second step closest to one step from the original
      // (a hard-edged mask's 512 px render: 54 dB against 47.5 with linear).
      .resize(size.width, size.height, { fit: 'fill' })
      .toColourspace('b-w')
      .png({ compressionLevel: 2, adaptiveFiltering: false })
      .toBuffer();
    return { bytes, format: 'png', ...size };
  }
  const { hasAlpha } = await sharp(source).metadata();
  const resized = sharp(source, { failOn: 'none' }).rotate().resize(size.width, size.height, { fit: 'fill' });
  const bytes = hasAlpha
    ? await resized.png({ compressionLevel: 2, adaptiveFiltering: false }).toBuffer()
    : await resized.jpeg({ quality: 94, chromaSubsampling: '4:4:4' }).toBuffer();
  return { bytes, format: hasAlpha ? 'png' : 'jpeg', ...size };
}
