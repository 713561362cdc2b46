/**
 * Edge refinement: the model's mask, predicted at its input size (IS-Net 1024², U²-Net 320²,
 * BASNet 256²) and enlarged bilinearly, is soft where the photo is sharp. A trimap marks
 * certain foreground and background and the band between them, as wide as the enlargement
 * blurred; inside the band a colour guided filter, at full resolution, lets the photo's own
 * edges shape the alpha. Outside the band the mask is unchanged.
 */
import sharp from 'sharp';
import { guidedFilterInBand } from './guided-filter.js';

export interface RefineInput {
  /** The photo at the mask's size: sRGB, 3 bytes per pixel. */
  rgb: Buffer;
  /** The model's mask enlarged to the photo (0..255). */
  mask: Uint8Array;
  width: number;
  height: number;
  /** The model's input side: the enlargement factor from it to the photo sets the band. */
  modelInputSize: number;
  /** Overrides of the band's half-width (photo pixels) and the filter's regularisation. */
  radius?: number;
  epsilon?: number;
}

/** Bumped when refinement changes what it produces: refined masks of an older one are not reused. */
export const REFINEMENT_VERSION = 2;

/** Coefficients are computed with the photo reduced to about this long side. */
const COEFFICIENT_SIDE = 512;
/** Regularisation of the guided filter (guide in [0, 1]). */
const EPSILON = 1e-4;

/** The photo decoded as the filter's guide: upright (EXIF orientation applied), sRGB, 3 bytes per pixel. */
export async function decodeGuide(photo: Buffer): Promise<{ rgb: Buffer; width: number; height: number }> {
  const { data, info } = await sharp(photo, { limitInputPixels: false })
    .rotate()
    .removeAlpha()
    .toColourspace('srgb')
    .raw()
    .toBuffer({ resolveWithObject: true });
  return { rgb: data, width: info.width, height: info.height };
}

/** Fails unless the guide is the mask's size (the mask is of the same upright photo). */
export function checkGuideSize(guide: { width: number; height: number }, width: number, height: number): void {
  if (guide.width !== width || guide.height !== height) throw new Error(`the photo decodes to ${guide.width}×${guide.height}, the mask is ${width}×${height}`);
}

/** The photo as the filter's guide, checked against the mask's size. */
export async function photoGuide(photo: Buffer, width: number, height: number): Promise<Buffer> {
  const guide = await decodeGuide(photo);
  checkGuideSize(guide, width, height);
  return guide.rgb;
}

/** Half the width of the unknown band, in photo pixels: two enlarged model pixels, plus two. */
export function bandRadius(width: number, height: number, modelInputSize: number): number {
  return Math.ceil((2 * Math.max(width, height)) / modelInputSize) + 2;
}

/**
 * The trimap's unknown band: pixels within about `radius` of the mask's contour (the hard
 * mask blurred with σ = radius / 2 is neither ~0 nor ~1 there), and every soft mask value.
 */
export async function unknownBand(mask: Uint8Array, width: number, height: number, radius: number): Promise<Uint8Array> {
  const spread = await sharp(mask, { raw: { width, height, channels: 1 } })
    .threshold(128, { grayscale: false })
    .blur(Math.max(0.3, radius / 2))
    .toColourspace('b-w')
    .raw()
    .toBuffer();
  const band = new Uint8Array(width * height);
  for (let i = 0; i < band.length; i += 1) band[i] = (spread[i]! > 6 && spread[i]! < 249) || (mask[i]! > 3 && mask[i]! < 252) ? 1 : 0;
  return band;
}

export async function refineMask({ rgb, mask, width, height, modelInputSize, ...options }: RefineInput): Promise<{ mask: Uint8Array; bandPixels: number }> {
  const radius = options.radius ?? bandRadius(width, height, modelInputSize);
  const band = await unknownBand(mask, width, height, radius);
  const shrink = Math.max(1, Math.round(Math.max(width, height) / COEFFICIENT_SIDE));
  const [smallWidth, smallHeight] = [Math.max(1, Math.round(width / shrink)), Math.max(1, Math.round(height / shrink))];
  const [smallGuide, smallInput] = await Promise.all([
    sharp(rgb, { raw: { width, height, channels: 3 } })
      .resize(smallWidth, smallHeight, { fit: 'fill' })
      .raw()
      .toBuffer(),
    sharp(mask, { raw: { width, height, channels: 1 } })
      .resize(smallWidth, smallHeight, { fit: 'fill' })
      .toColourspace('b-w')
      .raw()
      .toBuffer(),
  ]);
  const refined = guidedFilterInBand(
    {
      guide: rgb,
      smallGuide,
      smallInput,
      smallWidth,
      smallHeight,
      width,
      height,
      radius: Math.max(1, Math.round(radius / shrink)),
      epsilon: options.epsilon ?? EPSILON,
    },
    mask,
    band,
  );
  return { mask: refined, bandPixels: band.reduce((sum, value) => sum + value, 0) };
}
