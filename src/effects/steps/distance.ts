/**
 * Distance to the subject, which libvips cannot compute: an exact Euclidean distance
 * transform in JavaScript, at reduced size (distances are smooth, so they are computed
 * where there are few pixels and enlarged by libvips). Renders run on worker threads, so
 * this never runs on the event loop.
 */
import { nearestForeground } from '../../metrics/nearest-foreground.js';
import { greyPixels, raw } from './layers.js';

/** Enlarged ramps keep at least this many reduced pixels between 0 and 255. */
const MIN_RAMP_PIXELS = 4;

export interface DistanceField {
  /** Per reduced pixel, the distance in output pixels to the nearest subject pixel. */
  distance: Float64Array;
  width: number;
  height: number;
  /** Output pixels per reduced pixel. */
  pixelSize: number;
}

/** Distances to the subject (mask ≥ 128) of a `width × height` mask, computed at 1/`shrink` size. */
export async function distanceField(mask: Buffer, width: number, height: number, shrink: number): Promise<DistanceField> {
  const smallWidth = Math.max(1, Math.round(width / shrink));
  const smallHeight = Math.max(1, Math.round(height / shrink));
  const small = shrink === 1 ? mask : await greyPixels(raw(mask, width, height, 1).resize(smallWidth, smallHeight, { fit: 'fill', kernel: 'linear' }));
  const subject = new Uint8Array(smallWidth * smallHeight);
  for (let i = 0; i < subject.length; i += 1) subject[i] = small[i]! >= 128 ? 1 : 0;
  return distancesTo(subject, smallWidth, smallHeight, width / smallWidth);
}

/** Distances (in output pixels, `pixelSize` each) to the nearest pixel of `subject` (1 per subject pixel). */
export function distancesTo(subject: Uint8Array, width: number, height: number, pixelSize: number): DistanceField {
  const { distance } = nearestForeground(subject, width, height);
  // No subject at all: every distance is infinite, which ramps take as their far value.
  for (let i = 0; i < distance.length; i += 1) distance[i] = Math.min(distance[i]!, 1e7) * pixelSize;
  return { distance, width, height, pixelSize };
}

/** `clamp(slope · d + offset, 0, 255)` per reduced pixel. */
function rampPixels({ distance }: DistanceField, slope: number, offset: number): Buffer {
  const ramp = Buffer.alloc(distance.length);
  for (let i = 0; i < ramp.length; i += 1) ramp[i] = Math.min(255, Math.max(0, Math.round(slope * distance[i]! + offset)));
  return ramp;
}

/**
 * `clamp(slope · d + offset, 0, 255)` per output pixel, from distances computed at
 * 1/`shrink` size. A steep ramp (an antialiased edge) would blur when enlarged, so the
 * reduced one is made `gain` times gentler, enlarged, and steepened back by libvips.
 */
export async function distanceRamp(mask: Buffer, width: number, height: number, shrink: number, slope: number, offset: number): Promise<Buffer> {
  const field = await distanceField(mask, width, height, shrink);
  if (field.width === width && field.height === height) return rampPixels(field, slope, offset);
  const gain = Math.max(1, (MIN_RAMP_PIXELS * Math.abs(slope) * field.pixelSize) / 255);
  // The gentle ramp is centred on the steep one's transition, which it maps to 0..255.
  const centre = (127.5 * gain - 127.5 + offset) / gain;
  return greyPixels(
    raw(rampPixels(field, slope / gain, centre), field.width, field.height, 1)
      .resize(width, height, { fit: 'fill', kernel: 'linear' })
      .linear(gain, offset - gain * centre),
  );
}
