/**
 * An uploaded mask (a ground truth or a corrected mask), read and validated at the edge: a
 * byte cap while streaming, only the raster formats masks come in (no SVG, PDF or TIFF), the
 * size checked from the header before a pixel is decoded (so a bomb costs nothing), then the
 * alpha channel of an image with alpha, else its grey values.
 */
import type { Readable } from 'node:stream';
import sharp, { type OutputInfo } from 'sharp';
import { AppError, inputError } from '../errors.js';

/** Mask files are rasters; sharp would also read SVG, PDF, TIFF, HEIF and more. */
const MASK_FORMATS = new Set(['png', 'webp', 'jpeg']);

async function readCapped(stream: Readable, maxBytes: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of stream) {
    size += (chunk as Buffer).length;
    if (size > maxBytes) {
      stream.destroy();
      throw new AppError('PAYLOAD_TOO_LARGE', `Expected at most ${maxBytes} bytes but the mask is larger`);
    }
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

/**
 * The mask's 8-bit values at `width × height` (the asset's oriented size).
 * @throws AppError PAYLOAD_TOO_LARGE, UNSUPPORTED_MEDIA_TYPE (not a PNG, WebP or JPEG, or
 *   unreadable), BAD_USER_INPUT (another size; both named, on `field`).
 */
export async function readMaskUpload(stream: Readable, expected: { width: number; height: number }, maxBytes: number, field: string): Promise<Uint8Array> {
  const wrongSize = (width: number, height: number) =>
    inputError(
      field,
      `a mask of ${expected.width}×${expected.height} (the asset's oriented size)`,
      { described: `${width}×${height}` },
      { details: { expected, received: { width, height } } },
    );
  const bytes = await readCapped(stream, maxBytes);
  // Only the header is read here, so no pixel limit is needed: the size check below is the limit.
  const header = await sharp(bytes, { limitInputPixels: false })
    .metadata()
    .catch(() => undefined);
  if (!header || !MASK_FORMATS.has(header.format ?? '')) {
    throw inputError(
      field,
      'a PNG, WebP or JPEG mask',
      { described: header?.format ? header.format.toUpperCase() : 'something that is not an image' },
      { code: 'UNSUPPORTED_MEDIA_TYPE' },
    );
  }
  const quarterTurn = (header.orientation ?? 1) >= 5;
  const [headerWidth, headerHeight] = quarterTurn ? [header.height, header.width] : [header.width, header.height];
  if (headerWidth !== expected.width || headerHeight !== expected.height) throw wrongSize(headerWidth, headerHeight);
  let decoded: { data: Buffer; info: OutputInfo };
  try {
    const image = sharp(bytes, { failOn: 'warning' }).rotate();
    decoded = await (header.hasAlpha ? image.extractChannel('alpha') : image.toColourspace('b-w'))
      .raw({ depth: 'uchar' })
      .toBuffer({ resolveWithObject: true });
  } catch (cause) {
    throw new AppError('UNSUPPORTED_MEDIA_TYPE', 'The mask is not a readable image (an 8-bit grey or alpha PNG is expected)', { cause, details: { field } });
  }
  const { width, height } = decoded.info;
  if (width !== expected.width || height !== expected.height) throw wrongSize(width, height);
  return new Uint8Array(decoded.data.buffer, decoded.data.byteOffset, width * height);
}
