import assert from 'node:assert/strict';
import { test } from 'node:test';
import { computeHce } from '../../../src/metrics/hce.js';
import { estimateMaskQuality } from '../../../src/metrics/mask-estimates.js';
import { MetricsPool } from '../../../src/metrics/metrics-pool.js';

function draw(width: number, height: number, paint: (x: number, y: number) => number): Uint8Array {
  const mask = new Uint8Array(width * height);
  for (let y = 0; y < height; y += 1) for (let x = 0; x < width; x += 1) mask[y * width + x] = paint(x, y);
  return mask;
}

test('a solid disc: one fragment, no holes, no uncertainty, complexity near 1', () => {
  const estimates = estimateMaskQuality(
    draw(101, 101, (x, y) => ((x - 50) ** 2 + (y - 50) ** 2 <= 40 ** 2 ? 255 : 0)),
    101,
    101,
  );
  assert.deepEqual([estimates.fragments, estimates.holes, estimates.uncertainFraction], [1, 0, 0]);
  assert.ok(estimates.boundaryComplexity > 0.5 && estimates.boundaryComplexity < 1.5, String(estimates.boundaryComplexity));
});

test('two rings: two fragments, two holes; a soft band counts as uncertain', () => {
  const ring = (x: number, y: number, cx: number) => {
    const d = Math.hypot(x - cx, y - 30);
    return d >= 10 && d <= 20 ? 255 : 0;
  };
  const estimates = estimateMaskQuality(
    draw(120, 60, (x, y) => Math.max(ring(x, y, 30), ring(x, y, 90))),
    120,
    60,
  );
  assert.deepEqual([estimates.fragments, estimates.holes], [2, 2]);
  const soft = estimateMaskQuality(
    draw(10, 10, (x) => (x < 5 ? 128 : 0)),
    10,
    10,
  );
  assert.equal(soft.uncertainFraction, 0.5);
});

test('an empty mask has no fragments and zero complexity', () => {
  assert.deepEqual(estimateMaskQuality(new Uint8Array(64), 8, 8), { uncertainFraction: 0, fragments: 0, holes: 0, boundaryComplexity: 0 });
});

test("the disagreement is HCE with the other model's mask as the reference and this mask as the prediction, not the reverse", async () => {
  const [width, height] = [120, 100];
  const ring = draw(width, height, (x, y) => (Math.hypot(x - 60, y - 50) < 30 && Math.hypot(x - 60, y - 50) > 20 ? 255 : 0)); // the other model's
  const disc = draw(width, height, (x, y) => (Math.hypot(x - 60, y - 50) < 30 ? 255 : 0)); // this mask
  const asDocumented = (await computeHce(ring, disc, width, height, { variant: 'dis' })).hce;
  const reversed = (await computeHce(disc, ring, width, height, { variant: 'dis' })).hce;
  assert.notEqual(asDocumented, reversed, 'a pair on which the order matters');
  const worker = new MetricsPool({ threads: 1, maxPixels: 1_000_000 });
  try {
    assert.equal((await worker.estimate({ ownerId: 'test', lane: 'interactive' }, disc, ring, width, height)).disagreementHce, asDocumented);
  } finally {
    await worker.close();
  }
});
