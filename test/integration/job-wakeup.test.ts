/**
 * An idle worker starts a job as soon as it is sent, not at its next poll. The workers here
 * poll once a minute (QUEUE_POLL_SECONDS=60, the largest allowed), so a job can only finish
 * within the answer's 30 s wait if its send woke the worker: directly in the embedded
 * process, by NOTIFY between an API process and a worker process on PostgreSQL. Two jobs
 * back to back show that the wake-up is not a one-off of the worker's first fetch.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import pg from 'pg';
import { Client, uniqueJpeg } from '../helpers/client.js';
import { DATABASE_TARGETS } from '../helpers/database-targets.js';
import { startTestGateway, TEST_SIGNING_SECRET, type TestGateway } from '../helpers/gateway.js';
import { CLI, runCli, startMaskgraph, type MaskgraphProcess } from '../helpers/processes.js';
import { skipUnlessRequired } from '../helpers/required-suites.js';

/** A worker that is never woken sleeps this long between fetches: far past the answer's wait. */
const SLOW_POLL = { QUEUE_POLL_SECONDS: '60' };
const WAIT_MS = 30_000;

/** Two uploads segmented one after the other with `wait: true`; each must finish within the wait. */
async function segmentTwice(client: Client): Promise<void> {
  for (let run = 1; run <= 2; run += 1) {
    const upload = await client.upload(await uniqueJpeg(160, 120), { name: `wake ${run}`, selection: 'id' });
    assert.equal(upload.errors, undefined, JSON.stringify(upload.errors));
    const response = await client.query<{ segmentAsset: { status: string; timings: { queueWaitMs: number | null } } }>(
      `mutation($id: ID!) { segmentAsset(input: { assetId: $id, model: "isnet-general-q8", wait: true, waitTimeoutMs: ${WAIT_MS} }) { status timings { queueWaitMs } } }`,
      { id: (upload.data as { uploadAsset: { id: string } }).uploadAsset.id },
    );
    assert.equal(response.errors, undefined, JSON.stringify(response.errors));
    assert.equal(
      response.data!.segmentAsset.status,
      'SUCCEEDED',
      `run ${run} was not started by its send (the worker polls every 60 s): ${JSON.stringify(response.data)}`,
    );
  }
}

describe('an idle worker in the embedded process is woken by the send', () => {
  let gateway: TestGateway;
  before(async () => {
    gateway = await startTestGateway(DATABASE_TARGETS[0]!, SLOW_POLL);
  });
  after(() => gateway?.dispose());

  test('two jobs finish long before the next poll', { timeout: 120_000 }, async () => {
    await segmentTwice(new Client(gateway.url, (await gateway.newOwner('waker')).key));
  });
});

const TEST_DATABASE_URL = process.env.TEST_DATABASE_URL;
const SPLIT_SKIP = skipUnlessRequired('the split-role wake-up run', TEST_DATABASE_URL ? undefined : 'set TEST_DATABASE_URL (CI does)');

describe('an idle worker process is woken by NOTIFY when an API process sends', { skip: SPLIT_SKIP, timeout: 300_000 }, () => {
  const schema = `mg_wake_${randomBytes(5).toString('hex')}`;
  const processes: MaskgraphProcess[] = [];
  let dataDir: string;
  let database: pg.Client;
  let client: Client;

  before(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'maskgraph-wake-'));
    database = new pg.Client({ connectionString: TEST_DATABASE_URL });
    await database.connect();
    await database.query(`CREATE SCHEMA "${schema}"`);
    const url = new URL(TEST_DATABASE_URL!);
    url.searchParams.set('schema', schema);
    // One DATA_DIR: the file blob store is shared by both processes, as on one host.
    const env = { DATABASE_URL: url.toString(), DATA_DIR: dataDir, URL_SIGNING_SECRET: TEST_SIGNING_SECRET, WARM_UP: 'false', ...SLOW_POLL };
    await runCli(process.execPath, [CLI, 'db', 'deploy'], { env: { ...process.env, ...env } });
    const key = (await runCli(process.execPath, [CLI, 'keys', 'create', 'waker'], { env: { ...process.env, ...env } })).stdout.trim();
    processes.push(...(await Promise.all([startMaskgraph(['serve', '--role', 'api'], env), startMaskgraph(['worker'], env)])));
    client = new Client(processes[0]!.url, key);
  });

  after(async () => {
    await Promise.all(processes.map((child) => child.stop(5_000)));
    await database?.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`).catch(() => {});
    await database?.query(`DROP SCHEMA IF EXISTS "${schema}_pgboss" CASCADE`).catch(() => {});
    await database?.end();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  test('two jobs sent by the API process finish long before the worker process would poll', async () => {
    await segmentTwice(client);
  });
});
