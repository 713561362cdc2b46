/**
 * Batches (issue 24) on PostgreSQL, each figure against a floor from the same run:
 *
 *   create     `startBatch` over 10 000 assets (segment, MISSING) through HTTP, against the
 *              floor of one SELECT of the matching ids plus one INSERT … SELECT of 10 000
 *              rows on the same server. Target: ≤ 2 s.
 *   throughput 200 segmentations on 2 worker processes as one batch, against the same work
 *              sent as 200 `segmentAsset` requests (fresh photos each time, U²-Net-p).
 *              Target: ≥ 0.95×.
 *   fairness   while owner A's 1 000-run batch runs on those 2 workers, owner B's single
 *              `segmentAsset` waits in the queue (its queueWaitMs) against the median time
 *              of one of A's runs. Target: ≤ one run per worker.
 *
 *   TEST_DATABASE_URL=postgresql://postgres@127.0.0.1:5432/test node --import tsx bench/batch.ts [--create-only]
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { Client, uniqueJpeg } from '../test/helpers/client.js';
import { CLI, runCli, startMaskgraph, type MaskgraphProcess } from '../test/helpers/processes.js';

const DATABASE_URL = process.env.TEST_DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/test';
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? NaN;

function check<T>(response: { data?: T | null; errors?: unknown }): T {
  if (response.errors) throw new Error(JSON.stringify(response.errors));
  return response.data!;
}

const schema = `mg_bench_batch_${randomBytes(4).toString('hex')}`;
const admin = new pg.Client({ connectionString: DATABASE_URL });
await admin.connect();
await admin.query(`CREATE SCHEMA "${schema}"`);
const url = new URL(DATABASE_URL);
url.searchParams.set('schema', schema);
const dataDir = await mkdtemp(join(tmpdir(), 'maskgraph-bench-batch-'));
const env = {
  DATABASE_URL: url.toString(),
  DATA_DIR: dataDir,
  BLOB_DIR: join(dataDir, 'blobs'),
  URL_SIGNING_SECRET: randomBytes(24).toString('hex'),
  WARM_UP: 'true',
  MODELS_PRELOAD: 'u2netp',
  INFERENCE_THREADS: '1',
  WORKER_CONCURRENCY: '1',
  MAX_QUEUED_JOBS: '5000',
  MAX_QUEUED_JOBS_PER_OWNER: '5000',
  QUEUE_POLL_SECONDS: '1',
};
const processes: MaskgraphProcess[] = [];

async function main() {
  await runCli(process.execPath, [CLI, 'db', 'deploy'], { env: { ...process.env, ...env } });
  const keyOf = async (name: string) => (await runCli(process.execPath, [CLI, 'keys', 'create', name], { env: { ...process.env, ...env } })).stdout.trim();
  const [keyA, keyB, keyBulk] = [await keyOf('A'), await keyOf('B'), await keyOf('bulk')];
  const api = await startMaskgraph(['serve', '--role', 'api'], env);
  processes.push(api);
  const a = new Client(api.url, keyA);
  const b = new Client(api.url, keyB);
  const bulk = new Client(api.url, keyBulk);

  // ---- create: 10 000 asset rows (no worker runs yet, the blobs are not needed) ----
  await admin.query(`SET search_path TO "${schema}"`); // the triggers call the schema's own functions
  const bulkOwner = (await admin.query(`SELECT id FROM "${schema}"."Owner" WHERE name = 'bulk'`)).rows[0].id as string;
  await admin.query(
    `INSERT INTO "${schema}"."Asset" (id, "ownerId", name, tags, "mimeType", width, height, "byteSize", sha256, "updatedAt")
     SELECT gen_random_uuid(), $1, 'bulk ' || n, ARRAY['bulk'], 'image/jpeg', 640, 480, 1000, md5(n::text) || md5((n + 1)::text), now()
       FROM generate_series(1, 10000) AS n`,
    [bulkOwner],
  );
  const createTimes: number[] = [];
  for (let round = 0; round < 3; round += 1) {
    const started = performance.now();
    const batch = check(
      await bulk.query(
        `mutation { startBatch(input: { filter: { tags: ["bulk"] }, action: { segment: { model: "u2netp", mode: ALL } } }) { id counts { total } } }`,
      ),
    ) as { startBatch: { id: string; counts: { total: number } } };
    createTimes.push(performance.now() - started);
    if (batch.startBatch.counts.total !== 10_000) throw new Error(`expected 10 000 items: ${JSON.stringify(batch)}`);
    check(await bulk.query(`mutation { cancelBatch(id: "${batch.startBatch.id}") { status } }`));
  }
  const floorTimes: number[] = [];
  for (let round = 0; round < 3; round += 1) {
    const started = performance.now();
    const ids = await admin.query(`SELECT id FROM "${schema}"."Asset" WHERE "ownerId" = $1 AND tags @> ARRAY['bulk'] ORDER BY id`, [bulkOwner]);
    await admin.query(
      `CREATE TEMP TABLE floor_${round} AS SELECT id, gen_random_uuid() AS other, now() AS at FROM "${schema}"."Asset" WHERE id = ANY($1::uuid[])`,
      [ids.rows.map((row) => row.id)],
    );
    floorTimes.push(performance.now() - started);
  }

  const createMs = median(createTimes);
  const floorMs = median(floorTimes);
  const createRow = `| create: startBatch over 10 000 assets (median of 3) | ${createMs.toFixed(0)} ms | one SELECT + one INSERT of 10 000 rows: ${floorMs.toFixed(0)} ms | ${(createMs / floorMs).toFixed(1)}× | ≤ 2 000 ms |`;
  if (process.argv.includes('--create-only')) process.stdout.write(`${createRow}\n`);
  else await measureRuns(createRow, a, b);
}

/** Throughput and fairness, on 2 worker processes. */
async function measureRuns(createRow: string, a: Client, b: Client) {
  // ---- workers ----
  for (let index = 0; index < 2; index += 1) processes.push(await startMaskgraph(['worker'], env));
  await sleep(3000); // warm-up (MODELS_PRELOAD)
  const uploadMany = async (client: Client, count: number, tag: string) => {
    const ids: string[] = [];
    for (let index = 0; index < count; index += 1) {
      ids.push((check(await client.upload(await uniqueJpeg(256, 192), { tags: [tag], selection: 'id' })) as { uploadAsset: { id: string } }).uploadAsset.id);
    }
    return ids;
  };
  const openRuns = async (ownerName: string) =>
    Number(
      (
        await admin.query(
          `SELECT count(*) FROM "${schema}"."Segmentation" s JOIN "${schema}"."Owner" o ON o.id = s."ownerId" WHERE o.name = $1 AND s.status IN ('QUEUED', 'RUNNING')`,
          [ownerName],
        )
      ).rows[0].count,
    );
  const waitIdle = async (ownerName: string) => {
    while ((await openRuns(ownerName)) > 0) await sleep(200);
  };

  // ---- throughput: 200 one by one, then 200 as a batch ----
  const singles = await uploadMany(a, 200, 'singles');
  const singleStarted = performance.now();
  for (const id of singles) check(await a.query(`mutation { segmentAsset(input: { assetId: "${id}", model: "u2netp" }) { id } }`));
  await waitIdle('A');
  const singleMs = performance.now() - singleStarted;
  await uploadMany(a, 200, 'batched');
  const batchStarted = performance.now();
  const started = check(
    await a.query(`mutation { startBatch(input: { filter: { tags: ["batched"] }, action: { segment: { model: "u2netp" } } }) { id } }`),
  ) as { startBatch: { id: string } };
  for (;;) {
    const { batch } = check(await a.query(`{ batch(id: "${started.startBatch.id}") { status } }`)) as { batch: { status: string } };
    if (batch.status !== 'RUNNING' && batch.status !== 'PENDING') break;
    await sleep(200);
  }
  const batchMs = performance.now() - batchStarted;

  // ---- fairness: B's single request during A's 1 000-run batch ----
  await uploadMany(a, 1000, 'big');
  const bPhotos = await uploadMany(b, 5, 'mine');
  const big = check(await a.query(`mutation { startBatch(input: { filter: { tags: ["big"] }, action: { segment: { model: "u2netp" } } }) { id } }`)) as {
    startBatch: { id: string };
  };
  await sleep(5000); // the batch is under way
  const bWaits: number[] = [];
  for (const id of bPhotos) {
    const answer = check(
      await b.query(`mutation { segmentAsset(input: { assetId: "${id}", model: "u2netp", wait: true }) { timings { queueWaitMs } status } }`),
    ) as {
      segmentAsset: { timings: { queueWaitMs: number }; status: string };
    };
    bWaits.push(answer.segmentAsset.timings.queueWaitMs);
    await sleep(1000);
  }
  check(await a.query(`mutation { cancelBatch(id: "${big.startBatch.id}") { status } }`));
  const runTimes = (
    await admin.query(
      `SELECT EXTRACT(epoch FROM "finishedAt" - "startedAt") * 1000 AS ms FROM "${schema}"."Segmentation" WHERE "batchId" = $1 AND status = 'SUCCEEDED'`,
      [big.startBatch.id],
    )
  ).rows.map((row) => Number(row.ms));
  const oneRun = median(runTimes);

  process.stdout.write(
    [
      `## Batches (${new Date().toISOString().slice(0, 10)}, PostgreSQL, 2 worker processes × 1 slot, U²-Net-p)`,
      '',
      '| measure | value | floor / reference | ratio | target |',
      '| --- | --- | --- | --- | --- |',
      createRow,
      `| throughput: 200 runs as a batch | ${(batchMs / 1000).toFixed(1)} s | 200 single requests: ${(singleMs / 1000).toFixed(1)} s | ${(singleMs / batchMs).toFixed(2)}× | ≥ 0.95× |`,
      `| fairness: B's queue wait during A's 1 000-run batch (median of 5, max ${Math.max(...bWaits).toFixed(0)} ms) | ${median(bWaits).toFixed(0)} ms | one of A's runs: ${oneRun.toFixed(0)} ms | ${(median(bWaits) / oneRun).toFixed(2)} runs | ≤ 1 run per worker |`,
      '',
    ].join('\n'),
  );
}

try {
  await main();
} finally {
  for (const child of processes.reverse()) await child.stop(10_000);
  await admin.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  await admin.query(`DROP SCHEMA IF EXISTS "${schema}_pgboss" CASCADE`);
  await admin.end();
  await rm(dataDir, { recursive: true, force: true });
}
