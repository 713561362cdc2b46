/** `correctMask`'s strokes, validated at the GraphQL edge: bounded, finite, named field by field. */
import { inputError } from '../errors.js';
import { paintedArea, type Stroke } from './strokes.js';

const MAX_STROKES = 200;
const MAX_POINTS = 20_000;
const RADIUS = { min: 0.5, max: 500 };
/** The strokes' layers may cover this many times the mask's area in all: rasterising costs that area. */
export const MAX_PAINTED_AREA_FACTOR = 4;

export interface StrokeInput {
  mode: 'ADD' | 'ERASE' | 'SOFT';
  radiusPx: number;
  points: number[][];
}

/** Strokes within the image (give or take the brush), at most MAX_STROKES and MAX_POINTS, covering at most MAX_PAINTED_AREA_FACTOR × the mask. */
export function parseStrokes(input: StrokeInput[], width: number, height: number): Stroke[] {
  if (input.length === 0 || input.length > MAX_STROKES)
    throw inputError('input.strokes', `1 to ${MAX_STROKES} strokes`, { described: `${input.length} strokes` });
  const points = input.reduce((sum, stroke) => sum + stroke.points.length, 0);
  if (points > MAX_POINTS) throw inputError('input.strokes', `at most ${MAX_POINTS} points in all`, { described: `${points} points` });
  const strokes = input.map((stroke, index): Stroke => {
    const field = `input.strokes[${index}]`;
    if (!Number.isFinite(stroke.radiusPx) || stroke.radiusPx < RADIUS.min || stroke.radiusPx > RADIUS.max)
      throw inputError(`${field}.radiusPx`, `a radius between ${RADIUS.min} and ${RADIUS.max}`, stroke.radiusPx);
    if (stroke.points.length === 0) throw inputError(`${field}.points`, 'at least one point', []);
    const reach = stroke.radiusPx;
    for (const point of stroke.points) {
      const [x, y] = point;
      const inside =
        point.length === 2 && Number.isFinite(x) && Number.isFinite(y) && x! >= -reach && x! <= width + reach && y! >= -reach && y! <= height + reach;
      if (!inside) throw inputError(`${field}.points`, `[x, y] pairs within the ${width}×${height} image`, point);
    }
    return {
      mode: stroke.mode === 'ADD' ? 'add' : stroke.mode === 'ERASE' ? 'erase' : 'soft',
      radiusPx: stroke.radiusPx,
      points: stroke.points as [number, number][],
    };
  });
  const painted = paintedArea(strokes, width, height);
  if (painted > MAX_PAINTED_AREA_FACTOR * width * height)
    throw inputError('input.strokes', `strokes covering at most ${MAX_PAINTED_AREA_FACTOR} × the mask's ${width * height} pixels in all (their boxes)`, {
      described: `${painted} pixels`,
    });
  return strokes;
}
