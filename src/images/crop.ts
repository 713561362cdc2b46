/**
 * Subject-aware crops and focal points, from the mask we already have.
 *
 * The rule: a crop of aspect ratio r is the largest rectangle of that ratio inside the photo
 * (or, with `paddingPercent`, the smallest that holds the subject's box grown by that share
 * of its size on each side, never larger than the largest). With gravity SUBJECT it is
 * placed so the whole subject box is inside, centred on the box as far as the photo's edges
 * allow; when the box cannot fit at that ratio, it is centred on the focal point instead.
 * FOCAL_POINT centres on the focal point, CENTER on the photo's centre; both are clamped to
 * the photo. Everything is in pixels of the oriented full-size photo.
 */
export type Gravity = 'SUBJECT' | 'FOCAL_POINT' | 'CENTER';

export interface CropSpec {
  /** Width / height. */
  aspectRatio: number;
  gravity: Gravity;
  /** Undefined: the largest crop; a number: zoom to the subject with this margin (% of its size). */
  paddingPercent: number | undefined;
}

export interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** A point as fractions (0–1) of the photo's width and height. */
export interface FocalPoint {
  x: number;
  y: number;
  source: 'MASK' | 'USER' | 'CENTER';
}

/**
 * A person's point when set; else the mask's mass-weighted centre (masks made before it was
 * recorded: the centre of the subject's box); else the photo's centre.
 */
export function focalPoint(
  image: { width: number; height: number },
  user: { x: number; y: number } | undefined,
  subject: Rect | null,
  massCentre: { x: number; y: number } | null = null,
): FocalPoint {
  if (user) return { ...user, source: 'USER' };
  if (subject && massCentre) return { ...massCentre, source: 'MASK' };
  if (subject) return { x: (subject.x + subject.width / 2) / image.width, y: (subject.y + subject.height / 2) / image.height, source: 'MASK' };
  return { x: 0.5, y: 0.5, source: 'CENTER' };
}

/** The largest w × h of ratio `aspectRatio` within `width × height`. */
function largest(width: number, height: number, aspectRatio: number): { width: number; height: number } {
  if (width / height > aspectRatio) return { width: Math.max(1, Math.min(width, Math.round(height * aspectRatio))), height };
  return { width, height: Math.max(1, Math.min(height, Math.round(width / aspectRatio))) };
}

/** Start of a span of `size` centred on `centre`, kept within [0, total]. */
function place(centre: number, size: number, total: number): number {
  return Math.round(Math.min(Math.max(centre - size / 2, 0), total - size));
}

/** The crop of the photo for `crop`, the subject's box (null: no subject found or no mask) and the focal point. */
export function cropRect(image: { width: number; height: number }, crop: CropSpec | undefined, subject: Rect | null, focal: FocalPoint): Rect {
  if (!crop) return { x: 0, y: 0, width: image.width, height: image.height };
  const widest = largest(image.width, image.height, crop.aspectRatio);
  let size = widest;
  let box: Rect | null = null;
  if (crop.gravity === 'SUBJECT' && subject) {
    const pad = (crop.paddingPercent ?? 0) / 100;
    const left = Math.max(0, subject.x - pad * subject.width);
    const top = Math.max(0, subject.y - pad * subject.height);
    const right = Math.min(image.width, subject.x + subject.width * (1 + pad));
    const bottom = Math.min(image.height, subject.y + subject.height * (1 + pad));
    box = { x: left, y: top, width: right - left, height: bottom - top };
    if (crop.paddingPercent !== undefined) {
      // The tightest crop of the ratio around the padded box, within the largest.
      const tight =
        box.width / box.height > crop.aspectRatio
          ? { width: box.width, height: box.width / crop.aspectRatio }
          : { width: box.height * crop.aspectRatio, height: box.height };
      if (tight.width <= widest.width && tight.height <= widest.height)
        size = { width: Math.max(1, Math.ceil(tight.width)), height: Math.max(1, Math.ceil(tight.height)) };
    }
  }
  const fits = box !== null && box.width <= size.width && box.height <= size.height;
  const centre = fits
    ? { x: box!.x + box!.width / 2, y: box!.y + box!.height / 2 }
    : crop.gravity === 'CENTER'
      ? { x: image.width / 2, y: image.height / 2 }
      : { x: focal.x * image.width, y: focal.y * image.height };
  return { x: place(centre.x, size.width, image.width), y: place(centre.y, size.height, image.height), width: size.width, height: size.height };
}
