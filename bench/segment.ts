/**
 * Segmentation cost against its floor, in one run on one machine:
 *   floor       onnxruntime `session.run` alone on an already-prepared input tensor
 *               (same weights, same thread count as the gateway)
 *   end-to-end  `segmentAsset(wait: true)` over HTTP for an uploaded photo, until the
 *               answer arrives; the stages come from the job's recorded timings:
 *               queue wait (row committed → run started), pre/inference/post, store, and
 *               store → answer (row SUCCEEDED → the client has the answer)
 * for each photo and for IS-Net medium (isnet-general) and small (isnet-general-q8), in two
 * deployments: `embedded` (one process on PGlite, the default) and `split` (an API process
 * and a worker process on PostgreSQL, started here; needs TEST_DATABASE_URL or DATABASE_URL).
 * Every run uses new image bytes (a unique EXIF field), so no run is answered from the reuse
 * cache, and the next floor is measured only after the run's review priority has landed, so
 * background work never overlaps a measurement.
 *
 *   node --import tsx bench/segment.ts [--runs N] [--mode embedded|split|both] [--throughput JOBS] [--rss JOBS]
 *     --throughput JOBS  also compare one client against 8 concurrent clients (embedded)
 *     --rss JOBS         also run JOBS consecutive jobs and print the RSS along the way (embedded)
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import ort from 'onnxruntime-node';
import pg from 'pg';
import sharp from 'sharp';
import { ApiKeyService } from '../src/auth/api-keys.js';
import { loadConfig } from '../src/config/config.js';
import { MODELS_DIR } from '../src/config/models-dir.js';
import { createLogger } from '../src/lib/logger.js';
import { startGateway } from '../src/main.js';
import { OwnerRepository } from '../src/storage/repositories/owner.repository.js';
import { Client, fixturePath, settledReviewPriority } from '../test/helpers/client.js';
import { CLI, runCli, startMaskgraph } from '../test/helpers/processes.js';
import { median } from './timing.js';

const args = process.argv.slice(2);
const option = (name: string, fallback: number) => {
  const index = args.indexOf(name);
  return index === -1 ? fallback : Number(args[index + 1]);
};
const RUNS = option('--runs', 3);
const THROUGHPUT_JOBS = option('--throughput', 0);
const RSS_JOBS = option('--rss', 0);
const MODE = args.includes('--mode') ? args[args.indexOf('--mode') + 1]! : 'both';
if (!['embedded', 'split', 'both'].includes(MODE)) throw new Error('--mode is embedded, split or both');
const PHOTOS = ['cat-chelsea.png', 'grace-hopper.jpg', 'fig-bowl.jpg', 'dogs-portrait.jpg', 'dandelion-large.jpg'];
const MODELS = ['isnet-general', 'isnet-general-q8'];
const THREADS = availableParallelism();

let variant = 0;
/** The photo as a JPEG with a unique EXIF description: same pixels, new bytes, new content key. */
async function freshBytes(photo: string): Promise<Buffer> {
  variant += 1;
  return sharp(fixturePath(photo))
    .withExif({ IFD0: { ImageDescription: `maskgraph bench ${variant}` } })
    .jpeg({ quality: 92 })
    .toBuffer();
}

interface Run {
  endToEndMs: number;
  queueWaitMs: number;
  preprocessMs: number;
  inferenceMs: number;
  postprocessMs: number;
  storeMs: number;
  storeToAnswerMs: number;
}

