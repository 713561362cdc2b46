import assert from 'node:assert/strict';
import { test } from 'node:test';
import { maskStats } from '../../../src/metrics/mask-stats.js';

function naive(mask: Uint8Array, width: number, height: number) {
  let count = 0,
    minX = Infinity,
    minY = Infinity,
    maxX = -1,
    maxY = -1;
  for (let y = 0; y < height; y += 1)
    for (let x = 0; x < width; x += 1) {
      if (mask[y * width + x]! < 128) continue;
      count += 1;
      minX = Math.min(minX, x);
      maxX = Math.max(maxX, x);
      minY = Math.min(minY, y);
      maxY = Math.max(maxY, y);
    }
  return { foregroundRatio: count / (width * height), boundingBox: count ? { x: minX, y: minY, width: maxX - minX + 1, height: maxY - minY + 1 } : undefined };
}

test('maskStats agrees with a pixel-by-pixel count on odd sizes and unaligned views', () => {
  for (const [width, height, offset] of [
    [7, 5, 0],
    [33, 17, 1],
    [101, 3, 3],
    [1, 1, 2],
  ] as const) {
    const backing = new Uint8Array(width * height + offset);
    for (let i = 0; i < backing.length; i += 1) backing[i] = Math.random() < 0.05 ? 128 + Math.floor(Math.random() * 128) : Math.floor(Math.random() * 128);
    const mask = backing.subarray(offset);
    assert.deepEqual(maskStats(mask, width, height), naive(mask, width, height), `${width}×${height}+${offset}`);
  }
  assert.deepEqual(maskStats(new Uint8Array(12), 4, 3), { foregroundRatio: 0, boundingBox: undefined });
});
