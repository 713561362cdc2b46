/**
 * Scale-out as it is deployed: two API gateways and workers as separate OS processes on the
 * CI PostgreSQL (a schema of their own, dropped afterwards) and an S3-compatible server
 * (s3rver) that this test starts. Upload on one gateway, watch on the other, blobs only in
 * the bucket, a worker SIGKILLed mid-run, 16 jobs over 2 workers, a gateway restarted
 * mid-batch: every job ends SUCCEEDED exactly once.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import pg from 'pg';
import S3rver from 's3rver';
import sharp from 'sharp';
import { s3ClientConfig } from '../../src/storage/s3-blob-store.js';
import { Client, FIXTURES, fixturePath, subscriptionClient } from '../helpers/client.js';
import { iouAt } from '../helpers/masks.js';
import { CLI, runCli, startMaskgraph, type MaskgraphProcess } from '../helpers/processes.js';
import { skipUnlessRequired } from '../helpers/required-suites.js';
import { TEST_SIGNING_SECRET } from '../helpers/gateway.js';

const TEST_DATABASE_URL = process.env.TEST_DATABASE_URL;
const SKIP = skipUnlessRequired('the multi-process scale-out run', TEST_DATABASE_URL ? undefined : 'set TEST_DATABASE_URL (CI does)');
const BUCKET = 'maskgraph-test';
// Long enough for one IS-Net run on one thread of a busy 2-core machine (~5 s, twice that
// while gateways start), short enough to keep the SIGKILL test quick.
const LEASE_SECONDS = 20;

interface Segmentation {
  id: string;
  status: string;
  attempts?: number;
  mask: { url: string; width: number; height: number } | null;
}

describe('API gateways and workers as separate processes on PostgreSQL and S3', { skip: SKIP, timeout: 600_000 }, () => {
  const schema = `mg_scale_${randomBytes(5).toString('hex')}`;
  const dataDirs: string[] = [];
  const processes: MaskgraphProcess[] = [];
  let s3: S3rver;
  let s3Dir: string;
  let env: Record<string, string>;
  let key: string;
  let gatewayA: MaskgraphProcess;
  let gatewayB: MaskgraphProcess;
  let database: pg.Client;

  /** A process with a DATA_DIR of its own, so the test can show no blob lands there. */
  async function start(args: string[], extra: Record<string, string> = {}): Promise<MaskgraphProcess> {
    const dataDir = await mkdtemp(join(tmpdir(), 'maskgraph-scale-'));
    dataDirs.push(dataDir);
    const started = await startMaskgraph(args, { ...env, DATA_DIR: dataDir, ...extra });
    processes.push(started);
    return started;
  }

  const client = (gateway: MaskgraphProcess) => new Client(gateway.url, key);

  async function upload(gateway: MaskgraphProcess, file: string | Uint8Array, name: string): Promise<string> {
    const response = await client(gateway).upload(file, { name, selection: 'id' });
    assert.equal(response.errors, undefined, JSON.stringify(response.errors));
    return (response.data as { uploadAsset: { id: string } }).uploadAsset.id;
  }

  async function segment(gateway: MaskgraphProcess, assetId: string): Promise<Segmentation> {
    const response = await client(gateway).query<{ segmentAsset: Segmentation }>(
      `mutation($id: ID!) { segmentAsset(input: { assetId: $id }) { id status mask { url width height } } }`,
      { id: assetId },
    );
    assert.equal(response.errors, undefined, JSON.stringify(response.errors));
    return response.data!.segmentAsset;
  }

  async function rows(ids: string[]): Promise<{ id: string; status: string; attempts: number; errorMessage: string | null }[]> {
    const result = await database.query(`SELECT id, status, attempts, "errorMessage" FROM "${schema}"."Segmentation" WHERE id = ANY($1::uuid[])`, [ids]);
    return result.rows as { id: string; status: string; attempts: number; errorMessage: string | null }[];
  }

  async function waitForRows(ids: string[], done: (row: { status: string }) => boolean, timeoutMs: number) {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const current = await rows(ids);
      if (current.length === ids.length && current.every(done)) return current;
      if (Date.now() > deadline) throw new Error(`not done within ${timeoutMs} ms: ${JSON.stringify(current)}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  const succeededBy = (worker: MaskgraphProcess) => new Set(worker.logs.filter((line) => line.msg === 'segmentation succeeded').map((line) => String(line.id)));

  /** The workers' "succeeded" lines for `ids`, once all have arrived (a log line may trail the row's update). */
  async function succeededLogs(workers: MaskgraphProcess[], ids: string[]): Promise<Set<string>[]> {
    for (let polls = 0; polls < 100; polls += 1) {
      const sets = workers.map(succeededBy);
      if (ids.every((id) => sets.some((set) => set.has(id)))) return sets;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    return workers.map(succeededBy);
  }

  before(async () => {
    s3Dir = await mkdtemp(join(tmpdir(), 'maskgraph-s3rver-'));
    s3 = new S3rver({ port: 0, address: '127.0.0.1', silent: true, directory: s3Dir, configureBuckets: [{ name: BUCKET, configs: [] }] });
    const address = (await s3.run()) as AddressInfo;
    database = new pg.Client({ connectionString: TEST_DATABASE_URL });
    await database.connect();
    await database.query(`CREATE SCHEMA "${schema}"`);
    const url = new URL(TEST_DATABASE_URL!);
    url.searchParams.set('schema', schema);
    env = {
      DATABASE_URL: url.toString(),
      BLOB_STORE: 's3',
      S3_BUCKET: BUCKET,
      S3_ENDPOINT: `http://127.0.0.1:${address.port}`,
      S3_FORCE_PATH_STYLE: 'true',
      AWS_ACCESS_KEY_ID: 'S3RVER',
      AWS_SECRET_ACCESS_KEY: 'S3RVER',
      AWS_REGION: 'us-east-1',
      // Every gateway must verify the file URLs any other one signed.
      URL_SIGNING_SECRET: TEST_SIGNING_SECRET,
      JOB_LEASE_SECONDS: String(LEASE_SECONDS),
      JOB_TIMEOUT_MS: String((LEASE_SECONDS - 1) * 1000),
      QUEUE_POLL_SECONDS: '0.5',
      INFERENCE_THREADS: '1',
      WARM_UP: 'false',
    };
    // As docs/deployment.md says: deploy once, make a key with the CLI, then start the roles.
    await runCli(process.execPath, [CLI, 'db', 'deploy'], { env: { ...process.env, ...env } });
    key = (await runCli(process.execPath, [CLI, 'keys', 'create', 'scale'], { env: { ...process.env, ...env } })).stdout.trim();
    [gatewayA, gatewayB] = await Promise.all([start(['serve', '--role', 'api']), start(['serve', '--role', 'api'])]);
  });

  after(async () => {
    await Promise.all(processes.map((child) => child.stop(5_000)));
    await database?.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`).catch(() => {});
    await database?.query(`DROP SCHEMA IF EXISTS "${schema}_pgboss" CASCADE`).catch(() => {});
    await database?.end();
    await s3?.close();
    for (const dir of [...dataDirs, s3Dir]) await rm(dir, { recursive: true, force: true });
  });

  test('an upload on gateway A, run by a worker, is watched on gateway B until SUCCEEDED; the mask is right', async () => {
    const worker = await start(['worker']);
    try {
      const assetId = await upload(gatewayA, `${FIXTURES}/composites/c1-bear-meadow.jpg`, 'c1');
      const queued = await segment(gatewayA, assetId);
      const ws = subscriptionClient(gatewayB.url, `Bearer ${key}`);
      const statuses: string[] = [];
      let final: Segmentation | undefined;
      try {
        for await (const event of ws.iterate<{ segmentationUpdated: Segmentation }>({
          query: 'subscription($id: ID!) { segmentationUpdated(id: $id) { id status mask { url width height } } }',
          variables: { id: queued.id },
        })) {
          assert.equal(event.errors, undefined, JSON.stringify(event.errors));
          statuses.push(event.data!.segmentationUpdated.status);
          final = event.data!.segmentationUpdated;
        }
      } finally {
        await ws.dispose();
      }
      assert.equal(final?.status, 'SUCCEEDED', statuses.join(' → '));
      assert.ok((await succeededLogs([worker], [queued.id]))[0]!.has(queued.id), 'the worker process ran it');
      // The mask URL was signed by B; A serves it too (a shared signing secret, bytes from the bucket).
      const maskUrl = final.mask!.url.replace(gatewayB.url, gatewayA.url);
      const response = await fetch(maskUrl);
      assert.equal(response.status, 200);
      assert.equal(response.headers.get('content-type'), 'image/png');
      const png = Buffer.from(await response.arrayBuffer());
      const mask = await sharp(png).toColourspace('b-w').raw().toBuffer();
      const truth = await sharp(`${FIXTURES}/composites/c1-bear-meadow.gt.png`).toColourspace('b-w').raw().toBuffer();
      const iou = iouAt(new Uint8Array(mask), new Uint8Array(truth));
      assert.ok(
        iou >= 0.97,
        `IoU ${iou.toFixed(4)} (mask ${JSON.stringify(
          await sharp(png)
            .metadata()
            .then((meta) => [meta.width, meta.height, meta.channels]),
        )}, ${png.length} bytes)`,
      );
    } finally {
      await worker.stop();
    }
  });

  test('renderEffect queues a full-size render that a worker runs; any gateway then answers READY', async () => {
    const worker = await start(['worker']);
    try {
      const segmentation = (await database.query(`SELECT id FROM "${schema}"."Segmentation" WHERE status = 'SUCCEEDED' LIMIT 1`)).rows[0] as { id: string };
      const ask = (gateway: MaskgraphProcess) =>
        client(gateway).query<{ renderEffect: { status: string; rendition: { width: number; cacheStatus: string } | null } }>(
          'mutation($id: ID!) { renderEffect(segmentationId: $id, input: { backgroundBlur: { strength: 0.45 } }, output: { format: JPEG }) { status rendition { width cacheStatus } } }',
          { id: segmentation.id },
        );
      const first = await ask(gatewayA);
      assert.equal(first.errors, undefined, JSON.stringify(first.errors));
      assert.equal(first.data!.renderEffect.status, 'RENDERING');
      let answer = first.data!.renderEffect;
      for (let polls = 0; answer.status !== 'READY'; polls += 1) {
        assert.ok(polls < 600, 'rendered within 60 s');
        await new Promise((resolve) => setTimeout(resolve, 100));
        answer = (await ask(gatewayB)).data!.renderEffect;
      }
      assert.deepEqual(answer.rendition, { width: 1024, cacheStatus: 'HIT' });
      for (let polls = 0; polls < 50 && !worker.logs.some((line) => line.msg === 'rendition rendered'); polls += 1)
        await new Promise((resolve) => setTimeout(resolve, 100));
      assert.ok(
        worker.logs.some((line) => line.msg === 'rendition rendered' && line.segmentationId === segmentation.id),
        'the worker rendered it',
      );
      assert.ok(![gatewayA, gatewayB].some((gateway) => gateway.logs.some((line) => line.msg === 'rendition rendered')), 'no gateway did');
    } finally {
      await worker.stop();
    }
  });

  test("blobs are in the bucket, and none in any process's DATA_DIR", async () => {
    const s3Client = new S3Client({
      ...s3ClientConfig({ endpoint: env.S3_ENDPOINT, forcePathStyle: true }),
      region: 'us-east-1',
      credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
    });
    const listed = await s3Client.send(new ListObjectsV2Command({ Bucket: BUCKET }));
    s3Client.destroy();
    const keys = (listed.Contents ?? []).map((object) => object.Key!);
    const assets = await database.query(`SELECT sha256 FROM "${schema}"."Asset"`);
    const masks = await database.query(`SELECT "maskSha256" FROM "${schema}"."Segmentation" WHERE "maskSha256" IS NOT NULL`);
    const expected = [...assets.rows.map((row: { sha256: string }) => row.sha256), ...masks.rows.map((row: { maskSha256: string }) => row.maskSha256)];
    assert.ok(expected.length >= 2, 'expected: expected.length >= 2');
    for (const sha of expected) assert.ok(keys.includes(sha), `${sha} is in the bucket`);
    const hashNamed: string[] = [];
    const walk = async (dir: string): Promise<void> => {
      for (const entry of await readdir(dir, { withFileTypes: true })) {
        if (entry.isDirectory()) await walk(join(dir, entry.name));
        else if (/^[0-9a-f]{64}/.test(entry.name)) hashNamed.push(join(dir, entry.name));
      }
    };
    for (const dir of dataDirs) await walk(dir);
    assert.deepEqual(hashNamed, []);
  });

  test('FILE_URLS=presigned: a file URL redirects to a presigned GET of the bucket with the same bytes, type and caching', async () => {
    const presigning = await start(['serve', '--role', 'api'], { FILE_URLS: 'presigned' });
    try {
      const listed = await client(presigning).query<{ assets: { edges: { node: { segmentations: { mask: { url: string } | null }[] } }[] } }>(
        '{ assets(first: 20) { edges { node { segmentations { mask { url } } } } } }',
      );
      const url = listed.data!.assets.edges.flatMap((edge) => edge.node.segmentations).find((segmentation) => segmentation.mask)!.mask!.url;
      const redirect = await fetch(url, { redirect: 'manual' });
      assert.equal(redirect.status, 302);
      const location = new URL(redirect.headers.get('location')!);
      assert.equal(location.origin, env.S3_ENDPOINT, 'straight from the store');
      assert.equal(location.searchParams.get('X-Amz-Algorithm'), 'AWS4-HMAC-SHA256');
      const fromStore = await fetch(location);
      assert.equal(fromStore.status, 200);
      assert.equal(fromStore.headers.get('content-type'), 'image/png');
      assert.match(fromStore.headers.get('cache-control') ?? '', /immutable/);
      const streamed = await fetch(url.replace(presigning.url, gatewayA.url));
      assert.deepEqual(Buffer.from(await fromStore.arrayBuffer()), Buffer.from(await streamed.arrayBuffer()));
    } finally {
      await presigning.stop();
    }
  });

  test('a worker SIGKILLed during a run: a new worker finishes the job within the lease plus one run', async () => {
    const first = await start(['worker']);
    const assetId = await upload(gatewayA, fixturePath('grace-hopper.jpg'), 'killed');
    const { id } = await segment(gatewayA, assetId);
    await waitForRows([id], (row) => row.status === 'RUNNING', 60_000);
    first.child.kill('SIGKILL');
    await first.exited;
    const [killedRow] = await rows([id]);
    assert.equal(killedRow!.status, 'RUNNING', 'the row was left RUNNING by the dead worker');
    const killedAt = Date.now();
    const second = await start(['worker']);
    try {
      const [done] = await waitForRows([id], (row) => row.status === 'SUCCEEDED' || row.status === 'FAILED', (LEASE_SECONDS + 60) * 1000);
      assert.equal(done!.status, 'SUCCEEDED', done!.errorMessage ?? '');
      assert.equal(done!.attempts, 2, 'one interrupted attempt, one that finished');
      assert.ok((await succeededLogs([second], [id]))[0]!.has(id), 'the new worker ran it');
      const elapsed = (Date.now() - killedAt) / 1000;
      // Lease + one maintenance pass + start-up and one run on this 2-core machine.
      assert.ok(elapsed < LEASE_SECONDS + 45, `recovered after ${elapsed.toFixed(1)} s`);
    } finally {
      await second.stop();
    }
  });

  test('16 segmentations over 2 workers, a gateway restarted mid-batch: all SUCCEEDED once, both workers worked', async () => {
    const workers = await Promise.all([start(['worker']), start(['worker'])]);
    try {
      const photo = await sharp(fixturePath('grace-hopper.jpg')).resize({ width: 320 }).raw().toBuffer({ resolveWithObject: true });
      const ids: string[] = [];
      for (let index = 0; index < 16; index += 1) {
        // Distinct bytes (one pixel differs), so no run is answered from another's result.
        const pixels = Buffer.from(photo.data);
        pixels[index] = (pixels[index]! + 1 + index) % 256;
        const bytes = await sharp(pixels, { raw: photo.info }).png().toBuffer();
        const gateway = index % 2 === 0 ? gatewayA : gatewayB;
        ids.push((await segment(gateway, await upload(gateway, bytes, `batch-${index}`))).id);
        if (index === 7) {
          // Restart gateway A while jobs run: it must disturb none of them.
          await gatewayA.stop();
          processes.splice(processes.indexOf(gatewayA), 1);
          gatewayA = await start(['serve', '--role', 'api']);
        }
      }
      const done = await waitForRows(ids, (row) => row.status === 'SUCCEEDED' || row.status === 'FAILED', 240_000);
      assert.deepEqual(
        done.map((row) => row.status),
        ids.map(() => 'SUCCEEDED'),
        JSON.stringify(done.filter((row) => row.status !== 'SUCCEEDED')),
      );
      assert.deepEqual(
        done.map((row) => row.attempts),
        ids.map(() => 1),
        'no job was interrupted or run twice',
      );
      const [byFirst, bySecond] = await succeededLogs(workers, ids);
      const ranBoth = ids.filter((id) => byFirst!.has(id) && bySecond!.has(id));
      assert.deepEqual(ranBoth, [], 'no job ran on both workers');
      assert.equal(ids.filter((id) => byFirst!.has(id) || bySecond!.has(id)).length, 16, 'each job ran on a worker');
      assert.ok(byFirst!.size > 0 && bySecond!.size > 0, `both workers worked: ${byFirst!.size} and ${bySecond!.size}`);
    } finally {
      await Promise.all(workers.map((worker) => worker.stop()));
    }
  });

  test('workers serve health, readiness and Prometheus metrics', async () => {
    const worker = await start(['worker']);
    try {
      assert.deepEqual(await (await fetch(`${worker.url}/healthz`)).json(), { status: 'ok' });
      assert.deepEqual(await (await fetch(`${worker.url}/readyz`)).json(), { status: 'ready' });
      const metrics = await (await fetch(`${worker.url}/metrics`)).text();
      assert.match(metrics, /maskgraph_queue_waiting_jobs\{queue="segmentation",role="worker"\} \d+/);
      assert.match(metrics, /maskgraph_queue_waiting_jobs\{queue="render",role="worker"\} \d+/);
      assert.equal((await fetch(`${worker.url}/graphql`)).status, 404, 'a worker serves no API');
      await client(gatewayB).query('{ viewer { name } }');
      const api = await (await fetch(`${gatewayB.url}/metrics`)).text();
      assert.match(api, /maskgraph_http_request_duration_seconds_count\{[^}]*route="\/graphql"/);
    } finally {
      await worker.stop();
    }
  });
});
