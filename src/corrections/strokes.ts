/**
 * Brush strokes onto a mask, rasterised by libvips (librsvg draws each stroke as an SVG path
 * with round caps and joins, antialiased), so a browser sends points, not pixels.
 */
import sharp, { type OverlayOptions } from 'sharp';

export type StrokeMode = 'add' | 'erase' | 'soft';

export interface Stroke {
  /** add: paint foreground; erase: paint background; soft: add with a feathered edge. */
  mode: StrokeMode;
  /** Brush radius in image pixels. */
  radiusPx: number;
  /** Image coordinates, x then y, from the image's top-left corner (pixel (0, 0) spans 0..1); one point is a dab. */
  points: [number, number][];
}

/** A soft brush: solid to 2/3 of the radius, fading beyond it (a Gaussian of σ = radius / 6). */
const featherOf = (stroke: Stroke) => (stroke.mode === 'soft' ? stroke.radiusPx / 6 : 0);

/** The part of the mask a stroke's layer covers (its points' box, grown by the brush's reach, within the mask). */
export function strokeBox(stroke: Stroke, width: number, height: number): { left: number; top: number; right: number; bottom: number } {
  const reach = stroke.radiusPx + 3 * featherOf(stroke) + 1;
  const xs = stroke.points.map(([x]) => x);
  const ys = stroke.points.map(([, y]) => y);
  return {
    left: Math.max(0, Math.floor(Math.min(...xs) - reach)),
    top: Math.max(0, Math.floor(Math.min(...ys) - reach)),
    right: Math.min(width, Math.ceil(Math.max(...xs) + reach)),
    bottom: Math.min(height, Math.ceil(Math.max(...ys) + reach)),
  };
}

/** Pixels the strokes' layers cover in all: what rasterising them costs. */
export function paintedArea(strokes: Stroke[], width: number, height: number): number {
  return strokes.reduce((sum, stroke) => {
    const box = strokeBox(stroke, width, height);
    return sum + Math.max(0, box.right - box.left) * Math.max(0, box.bottom - box.top);
  }, 0);
}

/** One stroke as an overlay of its bounding box: white (add) or black (erase), its coverage as alpha. */
async function strokeLayer(stroke: Stroke, width: number, height: number): Promise<OverlayOptions | undefined> {
  const feather = featherOf(stroke);
  const { left, top, right, bottom } = strokeBox(stroke, width, height);
  if (right <= left || bottom <= top) return undefined;
  const path = stroke.points.map(([x, y], index) => `${index === 0 ? 'M' : 'L'}${(x - left).toFixed(2)} ${(y - top).toFixed(2)}`).join(' ');
  const [first] = stroke.points;
  const brush = stroke.mode === 'soft' ? (stroke.radiusPx * 2) / 3 : stroke.radiusPx;
  const colour = stroke.mode === 'erase' ? '#000' : '#fff';
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${right - left}" height="${bottom - top}"><path d="${path}" fill="none" stroke="${colour}" stroke-width="${(2 * brush).toFixed(2)}" stroke-linecap="round" stroke-linejoin="round"/>${
    stroke.points.length === 1
      ? `<circle cx="${(first![0] - left).toFixed(2)}" cy="${(first![1] - top).toFixed(2)}" r="${brush.toFixed(2)}" fill="${colour}"/>`
      : ''
  }</svg>`;
  const drawn = sharp(Buffer.from(svg));
  if (feather === 0) return { input: await drawn.png({ compressionLevel: 0 }).toBuffer(), left, top, blend: 'over' };
  // The feather is libvips's Gaussian blur of the stroke's coverage alone (one band, integer
  // arithmetic), where an SVG filter took librsvg 16 s for one stroke of radius 500 on a 12 MP
  // mask; then the coverage is the alpha of a flat white layer.
  const { data: coverage, info } = await drawn.extractChannel(3).blur({ sigma: feather, precision: 'approximate' }).raw().toBuffer({ resolveWithObject: true });
  const layer = await sharp({ create: { width: info.width, height: info.height, channels: 3, background: '#fff' } })
    .joinChannel(coverage, { raw: { width: info.width, height: info.height, channels: 1 } })
    .raw()
    .toBuffer();
  return { input: layer, raw: { width: info.width, height: info.height, channels: 4 }, left, top, blend: 'over' };
}

/** `mask` (0..255, `width × height`) with the strokes painted on in order: a new mask. */
export async function applyStrokes(mask: Uint8Array, width: number, height: number, strokes: Stroke[]): Promise<Uint8Array> {
  const layers = (await Promise.all(strokes.map((stroke) => strokeLayer(stroke, width, height)))).filter((layer) => layer !== undefined);
  if (layers.length === 0) return Uint8Array.from(mask);
  const painted = await sharp(mask, { raw: { width, height, channels: 1 } })
    .composite(layers)
    .toColourspace('b-w')
    .raw()
    .toBuffer();
  return new Uint8Array(painted.buffer, painted.byteOffset, width * height);
}
