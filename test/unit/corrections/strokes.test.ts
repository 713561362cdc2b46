import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { applyStrokes } from '../../../src/corrections/strokes.js';

const [W, H] = [120, 80];
const at = (mask: Uint8Array, x: number, y: number) => mask[y * W + x]!;

describe('brush strokes', () => {
  test('an ADD stroke of radius r covers every pixel within r of its path, antialiased at the edge, and nothing beyond', async () => {
    // A horizontal stroke along y = 40.5 from x = 30 to 90, radius 6: rows 34.5 to 46.5.
    const painted = await applyStrokes(new Uint8Array(W * H), W, H, [
      {
        mode: 'add',
        radiusPx: 6,
        points: [
          [30, 40.5],
          [90, 40.5],
        ],
      },
    ]);
    for (let y = 35; y <= 45; y += 1) assert.equal(at(painted, 60, y), 255, `row ${y}`);
    for (const y of [34, 46]) assert.ok(at(painted, 60, y) > 64 && at(painted, 60, y) < 192, `half-covered row ${y}: ${at(painted, 60, y)}`);
    for (const y of [32, 48]) assert.equal(at(painted, 60, y), 0, `row ${y}`);
    // Round caps: the end reaches 6 px past the last point on the axis, not at the corner.
    assert.ok(at(painted, 95, 40) >= 240, `inside the cap: ${at(painted, 95, 40)}`);
    assert.equal(at(painted, 97, 40), 0);
    assert.equal(at(painted, 95, 35), 0);
  });

  test('ERASE paints background over foreground, in order after ADD; SOFT fades from a solid middle', async () => {
    const full = new Uint8Array(W * H).fill(255);
    const erased = await applyStrokes(full, W, H, [
      { mode: 'erase', radiusPx: 10, points: [[60, 40]] },
      { mode: 'add', radiusPx: 3, points: [[60, 40]] },
    ]);
    assert.deepEqual([at(erased, 60, 40), at(erased, 60, 46), at(erased, 60, 52)], [255, 0, 255], 'a dab erased, then a smaller one added back');
    const soft = await applyStrokes(new Uint8Array(W * H), W, H, [{ mode: 'soft', radiusPx: 12, points: [[60.5, 40.5]] }]);
    const profile = [0, 4, 8, 10, 12, 16].map((d) => at(soft, 60 + d, 40));
    assert.ok(profile[0]! >= 250 && profile[1]! >= 230, `solid middle ${profile}`);
    for (let k = 2; k < profile.length; k += 1) assert.ok(profile[k]! < profile[k - 1]! || profile[k] === 0, `fading ${profile}`);
    assert.ok(profile[3]! > 0 && profile[3]! < profile[2]!, `still fading between 2/3 of the radius and the radius ${profile}`);
    assert.ok(profile[4]! < 20 && profile[5]! < 20, `gone at the radius and beyond ${profile}`);
  });

  test('a stroke partly outside the image paints its inside part, and the input is not changed', async () => {
    const mask = new Uint8Array(W * H);
    const painted = await applyStrokes(mask, W, H, [
      {
        mode: 'add',
        radiusPx: 5,
        points: [
          [-3, 10],
          [10, 10],
        ],
      },
    ]);
    assert.equal(at(painted, 0, 10), 255);
    assert.equal(
      mask.reduce((sum, value) => sum + value, 0),
      0,
    );
  });
});
