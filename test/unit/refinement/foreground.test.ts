/**
 * Foreground colour estimation against known F: a synthetic soft edge, small (one whole
 * level below the band) and wide (whole levels stop at COARSE_SIDE), and the soft-alpha composites of
 * test/fixtures/matting, whose true foreground colour is stored next to them.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import sharp from 'sharp';
import { foregroundError } from '../../../src/metrics/foreground-error.js';
import { estimateForeground } from '../../../src/refinement/foreground.js';
import { COMPOSITES } from '../../fixtures/matting/make-composites.js';
import { FIXTURES } from '../../helpers/client.js';

/**
 * A subject whose colour changes down the image (red to yellow) over a background that
 * changes across it (blue to green), a soft edge `soft` px wide in the middle.
 */
function softEdge(width: number, height: number, soft: number) {
  const [rgb, alpha, foreground] = [new Uint8Array(width * height * 3), new Uint8Array(width * height), new Uint8Array(width * height * 3)];
  for (let y = 0; y < height; y += 1) {
    for (let x = 0; x < width; x += 1) {
      const i = y * width + x;
      const a = Math.min(1, Math.max(0, (x - width / 2) / soft + 0.5));
      const f = [230, Math.round((200 * y) / height), 20];
      const b = [20, Math.round((200 * x) / width), 220];
      alpha[i] = Math.round(255 * a);
      for (let c = 0; c < 3; c += 1) {
        foreground[i * 3 + c] = f[c]!;
        rgb[i * 3 + c] = Math.round(a * f[c]! + (1 - a) * b[c]!);
      }
    }
  }
  return { rgb, alpha, foreground };
}

describe('foreground estimation', () => {
  test('its error counts soft pixels only, each weighted by its alpha', () => {
    const alpha = Uint8Array.from([0, 255, 51, 204]);
    const truth = new Uint8Array(12).fill(100);
    const estimate = Uint8Array.from([0, 0, 0, 0, 0, 0, 130, 130, 130, 90, 100, 110]);
    // (0.2·30 + 0.8·(10 + 0 + 10)/3) / 2 over the two soft pixels.
    assert.ok(
      Math.abs(foregroundError(estimate, truth, alpha) - (0.2 * 30 + (0.8 * 20) / 3) / 2) < 1e-12,
      'expected: Math.abs(foregroundError(estimate, truth, alpha) - (0.2 * 30 + (0.8 * 20) / 3) / 2) < 1e-12',
    );
  });

  for (const [label, width, height] of [
    ['a small photo', 96, 64],
    ['a photo wider than the whole levels', 1600, 48],
  ] as const) {
    test(`recovers the subject's colour on a soft edge (${label})`, () => {
      const { rgb, alpha, foreground } = softEdge(width, height, 12);
      const estimate = estimateForeground({ rgb, alpha, width, height });
      const [before, after] = [foregroundError(rgb, foreground, alpha), foregroundError(estimate, foreground, alpha)];
      assert.ok(after < before / 5, `error ${after.toFixed(2)} estimated, ${before.toFixed(2)} in the photo`);
      const opaque = alpha.findIndex((value) => value === 255);
      assert.deepEqual([...estimate.subarray(opaque * 3, opaque * 3 + 3)], [...rgb.subarray(opaque * 3, opaque * 3 + 3)], 'opaque pixels keep the photo');
    });
  }

  test('on the soft-alpha composites it removes most of the old background from the edges', async () => {
    const errors: { name: string; photo: number; estimate: number }[] = [];
    for (const { name } of COMPOSITES) {
      const { data: rgb, info } = await sharp(`${FIXTURES}matting/${name}.jpg`).raw().toBuffer({ resolveWithObject: true });
      const alpha = await sharp(`${FIXTURES}matting/${name}.alpha.png`).toColourspace('b-w').raw().toBuffer();
      const truth = await sharp(`${FIXTURES}matting/${name}.foreground.png`).removeAlpha().raw().toBuffer();
      const estimate = estimateForeground({ rgb, alpha, width: info.width, height: info.height });
      errors.push({ name, photo: foregroundError(rgb, truth, alpha), estimate: foregroundError(estimate, truth, alpha) });
    }
    const mean = (key: 'photo' | 'estimate') => errors.reduce((sum, error) => sum + error[key], 0) / errors.length;
    assert.ok(mean('estimate') < 0.6 * mean('photo'), JSON.stringify(errors));
    // The oak's leaves are a fine texture that the smoothness term flattens a little (measured 1.13×).
    for (const error of errors) assert.ok(error.estimate < 1.2 * error.photo, JSON.stringify(error));
  });
});
