import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { mattingErrors } from '../../../src/metrics/matting.js';

/** A `size × size` alpha: a soft-edged disc (a linear ramp `soft` px wide at radius `radius`). */
function disc(size: number, radius: number, soft: number, centre = size / 2): Uint8Array {
  const alpha = new Uint8Array(size * size);
  for (let y = 0; y < size; y += 1)
    for (let x = 0; x < size; x += 1) {
      const d = Math.hypot(x + 0.5 - centre, y + 0.5 - centre) - radius;
      alpha[y * size + x] = Math.round(255 * Math.min(1, Math.max(0, 0.5 - d / soft)));
    }
  return alpha;
}

describe('matting errors', () => {
  test('are all zero for the true alpha itself', () => {
    const truth = disc(64, 20, 6);
    const { overall, band, bandPixels } = mattingErrors(truth, truth, 64, 64);
    assert.deepEqual(overall, { sad: 0, mse: 0, gradient: 0, connectivity: 0 });
    assert.deepEqual(band, { sad: 0, mse: 0, gradient: 0, connectivity: 0 });
    assert.ok(bandPixels > 200, `${bandPixels} soft pixels`);
  });

  test('SAD and MSE are the sums and means of |α − α_gt| over the image and the band', () => {
    const truth = disc(64, 20, 6);
    const hard = Uint8Array.from(truth, (value) => (value >= 128 ? 255 : 0));
    const { overall, band, bandPixels } = mattingErrors(hard, truth, 64, 64);
    let [sad, squares, bandSquares] = [0, 0, 0];
    for (let i = 0; i < truth.length; i += 1) {
      const d = (hard[i]! - truth[i]!) / 255;
      sad += Math.abs(d);
      squares += d * d;
      if (truth[i]! > 0 && truth[i]! < 255) bandSquares += d * d;
    }
    assert.equal(overall.sad, sad / 1000);
    assert.ok(Math.abs(overall.mse - squares / truth.length) < 1e-15, 'expected: Math.abs(overall.mse - squares / truth.length) < 1e-15');
    assert.equal(band.sad, overall.sad, 'a hard mask differs only where the truth is soft');
    assert.ok(Math.abs(band.mse - bandSquares / bandPixels) < 1e-15, 'expected: Math.abs(band.mse - bandSquares / bandPixels) < 1e-15');
    assert.ok(band.mse > overall.mse, 'expected: band.mse > overall.mse');
  });

  test('the gradient error grows as an edge that should be soft is made hard', () => {
    const truth = disc(64, 20, 8);
    const hard = Uint8Array.from(truth, (value) => (value >= 128 ? 255 : 0));
    const softer = disc(64, 20, 5);
    const errors = [softer, hard].map((alpha) => mattingErrors(alpha, truth, 64, 64).overall.gradient);
    assert.ok(errors[0]! > 0 && errors[1]! > errors[0]!, `gradient error ${errors.join(' < ')}`);
  });

  test('the connectivity error counts a blob of alpha that the truth does not connect to its subject', () => {
    const truth = disc(96, 20, 4, 40);
    const withBlob = Uint8Array.from(truth);
    for (let y = 80; y < 90; y += 1) for (let x = 80; x < 90; x += 1) withBlob[y * 96 + x] = 255;
    const errors = mattingErrors(withBlob, truth, 96, 96);
    // Each of the blob's 100 pixels leaves the joint component at the first level: φ 0 against 1.
    assert.ok(Math.abs(errors.overall.connectivity - 100 / 1000) < 1e-12, `connectivity ${errors.overall.connectivity}`);
    assert.equal(errors.overall.sad, 100 / 1000);
    assert.equal(errors.band.connectivity, 0, 'the blob is outside the band');
  });
});
