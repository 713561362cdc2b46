/**
 * JOB_TIMEOUT_MS measures a model run, not the wait for the engine: a job queued behind a
 * slow one must not time out for having waited. Checked by order of events, not by speed:
 * real IS-Net weights, one run at a time.
 */
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { after, test } from 'node:test';
import { InferenceEngine } from '../../../src/inference/engine.js';
import { MODELS_DIR } from '../../../src/config/models-dir.js';
import { ModelRegistry } from '../../../src/inference/registry.js';
import { FIXTURES } from '../../helpers/client.js';

const engine = new InferenceEngine(await ModelRegistry.load(MODELS_DIR), { intraOpThreads: 2, maxConcurrentRuns: 1, executionProvider: 'cpu' });
after(() => engine.close());

test('a timeout counts from the start of the run, so a queued run never times out while it waits', async () => {
  const photo = await readFile(`${FIXTURES}/composites/c1-bear-meadow.jpg`);
  const events: string[] = [];
  // The second run waits for the first (one at a time). Its 1 ms starts only when it runs:
  // it times out after the first has finished, never while it waits.
  const first = engine.segment('isnet-general', photo).then(() => events.push('first finished'));
  const second = engine.segment('isnet-general', photo, { timeoutMs: 1 }).then(
    () => events.push('second finished'),
    (error: Error & { code?: string }) => {
      events.push('second timed out');
      return error;
    },
  );
  const [, refusal] = await Promise.all([first, second]);
  assert.deepEqual(events, ['first finished', 'second timed out']);
  assert.equal((refusal as { code?: string }).code, 'INFERENCE_FAILED');
  assert.match((refusal as Error).message, /did not finish within 1 ms/);
  // The timed-out run keeps its thread until it ends; the engine then serves the next run.
  assert.equal((await engine.segment('isnet-general', photo)).width, 1024);
});
