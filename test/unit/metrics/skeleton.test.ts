import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { test } from 'node:test';
import sharp from 'sharp';
import { skeletonize } from '../../../src/metrics/skeleton.js';
import { FIXTURES } from '../../helpers/client.js';

const DIR = `${FIXTURES}/metrics`;
const { pairs } = JSON.parse(await readFile(`${DIR}/reference.json`, 'utf8')) as {
  pairs: { id: string; gt: string; gt_skeleton: string; width: number; height: number }[];
};

async function binary(path: string): Promise<Uint8Array> {
  const data = await sharp(`${DIR}/${path}`).toColourspace('b-w').raw().toBuffer();
  return Uint8Array.from(data, (value) => (value > 128 ? 1 : 0));
}

test('skeletonize reproduces scikit-image on every fixture ground truth', async () => {
  for (const pair of pairs) {
    const skeleton = skeletonize(await binary(pair.gt), pair.width, pair.height);
    const expected = await binary(pair.gt_skeleton);
    let differing = 0;
    for (let i = 0; i < expected.length; i += 1) if (skeleton[i] !== expected[i]) differing += 1;
    assert.equal(differing, 0, `${pair.id}: ${differing} pixels differ`);
  }
});

test('skeletonize costs a bounded number of evaluations per pixel, however thick the shape', () => {
  // A solid square is the reference's worst case: it rescans the whole remaining shape once
  // per layer peeled, area × thickness. Here each pixel is evaluated a bounded number of times.
  for (const side of [100, 400, 1200]) {
    const mask = new Uint8Array(side * side).fill(1);
    const work = { evaluations: 0 };
    const skeleton = skeletonize(mask, side, side, work);
    assert.ok(skeleton.includes(1), `${side}²: the square keeps a skeleton`);
    const perPixel = work.evaluations / (side * side);
    assert.ok(perPixel <= 20, `${side}²: ${perPixel.toFixed(1)} evaluations per pixel`);
  }
});
