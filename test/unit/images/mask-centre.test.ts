/** The mass-weighted centre of a mask (src/images/mask-centre.ts). */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { maskCentre } from '../../../src/images/mask-centre.js';

test('a block and a thin stray line: the centre stays on the block, where the bounding box would not', async () => {
  const [width, height] = [400, 200];
  const mask = new Uint8Array(width * height);
  for (let y = 100; y < 180; y += 1) for (let x = 280; x < 360; x += 1) mask[y * width + x] = 255; // the subject
  for (let x = 0; x < 200; x += 1) mask[50 * width + x] = 255; // a one-pixel branch across the left half
  const centre = (await maskCentre(mask, width, height))!;
  assert.ok(Math.abs(centre.x - 320 / 400) < 0.03, `x ${centre.x}`);
  assert.ok(Math.abs(centre.y - 140 / 200) < 0.05, `y ${centre.y}`);
  assert.equal(await maskCentre(new Uint8Array(width * height), width, height), null);
});
