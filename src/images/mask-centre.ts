/**
 * Where a mask's subject is centred, weighted by its mass: the focal point crops fall back
 * to. Robust where the bounding box is not: a thin stray branch widens the box to the frame
 * but hardly moves the centre. libvips reduces the mask to 64 × 64 (off the event loop);
 * the weighted mean over those 4096 values is the only JavaScript.
 */
import sharp from 'sharp';

const SIDE = 64;

/** Fractions (0–1) of width and height; null for an empty mask. */
export async function maskCentre(mask: Uint8Array, width: number, height: number): Promise<{ x: number; y: number } | null> {
  const small = await sharp(mask, { raw: { width, height, channels: 1 } })
    .resize(SIDE, SIDE, { fit: 'fill', kernel: 'linear' })
    .toColourspace('b-w') // one channel out, as in
    .raw()
    .toBuffer();
  let mass = 0;
  let sumX = 0;
  let sumY = 0;
  for (let index = 0; index < small.length; index += 1) {
    const value = small[index]!;
    mass += value;
    sumX += value * ((index % SIDE) + 0.5);
    sumY += value * (Math.floor(index / SIDE) + 0.5);
  }
  return mass === 0 ? null : { x: sumX / mass / SIDE, y: sumY / mass / SIDE };
}
