/**
 * JOB_TIMEOUT_MS measures a model run, not the wait for the engine: a job queued behind a
 * slow one must not time out for having waited. Real IS-Net weights, one run at a time.
 */
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { after, test } from 'node:test';
import { InferenceEngine } from '../../../src/inference/engine.js';
import { MODELS_DIR } from '../../../src/inference/models-dir.js';
import { ModelRegistry } from '../../../src/inference/registry.js';
import { FIXTURES } from '../../helpers/client.js';

const engine = new InferenceEngine(await ModelRegistry.load(MODELS_DIR), { intraOpThreads: 2, maxConcurrentRuns: 1, executionProvider: 'cpu' });
after(() => engine.close());

test('a timeout counts from the start of the run; a run that times out is refused with a clear message', async () => {
  const photo = await readFile(`${FIXTURES}/composites/c1-bear-meadow.jpg`);
  await engine.warmUp('isnet-general');
  let started = performance.now();
  await engine.segment('isnet-general', photo);
  const oneRunMs = performance.now() - started;

  // Two runs at once: the second waits about one run for the slot, then runs about one more.
  // With the wait counted it would need ~2 runs and miss a 1.6-run timeout.
  started = performance.now();
  const first = engine.segment('isnet-general', photo);
  const second = engine.segment('isnet-general', photo, { timeoutMs: Math.round(1.6 * oneRunMs) });
  const [, queued] = await Promise.all([first, second]);
  const bothMs = performance.now() - started;
  assert.ok(bothMs > 1.6 * oneRunMs, `the second run really waited (${bothMs.toFixed(0)} ms for both, one run ${oneRunMs.toFixed(0)} ms)`);
  assert.equal(queued.width, 1024, 'the queued run finished despite its wait');

  await assert.rejects(engine.segment('isnet-general', photo, { timeoutMs: Math.max(1, Math.round(0.2 * oneRunMs)) }), (error: Error & { code?: string }) => {
    assert.equal(error.code, 'INFERENCE_FAILED');
    assert.match(error.message, /did not finish within \d+ ms/);
    return true;
  });
});
