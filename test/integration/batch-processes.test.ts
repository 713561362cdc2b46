/**
 * Batches and the queue switch as deployed (issue 24): an API gateway and two workers as
 * separate processes on PostgreSQL, driven by the real CLI (`maskgraph batch …` through the
 * API with an API key, `maskgraph queue …` on the database). A 40-asset segment batch paused
 * halfway starts no new run, stays paused while every process restarts, and completes on
 * both workers once resumed, its counts adding up at every look. A paused queue starts no
 * model run, across worker restarts, and runs it once resumed. On the embedded database the
 * queue commands go through the running gateway's control route.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import pg from 'pg';
import type { BatchSummary } from '../../src/cli/batch-client.js';
import type { QueueStatus } from '../../src/jobs/queue-control.js';
import { Client, uniqueJpeg } from '../helpers/client.js';
import { DATABASE_TARGETS } from '../helpers/database-targets.js';
import { startTestGateway, type TestGateway } from '../helpers/gateway.js';
import { CLI, runCli, startMaskgraph, type MaskgraphProcess } from '../helpers/processes.js';
import { skipUnlessRequired } from '../helpers/required-suites.js';

const TEST_DATABASE_URL = process.env.TEST_DATABASE_URL;
const SKIP = skipUnlessRequired('the multi-process batch run', TEST_DATABASE_URL ? undefined : 'set TEST_DATABASE_URL (CI does)');
const ASSETS = 40;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The CLI's JSON answer (exit 0 asked for). */
async function cli<T>(args: string[], env: Record<string, string>): Promise<T> {
  const run = await runCli(process.execPath, [CLI, ...args, '--json'], { env: { ...process.env, LOG_LEVEL: 'error', ...env }, timeout: 60_000 });
  return JSON.parse(run.stdout) as T;
}

const segmentationStatus = async (client: Client, id: string): Promise<string> => {
  const answer = await client.query<{ segmentation: { status: string } }>('query($id: ID!) { segmentation(id: $id) { status } }', { id });
  assert.equal(answer.errors, undefined, JSON.stringify(answer.errors));
  return answer.data!.segmentation.status;
};

const queueOf = (statuses: QueueStatus[], name: string) => statuses.find((status) => status.queue === name)!;

