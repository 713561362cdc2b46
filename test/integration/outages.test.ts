/**
 * Faults around a gateway (issue 26): the PostgreSQL server ends the connections a gateway
 * holds idle (a restart, a failover, pg_terminate_backend, a proxy's idle timeout), and a
 * worker is stopped (SIGTERM, as rolling deploys do) in the middle of a model run.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import pg from 'pg';
import S3rver from 's3rver';
import { Client, fixturePath, uniqueJpeg } from '../helpers/client.js';
import { CLI, runCli, startMaskgraph, type MaskgraphProcess } from '../helpers/processes.js';
import { skipUnlessRequired } from '../helpers/required-suites.js';
import { AdvisoryBlobLocks } from '../../src/storage/blob-locks.js';
import { S3BlobStore } from '../../src/storage/s3-blob-store.js';
import { isDatabaseUnavailable } from '../../src/storage/database-errors.js';
import { DATABASE_TARGETS } from '../helpers/database-targets.js';
import { startTestGateway, type TestGateway } from '../helpers/gateway.js';

const TEST_DATABASE_URL = process.env.TEST_DATABASE_URL;
const SKIP = skipUnlessRequired('the PostgreSQL outage run', TEST_DATABASE_URL ? undefined : 'set TEST_DATABASE_URL (CI does)');

describe('a gateway on PostgreSQL whose connections the server ends', { skip: SKIP, timeout: 300_000 }, () => {
  const schema = `mg_outage_${randomBytes(5).toString('hex')}`;
  let database: pg.Client;
  let dataDir: string;
  let gateway: MaskgraphProcess;
  let client: Client;
  let key: string;
  let env: Record<string, string>;

  before(async () => {
    database = new pg.Client({ connectionString: TEST_DATABASE_URL });
    await database.connect();
    await database.query(`CREATE SCHEMA "${schema}"`);
    const url = new URL(TEST_DATABASE_URL!);
    url.searchParams.set('schema', schema);
    dataDir = await mkdtemp(join(tmpdir(), 'maskgraph-outage-'));
    env = { DATABASE_URL: url.toString(), DATA_DIR: dataDir, WARM_UP: 'false', INFERENCE_THREADS: '1', QUEUE_POLL_SECONDS: '0.5' };
    await runCli(process.execPath, [CLI, 'db', 'deploy'], { env: { ...process.env, ...env } });
    key = (await runCli(process.execPath, [CLI, 'keys', 'create', 'outage'], { env: { ...process.env, ...env } })).stdout.trim();
    gateway = await startMaskgraph(['serve', '--role', 'api'], env);
    client = new Client(gateway.url, key);
  });

  after(async () => {
    await gateway?.stop(5_000);
    await database?.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`).catch(() => {});
    await database?.query(`DROP SCHEMA IF EXISTS "${schema}_pgboss" CASCADE`).catch(() => {});
    await database?.end();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  test('its idle blob-lock connections ended by the server: the process lives on and the next upload works', async () => {
    const upload = async () => {
      const response = await client.upload(await uniqueJpeg(), { selection: 'id' });
      assert.equal(response.errors, undefined, JSON.stringify(response.errors));
    };
    await upload(); // takes a blob lock: the lock pool now holds an idle connection
    const ended = await database.query(
      `SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'maskgraph-locks' AND datname = current_database() AND pid <> pg_backend_pid()`,
    );
    assert.ok(ended.rowCount! >= 1, 'the gateway held at least one lock connection');
    const exited = await Promise.race([
      gateway.exited.then((code) => `exited with ${code}`),
      new Promise((resolve) => setTimeout(() => resolve('alive'), 1500)),
    ]);
    assert.equal(exited, 'alive', 'the gateway survives its lock connection ending');
    await upload();
    assert.ok(
      gateway.logs.some((line) => line.msg === 'blob-lock connection lost; the next lock opens a new one'),
      'the loss is logged as a warning',
    );
  });

  test('a blob-lock connection ended while its lock is held: the work finishes, the process lives on', async () => {
    // In this test's own process: an unheard 'error' on the held connection would end it (it did, in the soak).
    const warnings: string[] = [];
    const logger = { debug() {}, info() {}, error() {}, warn: (message: string) => void warnings.push(message) };
    const locks = new AdvisoryBlobLocks(TEST_DATABASE_URL!, `maskgraph:outage-test-${schema}:blob`, logger);
    try {
      const result = await locks.run('held', async () => {
        const ended = await database.query(
          `SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'maskgraph-locks' AND query LIKE '%pg_advisory_lock%' AND pid <> pg_backend_pid()`,
        );
        assert.ok(ended.rowCount! >= 1, 'the lock connection was found and ended');
        await new Promise((resolve) => setTimeout(resolve, 500)); // the server's message arrives meanwhile
        return 'done';
      });
      assert.equal(result, 'done');
      assert.ok(warnings.includes('blob-lock connection lost while held; its locks are gone'), `the loss is logged: ${JSON.stringify(warnings)}`);
      assert.equal(await locks.run('held', async () => 'again'), 'again', 'the next lock works');
    } finally {
      await locks.close();
    }
  });

  test('its database connections ended by the server: requests answer 503 UNAVAILABLE with Retry-After at worst, never 500, and recover', async () => {
    // Each round: a query (so the pool holds connections), the server ends them, three queries at once.
    const ask = async (first: number) => {
      if (gateway.child.exitCode !== null) assert.fail(`the gateway exited: ${gateway.output()}`);
      const response = await fetch(`${gateway.url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
        body: JSON.stringify({ query: `{ assets(first: ${first}) { totalCount } }` }), // new text each time: no answer cache
      });
      const body = (await response.json()) as { errors?: { extensions?: { code?: string } }[] };
      return { status: response.status, code: body.errors?.[0]?.extensions?.code, retryAfter: response.headers.get('retry-after') };
    };
    const answers: Awaited<ReturnType<typeof ask>>[] = [];
    for (let round = 0; round < 8; round += 1) {
      await ask(1 + round * 10);
      const ended = await database.query(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = $1`, [
        `maskgraph api ${gateway.child.pid}`,
      ]);
      assert.ok(ended.rowCount! >= 1, 'the gateway held database connections');
      answers.push(...(await Promise.all([2, 3, 4].map((k) => ask(k + round * 10)))));
    }
    for (const answer of answers) {
      if (answer.status === 200 && answer.code === undefined) continue;
      assert.deepEqual([answer.status, answer.code, answer.retryAfter], [503, 'UNAVAILABLE', '2'], JSON.stringify(answers));
    }
    assert.deepEqual(await ask(99), { status: 200, code: undefined, retryAfter: null }, 'recovered');
  });

  test('the errors of a connection the server ended are recognised as the database being unavailable, a bad query is not', async () => {
    const victim = new pg.Client({ connectionString: TEST_DATABASE_URL });
    await victim.connect();
    victim.on('error', () => {}); // the ended connection reports here too
    const pid = (await victim.query('SELECT pg_backend_pid() AS pid')).rows[0].pid as number;
    await database.query('SELECT pg_terminate_backend($1)', [pid]);
    const ended = await victim.query('SELECT 1').catch((error: unknown) => error);
    assert.ok(isDatabaseUnavailable(ended), `recognised: ${String(ended)}`);
    const bad = await database.query('SELECT * FROM no_such_table').catch((error: unknown) => error);
    assert.ok(bad instanceof Error && !isDatabaseUnavailable(bad), 'a missing table is a bug, not an outage');
    await victim.end().catch(() => {});
  });

  test('a worker stopped during a model run exits 0 in time and gives the job back at once, uncounted; another worker finishes it', async () => {
    const workers: MaskgraphProcess[] = [];
    const start = async () => {
      const worker = await startMaskgraph(['worker'], { ...env, PORT: '0', SHUTDOWN_TIMEOUT_MS: '4000' });
      workers.push(worker);
      return worker;
    };
    try {
      const first = await start();
      const assetId = (await client.upload(fixturePath('dandelion-large.jpg'), { selection: 'id' })).data!.uploadAsset.id;
      const id = (await client.query('mutation($id: ID!) { segmentAsset(input: { assetId: $id }) { id } }', { id: assetId })).data.segmentAsset.id as string;
      const row = async () =>
        (await database.query(`SELECT status, attempts FROM "${schema}"."Segmentation" WHERE id = $1`, [id])).rows[0] as { status: string; attempts: number };
      for (let polls = 0; polls < 200 && (await row()).status !== 'RUNNING'; polls += 1) await new Promise((resolve) => setTimeout(resolve, 50));
      assert.deepEqual(await row(), { status: 'RUNNING', attempts: 1 }, 'the first worker runs it');
      await new Promise((resolve) => setTimeout(resolve, 300)); // into the model run (about 5 s on one thread)
      const stopped = performance.now();
      first.child.kill('SIGTERM');
      const code = await first.exited;
      const tookMs = performance.now() - stopped;
      assert.equal(code, 0, `exit code 0: ${first.logs.map((line) => line.msg).join(' | ')}`);
      assert.ok(tookMs < 4000 + 2000, `ended within SHUTDOWN_TIMEOUT_MS (4 s) and a margin: ${Math.round(tookMs)} ms`);
      assert.ok(
        first.logs.some((line) => line.msg === 'segmentation given back to the queue: the worker is stopping'),
        'the run was given back, not failed',
      );
      assert.deepEqual(await row(), { status: 'QUEUED', attempts: 0 }, 'QUEUED again, the interrupted attempt not counted');
      await start();
      const deadline = Date.now() + 120_000;
      while ((await row()).status !== 'SUCCEEDED' && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 200));
      assert.deepEqual(await row(), { status: 'SUCCEEDED', attempts: 1 }, 'the next worker ran it at once, as its first attempt');
    } finally {
      await Promise.all(workers.map((worker) => worker.stop(5_000)));
    }
  });

  test('a process whose lease differs from the deployed one says so and does not rewrite it', async () => {
    const lease = async () =>
      (await database.query(`SELECT expire_seconds FROM "${schema}_pgboss".queue WHERE name = 'segmentation'`)).rows[0]?.expire_seconds as number;
    assert.equal(await lease(), 300, '`db deploy` set the default lease');
    const other = await startMaskgraph(['serve', '--role', 'api'], { ...env, PORT: '0', JOB_LEASE_SECONDS: '20', JOB_TIMEOUT_MS: '19000' });
    try {
      assert.equal(await lease(), 300, 'the deployed lease stands');
      assert.ok(
        other.logs.some(
          (line) => line.msg === "this process's queue settings differ from the database's; using the database's (set them with `maskgraph db deploy`)",
        ),
        'the difference is logged at start',
      );
    } finally {
      await other.stop(5_000);
    }
  });
});

describe('the blob store away for a few seconds (S3, embedded database)', () => {
  const BUCKET = 'maskgraph-outage';
  let s3Dir: string;
  let s3: S3rver | undefined;
  let port: number;
  let gateway: TestGateway;
  let client: Client;

  const startS3 = async (onPort: number) => {
    s3 = new S3rver({ port: onPort, address: '127.0.0.1', silent: true, directory: s3Dir, configureBuckets: [{ name: BUCKET, configs: [] }] });
    return ((await s3.run()) as AddressInfo).port;
  };
  const stopS3 = async () => {
    await s3?.close();
    s3 = undefined;
  };

  before(async () => {
    s3Dir = await mkdtemp(join(tmpdir(), 'maskgraph-outage-s3-'));
    port = await startS3(0);
    // The AWS SDK reads its credentials from the process's environment (this file's own process).
    Object.assign(process.env, { AWS_ACCESS_KEY_ID: 'S3RVER', AWS_SECRET_ACCESS_KEY: 'S3RVER', AWS_REGION: 'us-east-1' });
    gateway = await startTestGateway(DATABASE_TARGETS[0]!, {
      BLOB_STORE: 's3',
      S3_BUCKET: BUCKET,
      S3_ENDPOINT: `http://127.0.0.1:${port}`,
      S3_FORCE_PATH_STYLE: 'true',
    });
    client = new Client(gateway.url, (await gateway.newOwner('outage')).key);
  });
  after(async () => {
    await gateway?.dispose();
    await stopS3();
    await rm(s3Dir, { recursive: true, force: true });
  });

  test('a segmentation waits out the outage instead of failing; file URLs answer 503 meanwhile; a delete succeeds', async () => {
    const upload = async () => (await client.upload(await uniqueJpeg(), { selection: 'id url' })).data!.uploadAsset as { id: string; url: string };
    const asset = await upload();
    const doomed = await upload();
    await stopS3();

    const original = await fetch(asset.url);
    assert.equal(original.status, 503, 'the store cannot be read: 503 before any header of the file');
    assert.equal(original.headers.get('retry-after'), '5');
    assert.equal(((await original.json()) as { errors: { extensions: { code: string } }[] }).errors[0]!.extensions.code, 'STORAGE_UNAVAILABLE');

    const deleted = await client.query('mutation($id: ID!) { deleteAsset(id: $id) { id } }', { id: doomed.id });
    assert.equal(deleted.errors, undefined, `the rows are gone, so the delete succeeded: ${JSON.stringify(deleted.errors)}`);

    const id = (await client.query('mutation($id: ID!) { segmentAsset(input: { assetId: $id, model: "u2netp" }) { id } }', { id: asset.id })).data.segmentAsset
      .id as string;
    await new Promise((resolve) => setTimeout(resolve, 1500)); // the job has tried to read the photo by now
    const during = (await client.query('query($id: ID!) { segmentation(id: $id) { status errorCode errorMessage } }', { id })).data.segmentation;
    assert.equal(during.status, 'RUNNING', `the job waits for the store: ${JSON.stringify(during)}`);
    await startS3(port);
    let final = during;
    for (let polls = 0; polls < 300 && (final.status === 'RUNNING' || final.status === 'QUEUED'); polls += 1) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      final = (await client.query('query($id: ID!) { segmentation(id: $id) { status errorCode errorMessage } }', { id })).data.segmentation;
    }
    assert.equal(final.status, 'SUCCEEDED', `the job waited out the outage: ${JSON.stringify(final)}`);
  });

  test('listing the store (fsck, the blob GC) waits out a short outage: the page is asked again', async () => {
    const store = await S3BlobStore.open({ bucket: BUCKET, prefix: '', endpoint: `http://127.0.0.1:${port}`, forcePathStyle: true });
    const list = async () => {
      const names: string[] = [];
      for await (const blob of store.list()) names.push(blob.sha256);
      return names;
    };
    const stored = await list();
    assert.ok(stored.length > 0, 'the uploads above are in the bucket');
    await stopS3();
    const listing = list();
    await new Promise((resolve) => setTimeout(resolve, 1200)); // past the SDK's own quick retries
    await startS3(port);
    const listed = new Set(await listing);
    assert.deepEqual(
      stored.filter((sha256) => !listed.has(sha256)),
      [],
      'every blob listed before the outage is listed after it',
    );
  });
});
