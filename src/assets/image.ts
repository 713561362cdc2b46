/**
 * Everything uploads need from sharp: sniffing the real format from the bytes,
 * enforcing the pixel limit, and WebP thumbnails (which also proves the file decodes).
 */
import sharp, { type Metadata } from 'sharp';
import { AppError } from '../errors.js';
import { setThreadImageConcurrency } from '../lib/thread-client.js';

/** Formats accepted for upload, by sharp's format name (HEIF split by codec below). */
const MIME_BY_FORMAT: Record<string, string> = {
  jpeg: 'image/jpeg',
  png: 'image/png',
  webp: 'image/webp',
  gif: 'image/gif',
  tiff: 'image/tiff',
};

export const ACCEPTED_MIME_TYPES = ['image/jpeg', 'image/png', 'image/webp', 'image/avif', 'image/tiff', 'image/gif', 'image/heic'];
export const THUMBNAIL_SIZES = [64, 128, 256, 512, 1024] as const;
export const DEFAULT_THUMBNAIL_SIZE = 256;

/** libvips threads per image operation; the rest of the cores stay free for other requests. */
export function configureImageLibrary(threadsPerOperation: number): void {
  sharp.concurrency(threadsPerOperation);
  setThreadImageConcurrency(threadsPerOperation); // threads loading sharp would reset it
}

export interface DecodeLimits {
  maxInputPixels: number;
  /** sharp's `failOn`: which decoder complaints make an image unusable. */
  imageFailOn: 'warning' | 'error' | 'truncated';
}

export interface ImageProbe {
  mimeType: string;
  /** Display size: after EXIF orientation. */
  width: number;
  height: number;
  orientation: number;
}

export interface EncodedThumbnail {
  bytes: Buffer;
  width: number;
  height: number;
}

function mimeTypeOf(metadata: Metadata): string | undefined {
  if (metadata.format === 'heif') {
    return metadata.compression === 'av1' ? 'image/avif' : metadata.compression === 'hevc' ? 'image/heic' : undefined;
  }
  return MIME_BY_FORMAT[metadata.format];
}

/**
 * Reads the header only: the real format, the oriented size and the pixel count.
 * @throws AppError UNSUPPORTED_MEDIA_TYPE for anything but an accepted image,
 *   PAYLOAD_TOO_LARGE when width × height exceeds `maxInputPixels`.
 */
export async function probeImage(path: string, maxInputPixels: number): Promise<ImageProbe> {
  let metadata: Metadata;
  try {
    // Reading the header is safe at any size; the limit is checked below with a clearer message.
    metadata = await sharp(path, { limitInputPixels: false }).metadata();
  } catch (cause) {
    throw new AppError('UNSUPPORTED_MEDIA_TYPE', 'The file is not an image in a supported format', { cause });
  }
  const mimeType = mimeTypeOf(metadata);
  if (!mimeType) {
    throw new AppError(
      'UNSUPPORTED_MEDIA_TYPE',
      `Expected one of ${ACCEPTED_MIME_TYPES.join(', ')} but received ${metadata.format}${metadata.compression ? ` (${metadata.compression})` : ''}`,
      { details: { format: metadata.format } },
    );
  }
  const pixels = metadata.width * metadata.height;
  if (pixels > maxInputPixels) {
    throw new AppError(
      'PAYLOAD_TOO_LARGE',
      `Expected at most ${maxInputPixels} pixels but the image declares ${metadata.width}×${metadata.height} (${pixels})`,
      { details: { width: metadata.width, height: metadata.height, maxInputPixels } },
    );
  }
  return {
    mimeType,
    width: metadata.autoOrient.width,
    height: metadata.autoOrient.height,
    orientation: metadata.orientation ?? 1,
  };
}

/**
 * A WebP thumbnail whose longest side is `size` (never upscaled), EXIF-oriented.
 * Decoding the whole image makes this the check that the data is not truncated or corrupt.
 * @throws AppError UNSUPPORTED_MEDIA_TYPE when the pixel data cannot be decoded.
 */
export async function makeThumbnail(input: string | Buffer, size: number, limits: DecodeLimits): Promise<EncodedThumbnail> {
  try {
    const { data, info } = await sharp(input, { failOn: limits.imageFailOn, limitInputPixels: limits.maxInputPixels })
      .rotate()
      .resize(size, size, { fit: 'inside', withoutEnlargement: true })
      .webp({ quality: 80, effort: 2 })
      .toBuffer({ resolveWithObject: true });
    return { bytes: data, width: info.width, height: info.height };
  } catch (cause) {
    const heic = cause instanceof Error && /heif|hevc/i.test(cause.message);
    throw new AppError(
      'UNSUPPORTED_MEDIA_TYPE',
      heic
        ? 'HEIC (HEVC) images cannot be decoded by this build of the image library; convert to JPEG or AVIF'
        : `The image data is corrupt or truncated: ${cause instanceof Error ? cause.message.split('\n')[0] : 'decode failed'}`,
      { cause },
    );
  }
}
