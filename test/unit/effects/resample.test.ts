/**
 * Depth of field's JavaScript resampling (src/effects/steps/resample.ts): bilinear with
 * centred pixels, colours weighted by alpha, and the composite over the photo under the
 * subject, each against values worked out by hand.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { axis, resampled, underSubject } from '../../../src/effects/steps/resample.js';

const pixels = (...values: number[][]) => Buffer.from(values.flat());

describe('resample', () => {
  test('axis: centred pixels, clamped at the edges', () => {
    // 2 → 4: target centres at −0.25 (clamped to 0), 0.25, 0.75, 1.25 (clamped to 1).
    const { lower, upper, share } = axis(2, 4);
    assert.deepEqual([...lower], [0, 0, 0, 1]);
    assert.deepEqual([...upper], [1, 1, 1, 1]);
    assert.deepEqual([...share], [0, 0.25, 0.75, 0]);
  });

  test('resampled mixes opaque neighbours linearly', () => {
    const red = [255, 0, 0, 255];
    const blue = [0, 0, 255, 255];
    const out = resampled({ rgba: pixels(red, blue), width: 2, height: 1 }, 4, 1);
    assert.deepEqual([...out], [...red, 191, 0, 64, 255, 64, 0, 191, 255, ...blue]);
  });

  test('resampled lends no colour from a pixel without weight; alpha is interpolated', () => {
    const red = [255, 0, 0, 255];
    const nothing = [0, 0, 0, 0];
    const out = resampled({ rgba: pixels(red, nothing), width: 2, height: 1 }, 4, 2);
    for (let y = 0; y < 2; y += 1) {
      const row = [...out.subarray(y * 16, y * 16 + 16)];
      assert.deepEqual(row, [...red, 255, 0, 0, 191, 255, 0, 0, 64, 0, 0, 0, 0], `row ${y}`);
    }
  });

  test('underSubject: the layer over the photo, the photo again under the mask', () => {
    // A 2 × 1 photo under a 1 × 1 layer: every output pixel samples the one layer pixel.
    const photo = Buffer.from([10, 20, 30, 200, 100, 50]);
    const compose = (layer: number[], mask: number[]) => [...underSubject(photo, Buffer.from(mask), 2, 1, { rgba: pixels(layer), width: 1, height: 1 })];
    const opaque = [250, 0, 100, 255];
    assert.deepEqual(compose(opaque, [255, 255]), [...photo], 'the subject is the photo, unchanged');
    assert.deepEqual(compose([250, 0, 100, 0], [0, 0]), [...photo], 'a layer without alpha leaves the photo');
    assert.deepEqual(compose(opaque, [0, 0]), [250, 0, 100, 250, 0, 100], 'an opaque layer covers the background');
    // Half the layer over the photo, then the mask's 128/255 of the photo over that.
    const half = compose([250, 0, 100, 128], [128, 0]);
    const over = (p: number, l: number) => p * (1 - 128 / 255) + l * (128 / 255);
    const expected = [
      ...[10, 20, 30].map((p, c) => Math.round(p * (128 / 255) + over(p, [250, 0, 100][c]!) * (127 / 255))),
      ...[200, 100, 50].map((p, c) => Math.round(over(p, [250, 0, 100][c]!))),
    ];
    assert.deepEqual(half, expected);
  });
});