describe('batches and the queue switch across processes on PostgreSQL', { skip: SKIP, timeout: 600_000 }, () => {
  const schema = `mg_batchp_${randomBytes(5).toString('hex')}`;
  let database: pg.Client;
  let dataDir: string;
  let env: Record<string, string>;
  let key: string;
  let gateway: MaskgraphProcess;
  let workers: MaskgraphProcess[] = [];
  /** Every worker process started, restarted ones included: whose logs say who ran what. */
  const everyWorker: MaskgraphProcess[] = [];

  const startWorker = async () => {
    const worker = await startMaskgraph(['worker'], env);
    everyWorker.push(worker);
    return worker;
  };
  const client = () => new Client(gateway.url, key);
  const userEnv = () => ({ ...env, MASKGRAPH_URL: gateway.url, MASKGRAPH_KEY: key });
  const read = async (id: string): Promise<BatchSummary> => {
    const batch = await cli<BatchSummary & { items: unknown[] }>(['batch', 'show', id], userEnv());
    const { total, queued, running, succeeded, failed, skipped } = batch.counts;
    assert.equal(queued + running + succeeded + failed + skipped, total, `the counts add up: ${JSON.stringify(batch.counts)}`);
    assert.equal(failed + skipped, 0, `nothing failed or skipped: ${JSON.stringify(batch.counts)}`);
    return batch;
  };
  const until = async (id: string, done: (batch: BatchSummary) => boolean, what: string) => {
    for (let polls = 0; polls < 600; polls += 1) {
      const batch = await read(id);
      if (done(batch)) return batch;
      await sleep(200);
    }
    assert.fail(`timed out waiting for ${what}: ${JSON.stringify(await read(id))}`);
  };

  before(async () => {
    database = new pg.Client({ connectionString: TEST_DATABASE_URL });
    await database.connect();
    await database.query(`CREATE SCHEMA "${schema}"`);
    dataDir = await mkdtemp(join(tmpdir(), 'maskgraph-batchp-'));
    const url = new URL(TEST_DATABASE_URL!);
    url.searchParams.set('schema', schema);
    // One DATA_DIR: the processes share its blob folder, as they would share a volume.
    env = { DATABASE_URL: url.toString(), DATA_DIR: dataDir, QUEUE_POLL_SECONDS: '0.5', INFERENCE_THREADS: '1', WARM_UP: 'false' };
    await runCli(process.execPath, [CLI, 'db', 'deploy'], { env: { ...process.env, ...env } });
    key = (await runCli(process.execPath, [CLI, 'keys', 'create', 'batches'], { env: { ...process.env, ...env } })).stdout.trim();
    gateway = await startMaskgraph(['serve', '--role', 'api'], env);
    workers = [await startWorker(), await startWorker()];
  });

  after(async () => {
    await Promise.all([gateway, ...workers].map((child) => child?.stop(5_000)));
    await database?.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`).catch(() => {});
    await database?.query(`DROP SCHEMA IF EXISTS "${schema}_pgboss" CASCADE`).catch(() => {});
    await database?.end().catch(() => {});
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  test('a batch paused halfway starts nothing while every process restarts, and completes on both workers once resumed', async () => {
    for (let index = 0; index < ASSETS; index += 1) {
      const answer = await client().upload(await uniqueJpeg(64, 48), { tags: ['library'], selection: 'id' });
      assert.equal(answer.errors, undefined, JSON.stringify(answer.errors));
    }
    const dry = await cli<BatchSummary>(['batch', 'segment', '--tag', 'library', '--model', 'u2netp', '--dry-run'], userEnv());
    assert.deepEqual([dry.status, dry.counts.total], ['DRY_RUN', ASSETS], 'the dry run counts the library');
    const started = await cli<BatchSummary>(['batch', 'segment', '--tag', 'library', '--model', 'u2netp', '--mode', 'missing'], userEnv());
    assert.ok(['PENDING', 'RUNNING'].includes(started.status) && started.counts.total === ASSETS, JSON.stringify(started));
    const id = started.id!;

    await until(id, (batch) => batch.counts.succeeded >= 8, 'some runs');
    assert.equal((await cli<BatchSummary>(['batch', 'pause', id], userEnv())).status, 'PAUSED');
    const settled = await until(id, (batch) => batch.counts.running === 0, 'the running ones to finish');
    assert.ok(settled.counts.succeeded < ASSETS, `paused before the end: ${JSON.stringify(settled.counts)}`);
    await sleep(3000);
    assert.deepEqual((await read(id)).counts, settled.counts, 'nothing started while paused');

    // Every process stops and starts again: the pause is in the database.
    await Promise.all([gateway, ...workers].map((child) => child.stop(15_000)));
    gateway = await startMaskgraph(['serve', '--role', 'api'], env);
    workers = [await startWorker(), await startWorker()];
    await sleep(3000);
    const afterRestart = await read(id);
    assert.equal(afterRestart.status, 'PAUSED', 'still paused after the restarts');
    assert.deepEqual(afterRestart.counts, settled.counts, 'nothing started after the restarts either');

    assert.equal((await cli<BatchSummary>(['batch', 'resume', id], userEnv())).status, 'RUNNING', 'resumed, half of it done');
    const finished = await until(id, (batch) => batch.status !== 'RUNNING' && batch.status !== 'PENDING', 'the batch to finish');
    assert.equal(finished.status, 'SUCCEEDED');
    assert.equal(finished.counts.succeeded, ASSETS);

    // Both workers took part after the resume, and no run happened twice.
    const ranBy = (worker: MaskgraphProcess) => worker.logs.filter((line) => line.msg === 'segmentation succeeded').map((line) => String(line.id));
    assert.ok(
      workers.every((worker) => ranBy(worker).length > 0),
      `both workers ran some after the resume: ${workers.map((worker) => ranBy(worker).length).join(' and ')}`,
    );
    const runs = everyWorker.flatMap(ranBy);
    assert.equal(new Set(runs).size, runs.length, 'no run twice');
    assert.equal(runs.length, ASSETS, 'every run logged once');

    // `--wait` follows a batch to its end and exits 0 on success (runCli rejects on any other exit).
    const tagged = await cli<BatchSummary>(['batch', 'tag', '--tag', 'library', '--add', 'segmented', '--wait'], userEnv());
    assert.deepEqual([tagged.status, tagged.counts.succeeded], ['SUCCEEDED', ASSETS]);
  });

  test('`maskgraph queue pause` holds every model run across worker restarts; `resume` runs them', async () => {
    const paused = await cli<QueueStatus[]>(['queue', 'pause', '--reason', 'maintenance'], env);
    assert.deepEqual(queueOf(paused, 'segmentation').paused?.by, 'maintenance');
    assert.ok(queueOf(paused, 'batch').paused, 'batch steps pause too');
    assert.equal(queueOf(paused, 'render').paused, null, 'renders never pause');

    const assetId = ((await client().upload(await uniqueJpeg(64, 48), { selection: 'id' })).data!.uploadAsset as { id: string }).id;
    const answer = await client().query<{ segmentAsset: { id: string } }>(
      'mutation($id: ID!) { segmentAsset(input: { assetId: $id, model: "u2netp" }) { id } }',
      {
        id: assetId,
      },
    );
    assert.equal(answer.errors, undefined, JSON.stringify(answer.errors));
    const id = answer.data!.segmentAsset.id;
    await sleep(3000);
    assert.equal(await segmentationStatus(client(), id), 'QUEUED', 'no worker started it while paused');

    await Promise.all(workers.map((worker) => worker.stop(15_000)));
    workers = [await startWorker(), await startWorker()];
    await sleep(3000);
    assert.equal(await segmentationStatus(client(), id), 'QUEUED', 'nor after the workers restarted');
    const status = await cli<QueueStatus[]>(['queue', 'status'], env);
    assert.ok(queueOf(status, 'segmentation').paused, 'still paused');
    assert.equal(queueOf(status, 'segmentation').waiting, 1, `the job waits: ${JSON.stringify(status)}`);

    assert.equal(queueOf(await cli<QueueStatus[]>(['queue', 'resume'], env), 'segmentation').paused, null);
    for (let polls = 0; polls < 300 && (await segmentationStatus(client(), id)) !== 'SUCCEEDED'; polls += 1) await sleep(200);
    assert.equal(await segmentationStatus(client(), id), 'SUCCEEDED', 'it ran once resumed');
  });
});

const embedded = DATABASE_TARGETS.find((target) => target.name === 'pglite')!;

describe('`maskgraph queue` on the embedded database, through the running gateway', () => {
  let gateway: TestGateway;
  before(async () => {
    gateway = await startTestGateway(embedded);
  });
  after(() => gateway?.dispose());

  test('a pause holds a run across a restart; resume runs it', async () => {
    const env = { DATA_DIR: gateway.dataDir };
    assert.ok(queueOf(await cli<QueueStatus[]>(['queue', 'pause'], env), 'segmentation').paused, 'paused through the control route');
    const client = new Client(gateway.url, (await gateway.newOwner('queue')).key);
    const assetId = ((await client.upload(await uniqueJpeg(64, 48), { selection: 'id' })).data!.uploadAsset as { id: string }).id;
    const answer = await client.query<{ segmentAsset: { id: string } }>(
      'mutation($id: ID!) { segmentAsset(input: { assetId: $id, model: "u2netp" }) { id } }',
      {
        id: assetId,
      },
    );
    assert.equal(answer.errors, undefined, JSON.stringify(answer.errors));
    const id = answer.data!.segmentAsset.id;
    // A batch started while the queue is paused waits for its first run: PENDING, not RUNNING.
    const batch = await client.query<{ startBatch: { id: string; status: string } }>(
      'mutation($id: ID!) { startBatch(input: { assetIds: [$id], action: { segment: { model: "u2netp", mode: ALL } } }) { id status } }',
      { id: assetId },
    );
    assert.equal(batch.data?.startBatch.status, 'PENDING', JSON.stringify(batch));
    await sleep(3000);
    assert.equal(await segmentationStatus(client, id), 'QUEUED', 'not started while paused');
    const listed = async (status: string) =>
      (await client.query<{ batches: { id: string }[] }>('query($status: BatchStatus) { batches(status: $status) { id } }', { status })).data!.batches.map(
        (listedBatch) => listedBatch.id,
      );
    assert.deepEqual([await listed('PENDING'), await listed('RUNNING')], [[batch.data!.startBatch.id], []], 'listed as PENDING only');

    gateway = await gateway.restart();
    const again = client.withBaseUrl(gateway.url);
    await sleep(3000);
    assert.equal(await segmentationStatus(again, id), 'QUEUED', 'still held after the restart');
    assert.equal(queueOf(await cli<QueueStatus[]>(['queue', 'status'], env), 'segmentation').waiting, 2, "the run and the batch's run wait");

    assert.equal(queueOf(await cli<QueueStatus[]>(['queue', 'resume'], env), 'segmentation').paused, null);
    for (let polls = 0; polls < 300 && (await segmentationStatus(again, id)) !== 'SUCCEEDED'; polls += 1) await sleep(200);
    assert.equal(await segmentationStatus(again, id), 'SUCCEEDED', 'it ran once resumed');
    const batchStatus = async () =>
      (await again.query<{ batch: { status: string } }>('query($id: ID!) { batch(id: $id) { status } }', { id: batch.data!.startBatch.id })).data!.batch.status;
    for (let polls = 0; polls < 300 && (await batchStatus()) !== 'SUCCEEDED'; polls += 1) await sleep(200);
    assert.equal(await batchStatus(), 'SUCCEEDED', 'the batch ran once resumed');
  });
});
