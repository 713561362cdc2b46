/**
 * Scale-out against its floors, in one run on this machine (a ratio, never a timed test):
 *
 *   latency     a small query (`{ assets(first: 5) { totalCount } }`), sent back to back,
 *               on an idle gateway and while workers are saturated with segmentations and
 *               the gateway renders 4 full-size effects of a 16 MP photo: p50 / p99 / max,
 *               for the split deployment (1 API process + 2 worker processes, PostgreSQL)
 *               and for the all-in-one default (one process, PGlite).
 *   throughput  segmentations per second with 1 worker and with 2 workers (separate
 *               processes), and per-core efficiency: session.run floor × jobs / (wall × cores).
 *   integrity   every job SUCCEEDED, each run exactly once (attempts = 1, one "succeeded" log).
 *
 *   node --import tsx bench/scale.ts [--jobs N]      (PostgreSQL from BENCH_DATABASE_URL,
 *                                                      else TEST_DATABASE_URL, else 127.0.0.1/test)
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import ort from 'onnxruntime-node';
import pg from 'pg';
import sharp from 'sharp';
import { MODELS_DIR } from '../src/config/models-dir.js';
import { Client, fixturePath } from '../test/helpers/client.js';
import { CLI, runCli, startMaskgraph, type MaskgraphProcess } from '../test/helpers/processes.js';
import { median } from './timing.js';

const args = process.argv.slice(2);
const JOBS = args.includes('--jobs') ? Number(args[args.indexOf('--jobs') + 1]) : 12;
const DATABASE_URL = process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/test';
const SMALL_QUERY = '{ assets(first: 5) { totalCount } }';
const RENDERS = 4;
const SECRET = randomBytes(24).toString('hex');

const dirs: string[] = [];
const processes: MaskgraphProcess[] = [];
const tempDir = async () => {
  const dir = await mkdtemp(join(tmpdir(), 'maskgraph-scale-bench-'));
  dirs.push(dir);
  return dir;
};
async function start(args: string[], env: Record<string, string>, dataDir?: string): Promise<MaskgraphProcess> {
  const started = await startMaskgraph(
    args,
    {
      DATA_DIR: dataDir ?? (await tempDir()),
      URL_SIGNING_SECRET: SECRET,
      WARM_UP: 'true',
      MAX_QUEUED_JOBS: '10000',
      MAX_QUEUED_JOBS_PER_OWNER: '10000',
      ...env,
    },
    120_000,
  );
  processes.push(started);
  return started;
}

let variant = 0;
/** Same pixels, new bytes (a unique EXIF description): no job is answered from another's result. */
async function freshPhoto(): Promise<Buffer> {
  variant += 1;
  return sharp(fixturePath('grace-hopper.jpg'))
    .withExif({ IFD0: { ImageDescription: `scale bench ${variant}` } })
    .jpeg({ quality: 90 })
    .toBuffer();
}

function percentiles(samples: number[]) {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
  return { n: sorted.length, p50: at(0.5), p99: at(0.99), max: sorted.at(-1)! };
}

