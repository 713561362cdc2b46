/**
 * Edge refinement on small synthetic images whose right answer is known: a vertical edge
 * between a blue background (left) and an orange subject (right).
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { bandRadius, refineMask, unknownBand } from '../../../src/refinement/refine-mask.js';

const [W, H, EDGE] = [120, 60, 60];
const [BLUE, ORANGE] = [
  [30, 60, 200],
  [240, 150, 40],
];

/** A photo whose subject covers `alpha(x)` of each column: colours mixed as a camera would see them. */
function photo(alpha: (x: number) => number): Buffer {
  const rgb = Buffer.alloc(W * H * 3);
  for (let y = 0; y < H; y += 1)
    for (let x = 0; x < W; x += 1) for (let c = 0; c < 3; c += 1) rgb[(y * W + x) * 3 + c] = Math.round(ORANGE[c]! * alpha(x) + BLUE[c]! * (1 - alpha(x)));
  return rgb;
}
const mask = (alpha: (x: number) => number) => Uint8Array.from({ length: W * H }, (_, i) => Math.round(255 * alpha(i % W)));
const step = (x: number) => (x >= EDGE ? 1 : 0);
/** A linear ramp `width` px wide centred on the edge. */
const ramp = (width: number) => (x: number) => Math.min(1, Math.max(0, (x + 0.5 - EDGE) / width + 0.5));
const column = (values: Uint8Array, x: number) => values[Math.floor(H / 2) * W + x]!;

describe('edge refinement', () => {
  test('the band is as wide as the enlargement: two model pixels plus two on each side', () => {
    assert.equal(bandRadius(1024, 768, 1024), 4);
    assert.equal(bandRadius(5312, 2988, 1024), 13);
    assert.equal(bandRadius(1000, 700, 320), 9);
  });

  test('the unknown band holds the pixels near the contour and the soft ones, and nothing far', async () => {
    const radius = 6;
    const band = await unknownBand(mask(step), W, H, radius);
    for (let x = 0; x < W; x += 1) {
      const inside = column(band, x) === 1;
      if (Math.abs(x + 0.5 - EDGE) <= radius - 1) assert.ok(inside, `column ${x} is in the band`);
      if (Math.abs(x + 0.5 - EDGE) > radius + 2) assert.ok(!inside, `column ${x} is not`);
    }
    const soft = await unknownBand(mask(ramp(40)), W, H, 2);
    assert.equal(column(soft, EDGE - 15), 1, 'a soft value far from the 50 % contour is unknown too');
  });

  test("a model's blurred edge over a sharp photo edge jumps where the photo does, and errs less", async () => {
    const blurred = mask(ramp(12));
    const { mask: refined } = await refineMask({ rgb: photo(step), mask: blurred, width: W, height: H, modelInputSize: 40, radius: 8, epsilon: 1e-3 });
    const error = (values: Uint8Array) => values.reduce((sum, value, i) => sum + Math.abs(value - 255 * step(i % W)), 0);
    assert.ok(error(refined) < 0.7 * error(blurred), `error ${error(refined)} against ${error(blurred)} unrefined`);
    // Most of the rise is in the one step between the photo's two columns (the mask's rise there is 21).
    const rise = column(refined, EDGE) - column(refined, EDGE - 1);
    assert.ok(rise > 120, `rise at the edge ${rise}`);
  });

  test('a true soft edge (the photo mixes the colours as the mask says) is kept', async () => {
    const soft = ramp(10);
    const { mask: refined } = await refineMask({ rgb: photo(soft), mask: mask(soft), width: W, height: H, modelInputSize: 40, radius: 8, epsilon: 1e-3 });
    for (let x = 0; x < W; x += 1)
      assert.ok(Math.abs(column(refined, x) - Math.round(255 * soft(x))) <= 6, `column ${x}: ${column(refined, x)} for ${Math.round(255 * soft(x))}`);
  });

  test('a hard step that matches the photo stays a step', async () => {
    const hard = mask(step);
    const { mask: refined } = await refineMask({ rgb: photo(step), mask: hard, width: W, height: H, modelInputSize: 40, radius: 5, epsilon: 1e-3 });
    for (let x = 0; x < W; x += 1) assert.ok(Math.abs(column(refined, x) - column(hard, x)) <= 8, `column ${x}: ${column(refined, x)}`);
  });
});
