/**
 * The event loop stays free while big pictures render: `/healthz` of an all-in-one gateway
 * (its own process, as `npm start` runs it) answers within 100 ms throughout four full-size
 * depth-of-field renders of the 16-megapixel fixture. Renders run as libvips pipelines on
 * niced worker threads; one render on the event loop blocks it for seconds, so the bound
 * separates the two by far (measured: at most 44 ms on a 2-core machine, bench/render-storm.ts).
 */
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { Client, fixturePath } from '../helpers/client.js';
import { CLI, runCli, startMaskgraph } from '../helpers/processes.js';

const RENDERS = 4;
const BOUND_MS = 100;

test(`/healthz answers within ${BOUND_MS} ms while ${RENDERS} full-size renders of a 16 MP photo run`, { timeout: 300_000 }, async () => {
  const dataDir = await mkdtemp(join(tmpdir(), 'maskgraph-responsive-'));
  const gateway = await startMaskgraph(['serve'], { DATA_DIR: dataDir, WARM_UP: 'false' }, 120_000);
  try {
    const key = (await runCli(process.execPath, [CLI, 'keys', 'create', 'storm'], { env: { ...process.env, DATA_DIR: dataDir } })).stdout.trim();
    const client = new Client(gateway.url, key);
    const assetId = (await client.upload(fixturePath('dandelion-large.jpg'), { selection: 'id' })).data!.uploadAsset.id;
    const segmented = await client.query(`mutation($id: ID!) { segmentAsset(input: { assetId: $id, model: "isnet-general-q8", wait: true, waitTimeoutMs: 120000 }) { id status } }`, { id: assetId });
    assert.equal(segmented.data.segmentAsset.status, 'SUCCEEDED');

    let rendering = true;
    const renders = Promise.all(
      Array.from({ length: RENDERS }, (_, index) =>
        client.query('query($id: ID!, $input: EffectInput!) { segmentation(id: $id) { effect(input: $input, output: { format: JPEG }) { width } } }', {
          id: segmented.data.segmentAsset.id,
          input: { depthOfField: { strength: 0.3 + 0.1 * index } },
        }),
      ),
    ).finally(() => (rendering = false));
    const latencies: number[] = [];
    while (rendering) {
      const started = performance.now();
      assert.equal((await fetch(`${gateway.url}/healthz`)).status, 200);
      latencies.push(performance.now() - started);
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    const results = await renders;
    assert.deepEqual(results.map((result) => result.errors ?? result.data.segmentation.effect.width), Array(RENDERS).fill(5312), 'every render finished at full size');
    assert.ok(latencies.length >= 20, `${latencies.length} probes during the renders`);
    const slowest = Math.max(...latencies);
    assert.ok(slowest < BOUND_MS, `slowest /healthz ${slowest.toFixed(1)} ms of ${latencies.length}`);
  } finally {
    await gateway.stop();
    await rm(dataDir, { recursive: true, force: true });
  }
});