async function segmentOnce(client: Client, photo: string, model: string): Promise<Run> {
  const upload = await client.upload(await freshBytes(photo), { filename: 'photo.jpg', selection: 'id' });
  const started = performance.now();
  const response = await client.query(
    `mutation($id: ID!, $model: String) { segmentAsset(input: { assetId: $id, model: $model, wait: true, waitTimeoutMs: 120000 }) {
      id status reused finishedAt timings { queueWaitMs preprocessMs inferenceMs postprocessMs storeMs } } }`,
    { id: upload.data!.uploadAsset.id, model },
  );
  const answeredAt = Date.now();
  const endToEndMs = performance.now() - started;
  const result = response.data.segmentAsset;
  if (result.status !== 'SUCCEEDED' || result.reused) throw new Error(JSON.stringify(response));
  await settledReviewPriority(client, result.id); // its background work ends before the next measurement
  // finishedAt is stamped just before the row's final write; the answer follows its event.
  return { endToEndMs, ...result.timings, storeToAnswerMs: answeredAt - new Date(result.finishedAt).getTime() };
}

async function measure(client: Client, mode: string): Promise<void> {
  console.log(`\n${mode}: segmentation, ${RUNS} runs per cell (medians), ${THREADS} ORT threads, sharp threads per op ${sharp.concurrency()}`);
  console.log(
    'photo                 MP    model             floor ms  infer ms  e2e ms  e2e/floor  queue ms  pre ms  post ms  store ms  store→answer ms  e2e−infer ms',
  );
  for (const model of MODELS) {
    const session = await ort.InferenceSession.create(join(MODELS_DIR, model, 'model.onnx'), {
      intraOpNumThreads: THREADS,
      interOpNumThreads: 1,
      graphOptimizationLevel: 'all',
    });
    const input = new ort.Tensor('float32', new Float32Array(3 * 1024 * 1024).fill(0.1), [1, 3, 1024, 1024]);
    for (let i = 0; i < 2; i += 1) await session.run({ input }, ['output']); // warm-up, as the gateway's first runs
    for (let i = 0; i < 3; i += 1) await segmentOnce(client, PHOTOS[0]!, model); // the gateway's first runs are slow too
    // The floor runs the same tensor whatever the photo: one median over every photo's runs
    // (a floor run before each job, interleaved) is steadier than one per photo.
    const floor: number[] = [];
    const rows: { photo: string; runs: Run[] }[] = [];
    for (const photo of PHOTOS) {
      const runs: Run[] = [];
      for (let i = 0; i < RUNS; i += 1) {
        const start = performance.now();
        await session.run({ input }, ['output']);
        floor.push(performance.now() - start);
        runs.push(await segmentOnce(client, photo, model));
      }
      rows.push({ photo, runs });
    }
    const floorMs = median(floor);
    for (const { photo, runs } of rows) {
      const { width, height } = await sharp(fixturePath(photo)).metadata();
      const pick = (key: keyof Run) => median(runs.map((run) => run[key]));
      const cell = (value: number, width: number) => value.toFixed(0).padStart(width);
      console.log(
        `${photo.padEnd(21)} ${((width * height) / 1e6).toFixed(1).padStart(4)}  ${model.padEnd(17)} ${cell(floorMs, 8)} ${cell(pick('inferenceMs'), 9)} ${cell(pick('endToEndMs'), 7)} ${(pick('endToEndMs') / floorMs).toFixed(2).padStart(10)} ${cell(pick('queueWaitMs'), 9)} ${cell(pick('preprocessMs'), 7)} ${cell(pick('postprocessMs'), 8)} ${cell(pick('storeMs'), 9)} ${cell(pick('storeToAnswerMs'), 16)} ${cell(median(runs.map((run) => run.endToEndMs - run.inferenceMs)), 13)}`,
      );
    }
    await session.release();
  }
}

