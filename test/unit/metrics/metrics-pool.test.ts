import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isAppError } from '../../../src/errors.js';
import { MetricsPool } from '../../../src/metrics/metrics-pool.js';

/** A solid ground truth (the skeleton's worst case) and a prediction that misses a band of it. */
function pair(width: number, height: number): { gt: Uint8Array; pred: Uint8Array } {
  const gt = new Uint8Array(width * height);
  const pred = new Uint8Array(width * height);
  for (let r = 10; r < height - 10; r += 1)
    for (let c = 10; c < width - 10; c += 1) {
      gt[r * width + c] = 255;
      if (c > 30) pred[r * width + c] = 255;
    }
  return { gt, pred };
}

test("another owner's small correction finishes first while one owner's large scorings run on real threads", { timeout: 120_000 }, async () => {
  const pool = new MetricsPool({ threads: 2, maxPixels: 10_000_000 });
  try {
    const large = pair(1600, 1200);
    const small = pair(120, 90);
    const finished: string[] = [];
    const run = (name: string, ownerId: string, masks: { gt: Uint8Array; pred: Uint8Array }, width: number, height: number) =>
      pool.correctionEffort({ ownerId, lane: 'interactive' }, masks.gt, masks.pred, masks.pred, width, height).then(() => finished.push(name));
    // Both threads warm (OpenCV loaded) so start-up does not decide the order.
    await Promise.all([run('warm-1', 'X', small, 120, 90), run('warm-2', 'Y', small, 120, 90)]);
    finished.length = 0;
    const all = [1, 2, 3, 4].map((k) => run(`A${k}`, 'A', large, 1600, 1200));
    await new Promise((resolve) => setTimeout(resolve, 50));
    all.push(run('B', 'B', small, 120, 90));
    await Promise.all(all);
    assert.equal(finished[0], 'B', `B's small scoring is not queued behind A's large ones: ${finished.join(' ')}`);
  } finally {
    await pool.close();
  }
});

test('a mask past METRICS_MAX_PIXELS is refused before any work, naming the budget', async () => {
  const pool = new MetricsPool({ threads: 1, maxPixels: 1000 });
  try {
    const masks = pair(40, 30);
    await assert.rejects(
      pool.score({ ownerId: 'A', lane: 'batch' }, masks.gt, masks.pred, 40, 30),
      (error) => isAppError(error) && error.code === 'PAYLOAD_TOO_LARGE' && /METRICS_MAX_PIXELS/.test(error.message),
      'PAYLOAD_TOO_LARGE naming the setting',
    );
  } finally {
    await pool.close();
  }
});
