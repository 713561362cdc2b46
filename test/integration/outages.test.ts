/**
 * Faults of the systems around a gateway (issue 26): the PostgreSQL server ends the
 * connections a gateway holds idle (a restart, a failover, pg_terminate_backend, a proxy's
 * idle timeout). The gateway must survive it and recover by itself.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import pg from 'pg';
import { Client, uniqueJpeg } from '../helpers/client.js';
import { CLI, runCli, startMaskgraph, type MaskgraphProcess } from '../helpers/processes.js';
import { skipUnlessRequired } from '../helpers/required-suites.js';

const TEST_DATABASE_URL = process.env.TEST_DATABASE_URL;
const SKIP = skipUnlessRequired('the PostgreSQL outage run', TEST_DATABASE_URL ? undefined : 'set TEST_DATABASE_URL (CI does)');

describe('a gateway on PostgreSQL whose connections the server ends', { skip: SKIP, timeout: 300_000 }, () => {
  const schema = `mg_outage_${randomBytes(5).toString('hex')}`;
  let database: pg.Client;
  let dataDir: string;
  let gateway: MaskgraphProcess;
  let client: Client;

  before(async () => {
    database = new pg.Client({ connectionString: TEST_DATABASE_URL });
    await database.connect();
    await database.query(`CREATE SCHEMA "${schema}"`);
    const url = new URL(TEST_DATABASE_URL!);
    url.searchParams.set('schema', schema);
    dataDir = await mkdtemp(join(tmpdir(), 'maskgraph-outage-'));
    const env = { DATABASE_URL: url.toString(), DATA_DIR: dataDir, WARM_UP: 'false', INFERENCE_THREADS: '1' };
    await runCli(process.execPath, [CLI, 'db', 'deploy'], { env: { ...process.env, ...env } });
    const key = (await runCli(process.execPath, [CLI, 'keys', 'create', 'outage'], { env: { ...process.env, ...env } })).stdout.trim();
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
});