/** Sends the small query back to back until `until` settles; the latency of each. */
async function probe(client: Client, until: Promise<unknown>): Promise<number[]> {
  let done = false;
  void until.finally(() => (done = true));
  const samples: number[] = [];
  while (!done) {
    const started = performance.now();
    const response = await client.query(SMALL_QUERY);
    if (response.errors) throw new Error(JSON.stringify(response.errors));
    samples.push(performance.now() - started);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  return samples;
}

async function upload(client: Client, bytes: Buffer): Promise<string> {
  const response = await client.upload(bytes, { filename: 'photo.jpg', selection: 'id' });
  if (response.errors) throw new Error(JSON.stringify(response.errors));
  return response.data.uploadAsset.id;
}

async function segment(client: Client, assetId: string, wait = false): Promise<string> {
  const response = await client.query(`mutation($id: ID!) { segmentAsset(input: { assetId: $id, wait: ${wait}, waitTimeoutMs: 120000 }) { id status } }`, {
    id: assetId,
  });
  if (response.errors) throw new Error(JSON.stringify(response.errors));
  return response.data.segmentAsset.id;
}

async function waitAll(client: Client, ids: string[]): Promise<void> {
  for (;;) {
    const statuses = await Promise.all(
      ids.map(async (id) => (await client.query('query($id: ID!) { segmentation(id: $id) { status } }', { id })).data.segmentation.status as string),
    );
    if (statuses.some((status) => status === 'FAILED')) throw new Error('a job FAILED');
    if (statuses.every((status) => status === 'SUCCEEDED')) return;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/** Saturates: JOBS segmentations queued for the workers plus RENDERS full-size renders on the gateway. */
async function loaded(client: Client, bigSegmentationId: string): Promise<{ latency: ReturnType<typeof percentiles>; ids: string[] }> {
  const assetIds: string[] = [];
  for (let index = 0; index < JOBS; index += 1) assetIds.push(await upload(client, await freshPhoto()));
  const work = (async () => {
    const ids = await Promise.all(assetIds.map((id) => segment(client, id)));
    const renders = Array.from({ length: RENDERS }, (_, index) =>
      client.query('query($id: ID!, $input: EffectInput!) { segmentation(id: $id) { effect(input: $input, output: { format: JPEG }) { cacheStatus } } }', {
        id: bigSegmentationId,
        input: { backgroundBlur: { strength: 0.3 + 0.1 * index + 0.01 * (variant % 5) } },
      }),
    );
    await Promise.all([waitAll(client, ids), ...renders]);
    return ids;
  })();
  const samples = await probe(client, work);
  return { latency: percentiles(samples), ids: await work };
}

const row = (label: string, stats: ReturnType<typeof percentiles>) =>
  console.log(
    `${label.padEnd(34)} n=${String(stats.n).padStart(4)}  p50 ${stats.p50.toFixed(1).padStart(7)} ms  p99 ${stats.p99.toFixed(1).padStart(7)} ms  max ${stats.max.toFixed(1).padStart(7)} ms`,
  );

async function prepare(client: Client): Promise<string> {
  // The 16 MP photo's mask, for full-size renders.
  const big = await upload(client, await sharp(fixturePath('dandelion-large.jpg')).jpeg({ quality: 90 }).toBuffer());
  return segment(client, big, true);
}

const schema = `mg_bench_${randomBytes(4).toString('hex')}`;
const admin = new pg.Client({ connectionString: DATABASE_URL });
await admin.connect();
await admin.query(`CREATE SCHEMA "${schema}"`);
try {
  // --- the floor: session.run alone on a prepared tensor, same threads as a worker ---
  const threads = Math.max(1, Math.floor(availableParallelism() / 2));
  const session = await ort.InferenceSession.create(join(MODELS_DIR, 'isnet-general', 'model.onnx'), {
    intraOpNumThreads: threads,
    interOpNumThreads: 1,
    graphOptimizationLevel: 'all',
  });
  const input = new ort.Tensor('float32', new Float32Array(3 * 1024 * 1024).fill(0.1), [1, 3, 1024, 1024]);
  const floorRuns: number[] = [];
  for (let index = 0; index < 5; index += 1) {
    const started = performance.now();
    await session.run({ input }, ['output']);
    if (index >= 2) floorRuns.push(performance.now() - started);
  }
  await session.release();
  const floorMs = median(floorRuns);

  // --- split: 1 API + 2 workers on PostgreSQL, blobs on a shared folder ---
  const url = new URL(DATABASE_URL);
  url.searchParams.set('schema', schema);
  const shared = { DATABASE_URL: url.toString(), BLOB_DIR: await tempDir(), INFERENCE_THREADS: String(threads), QUEUE_POLL_SECONDS: '0.5' };
  await runCli(process.execPath, [CLI, 'db', 'deploy'], { env: { ...process.env, ...shared } });
  const key = (await runCli(process.execPath, [CLI, 'keys', 'create', 'bench'], { env: { ...process.env, ...shared } })).stdout.trim();
  const api = await start(['serve', '--role', 'api'], shared);
  const workers = await Promise.all([start(['worker'], shared), start(['worker'], shared)]);
  const client = new Client(api.url, key);
  const bigSegmentation = await prepare(client);
  console.log(
    `scale-out, ${availableParallelism()} cores, ${JOBS} IS-Net jobs per phase, ${RENDERS} full-size renders of a 15.9 MP photo, ${threads} ORT threads per worker`,
  );
  const idleSplit = percentiles(await probe(client, new Promise((resolve) => setTimeout(resolve, 3000))));
  row('split, idle', idleSplit);
  let started = performance.now();
  const busySplit = await loaded(client, bigSegmentation);
  const twoWorkerSeconds = (performance.now() - started) / 1000;
  row('split, workers saturated', busySplit.latency);

  // Throughput with one worker: stop the other, run the same batch without renders.
  await workers[1]!.stop();
  const oneWorkerIds: string[] = [];
  const oneWorkerAssets: string[] = [];
  for (let index = 0; index < JOBS; index += 1) oneWorkerAssets.push(await upload(client, await freshPhoto()));
  started = performance.now();
  for (const id of oneWorkerAssets) oneWorkerIds.push(await segment(client, id));
  await waitAll(client, oneWorkerIds);
  const oneWorkerSeconds = (performance.now() - started) / 1000;
  const twoWorkerAssets: string[] = [];
  const again = await start(['worker'], shared);
  for (let index = 0; index < JOBS; index += 1) twoWorkerAssets.push(await upload(client, await freshPhoto()));
  started = performance.now();
  const twoWorkerIds = await Promise.all(twoWorkerAssets.map((id) => segment(client, id)));
  await waitAll(client, twoWorkerIds);
  const twoWorkerPlainSeconds = (performance.now() - started) / 1000;

  // Integrity: every row of the run SUCCEEDED once.
  const allIds = [...busySplit.ids, ...oneWorkerIds, ...twoWorkerIds];
  const rows = (await admin.query(`SELECT status, attempts FROM "${schema}"."Segmentation" WHERE id = ANY($1::uuid[])`, [allIds])).rows as {
    status: string;
    attempts: number;
  }[];
  const succeededLogs = [workers[0]!, workers[1]!, again].flatMap((worker) =>
    worker.logs.filter((line) => line.msg === 'segmentation succeeded' && allIds.includes(String(line.id))),
  );
  const lost = allIds.length - rows.filter((item) => item.status === 'SUCCEEDED').length;
  const duplicated = rows.filter((item) => item.attempts !== 1).length + (succeededLogs.length - new Set(succeededLogs.map((line) => line.id)).size);
  await Promise.all([api, workers[0]!, again].map((child) => child.stop()));

  // --- all-in-one: the embedded default ---
  const singleDir = await tempDir();
  const single = await start(['serve'], { INFERENCE_THREADS: String(availableParallelism()) }, singleDir);
  // The embedded database is the gateway's alone: the key is made through it (control route).
  const singleKey = (await runCli(process.execPath, [CLI, 'keys', 'create', 'bench'], { env: { ...process.env, DATA_DIR: singleDir } })).stdout.trim();
  const singleClient = new Client(single.url, singleKey);
  const singleBig = await prepare(singleClient);
  const idleSingle = percentiles(await probe(singleClient, new Promise((resolve) => setTimeout(resolve, 3000))));
  row('all-in-one, idle', idleSingle);
  const busySingle = await loaded(singleClient, singleBig);
  row('all-in-one, jobs and renders running', busySingle.latency);
  await single.stop();

  const perCore = (seconds: number, workersUsed: number) => ((floorMs / 1000) * JOBS) / (seconds * Math.min(availableParallelism(), workersUsed * threads));
  console.log('');
  console.log(
    `p99 ratio saturated/idle: split ${(busySplit.latency.p99 / idleSplit.p99).toFixed(1)}×, all-in-one ${(busySingle.latency.p99 / idleSingle.p99).toFixed(1)}×`,
  );
  console.log(`session.run floor (isnet-general, 1024², ${threads} threads): ${floorMs.toFixed(0)} ms`);
  console.log(
    `throughput: 1 worker ${(JOBS / oneWorkerSeconds).toFixed(2)} jobs/s, 2 workers ${(JOBS / twoWorkerPlainSeconds).toFixed(2)} jobs/s (×${(oneWorkerSeconds / twoWorkerPlainSeconds).toFixed(2)}); with renders too: ${(JOBS / twoWorkerSeconds).toFixed(2)} jobs/s`,
  );
  console.log(
    `per-core efficiency against the floor: 1 worker ${(perCore(oneWorkerSeconds, 1) * 100).toFixed(0)} %, 2 workers ${(perCore(twoWorkerPlainSeconds, 2) * 100).toFixed(0)} %`,
  );
  console.log(`integrity: ${allIds.length} jobs, ${lost} lost, ${duplicated} duplicated`);
} finally {
  await Promise.all(processes.map((child) => child.stop(5_000)));
  await admin.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  await admin.query(`DROP SCHEMA IF EXISTS "${schema}_pgboss" CASCADE`);
  await admin.end();
  for (const dir of dirs) await rm(dir, { recursive: true, force: true });
}
