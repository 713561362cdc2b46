/**
 * sharp resets libvips's process-wide thread count to 1 whenever a thread loads it (on glibc
 * without jemalloc, as here): every worker thread must put SHARP_CONCURRENCY back, or the
 * first thread to start halves the speed of every image operation in the process (a 16 MP
 * mask's enlargement took 180 ms instead of 92).
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import sharp from 'sharp';
import { configureImageLibrary } from '../../../src/assets/image.js';
import { MetricsPool } from '../../../src/metrics/metrics-pool.js';

test('SHARP_CONCURRENCY survives a worker thread that loads sharp', async () => {
  configureImageLibrary(2);
  assert.equal(sharp.concurrency(), 2);
  const worker = new MetricsPool({ threads: 1, maxPixels: 1_000_000 });
  try {
    const mask = new Uint8Array(64 * 64).fill(255);
    await worker.estimate({ ownerId: 'test', lane: 'interactive' }, mask, undefined, 64, 64); // the thread has started and loaded its modules, sharp included
    assert.equal(sharp.concurrency(), 2, 'the thread put the configured thread count back');
  } finally {
    await worker.close();
  }
});
