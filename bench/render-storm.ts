/**
 * The event loop during a render storm: `/healthz` and a small GraphQL query, sent back to
 * back, while full-size renders of the 15.9 MP fixture run (depth of field, the slowest
 * kind), against the same probes on the idle gateway in the same run. The embedded
 * all-in-one gateway as `npm start` runs it, in its own process.
 *
 *   node --import tsx bench/render-storm.ts [--renders N]   (default 4; 6 shows the BUSY bound)
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { Client, fixturePath } from '../test/helpers/client.js';
import { CLI, runCli, startMaskgraph } from '../test/helpers/processes.js';

const args = process.argv.slice(2);
const RENDERS = args.includes('--renders') ? Number(args[args.indexOf('--renders') + 1]) : 4;

function percentiles(samples: number[]) {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
  return `n=${String(sorted.length).padStart(4)}  p50 ${at(0.5).toFixed(1).padStart(6)} ms  p99 ${at(0.99).toFixed(1).padStart(6)} ms  max ${sorted.at(-1)!.toFixed(1).padStart(7)} ms`;
}

/** Probes until `until` settles; the latency of each probe. */
async function probe(send: () => Promise<unknown>, until: Promise<unknown>): Promise<number[]> {
  let done = false;
  void until.finally(() => (done = true));
  const samples: number[] = [];
  while (!done) {
    const started = performance.now();
    await send();
    samples.push(performance.now() - started);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  return samples;
}

const dataDir = await mkdtemp(join(tmpdir(), 'maskgraph-storm-'));
const gateway = await startMaskgraph(['serve'], { DATA_DIR: dataDir, WARM_UP: 'false' }, 120_000);
try {
  const key = (await runCli(process.execPath, [CLI, 'keys', 'create', 'storm'], { env: { ...process.env, DATA_DIR: dataDir } })).stdout.trim();
  const client = new Client(gateway.url, key);
  const healthz = () => fetch(`${gateway.url}/healthz`).then((response) => response.arrayBuffer());
  const small = () => client.query('{ assets(first: 5) { totalCount } }');
  const photo = await sharp(fixturePath('dandelion-large.jpg')).jpeg({ quality: 90 }).toBuffer();
  const assetId = (await client.upload(photo, { filename: 'big.jpg', selection: 'id' })).data.uploadAsset.id;
  const segmentation = (
    await client.query(`mutation($id: ID!) { segmentAsset(input: { assetId: $id, wait: true, waitTimeoutMs: 120000 }) { id status } }`, { id: assetId })
  ).data.segmentAsset;
  if (segmentation.status !== 'SUCCEEDED') throw new Error(JSON.stringify(segmentation));

  const idle = new Promise((resolve) => setTimeout(resolve, 3000));
  const [idleHealth, idleSmall] = await Promise.all([probe(healthz, idle), probe(small, idle)]);
  const started = performance.now();
  const storm = Promise.all(
    Array.from({ length: RENDERS }, (_, index) =>
      client.query('query($id: ID!, $input: EffectInput!) { segmentation(id: $id) { effect(input: $input, output: { format: JPEG }) { width height } } }', {
        id: segmentation.id,
        input: { depthOfField: { strength: 0.3 + 0.1 * index } },
      }),
    ),
  );
  const [stormHealth, stormSmall] = await Promise.all([probe(healthz, storm), probe(small, storm)]);
  const results = await storm;
  const busy = results.filter((result) => result.errors?.[0]?.extensions?.code === 'BUSY').length;
  const rendered = results.filter((result) => !result.errors).length;
  console.log(
    `render storm: ${RENDERS} full-size DEPTH_OF_FIELD renders of a 5312×2988 photo at once (${rendered} rendered, ${busy} BUSY) in ${((performance.now() - started) / 1000).toFixed(1)} s`,
  );
  console.log(`/healthz idle          ${percentiles(idleHealth)}`);
  console.log(`/healthz during storm  ${percentiles(stormHealth)}`);
  console.log(`small query idle       ${percentiles(idleSmall)}`);
  console.log(`small query in storm   ${percentiles(stormSmall)}`);
} finally {
  await gateway.stop();
  await rm(dataDir, { recursive: true, force: true });
}