/** The all-in-one process on PGlite, in this process (as `npm start` runs it). */
async function embedded(): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'maskgraph-bench-'));
  const config = loadConfig({
    DATA_DIR: join(dir, 'data'),
    PORT: '0',
    LOG_LEVEL: 'error',
    WARM_UP: 'false',
    MAX_QUEUED_JOBS: '1000',
    INFERENCE_THREADS: String(THREADS),
  });
  const gateway = await startGateway(config, createLogger('error'));
  try {
    const owners = new OwnerRepository(gateway.database.prisma);
    const owner = await owners.createOwner('bench');
    const client = new Client(gateway.url, (await new ApiKeyService(owners).createKey(owner.id, 'bench')).secret);
    await measure(client, 'embedded (one process, PGlite)');
    if (THROUGHPUT_JOBS > 0) await throughput(client);
    if (RSS_JOBS > 0) await rss(client);
  } finally {
    await gateway.close();
    await rm(dir, { recursive: true, force: true });
  }
}

/** An API process and a worker process on PostgreSQL (a schema of their own, dropped afterwards). */
async function split(): Promise<void> {
  const databaseUrl = process.env.TEST_DATABASE_URL ?? process.env.DATABASE_URL;
  if (!databaseUrl) throw new Error('--mode split needs TEST_DATABASE_URL or DATABASE_URL (a PostgreSQL database to make a schema in)');
  const schema = `mg_bench_${randomBytes(5).toString('hex')}`;
  const dir = await mkdtemp(join(tmpdir(), 'maskgraph-bench-'));
  const admin = new pg.Client({ connectionString: databaseUrl });
  await admin.connect();
  await admin.query(`CREATE SCHEMA "${schema}"`);
  const url = new URL(databaseUrl);
  url.searchParams.set('schema', schema);
  const env = {
    DATABASE_URL: url.toString(),
    DATA_DIR: dir,
    WARM_UP: 'false',
    MAX_QUEUED_JOBS: '1000',
    INFERENCE_THREADS: String(THREADS),
    URL_SIGNING_SECRET: randomBytes(24).toString('hex'),
  };
  const processes: Awaited<ReturnType<typeof startMaskgraph>>[] = [];
  try {
    await runCli(process.execPath, [CLI, 'db', 'deploy'], { env: { ...process.env, ...env } });
    const key = (await runCli(process.execPath, [CLI, 'keys', 'create', 'bench'], { env: { ...process.env, ...env } })).stdout.trim();
    processes.push(...(await Promise.all([startMaskgraph(['serve', '--role', 'api'], env), startMaskgraph(['worker'], env)])));
    await measure(new Client(processes[0]!.url, key), 'split (1 api + 1 worker process, PostgreSQL)');
  } finally {
    await Promise.all(processes.map((child) => child.stop(10_000)));
    await admin.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`).catch(() => {});
    await admin.query(`DROP SCHEMA IF EXISTS "${schema}_pgboss" CASCADE`).catch(() => {});
    await admin.end();
    await rm(dir, { recursive: true, force: true });
  }
}

async function throughput(client: Client): Promise<void> {
  for (const clients of [1, 8]) {
    const start = performance.now();
    let next = 0;
    await Promise.all(
      Array.from({ length: clients }, async () => {
        while (next < THROUGHPUT_JOBS) {
          next += 1;
          await segmentOnce(client, 'cat-chelsea.png', 'isnet-general');
        }
      }),
    );
    const seconds = (performance.now() - start) / 1000;
    console.log(`throughput with ${clients} client(s): ${(THROUGHPUT_JOBS / seconds).toFixed(2)} jobs/s (${THROUGHPUT_JOBS} jobs in ${seconds.toFixed(1)} s)`);
  }
}

async function rss(client: Client): Promise<void> {
  const rssMb = () => (process.memoryUsage().rss / 1e6).toFixed(0);
  console.log(`RSS over ${RSS_JOBS} consecutive jobs (MB): start ${rssMb()}`);
  for (let job = 1; job <= RSS_JOBS; job += 1) {
    await segmentOnce(client, 'cat-chelsea.png', 'isnet-general');
    if (job % Math.max(1, Math.floor(RSS_JOBS / 10)) === 0) console.log(`  after ${job} jobs: ${rssMb()}`);
  }
}

if (MODE !== 'split') await embedded();
if (MODE !== 'embedded') await split();
