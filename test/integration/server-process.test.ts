/**
 * The gateway as a user runs it: `bin/maskgraph.mjs` in its own process, keys from the
 * CLI, an upload with `curl -F`, readiness, the data-directory lock, the single-user
 * mode's loopback rule, and a graceful SIGTERM that lets an in-flight upload finish.
 */
import assert from 'node:assert/strict';
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer as createNetServer, type AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { fixturePath } from '../helpers/client.js';
import { skipUnlessRequired } from '../helpers/required-suites.js';

const CLI = fileURLToPath(new URL('../../bin/maskgraph.mjs', import.meta.url));
const LAUNCHER = fileURLToPath(new URL('../../bin/maskgraph', import.meta.url));
/** Where Debian's libjemalloc2 puts the library (the launcher looks in these places). */
const JEMALLOC = readdirSync('/usr/lib')
  .filter((dir) => dir.endsWith('-linux-gnu'))
  .map((dir) => `/usr/lib/${dir}/libjemalloc.so.2`)
  .find((path) => existsSync(path));
const run = promisify(execFile);

interface RunningServer {
  process: ChildProcess;
  url: string;
  exited: Promise<number | null>;
}

/** Starts `maskgraph serve` through the launcher, as `npm start` does, and resolves once it logs its URL. */
function serve(env: Record<string, string>): Promise<RunningServer> {
  const child = spawn(LAUNCHER, ['serve'], { env: { ...process.env, PORT: '0', WARM_UP: 'false', ...env }, stdio: ['ignore', 'ignore', 'pipe'] });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return new Promise((resolve, reject) => {
    let log = '';
    child.stderr!.on('data', (chunk: Buffer) => {
      log += chunk.toString();
      const match = /"url":"([^"]+)"[^\n]*"msg":"maskgraph listening"/.exec(log);
      if (match) resolve({ process: child, url: match[1]!, exited });
    });
    void exited.then((code) => reject(new Error(`server exited with ${code}: ${log}`)));
  });
}

describe('the gateway process', () => {
  let dataDir: string;
  let key: string;
  let server: RunningServer;

  before(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'maskgraph-process-'));
    const created = await run(process.execPath, [CLI, 'keys', 'create', 'alice'], { env: { ...process.env, DATA_DIR: dataDir } });
    key = created.stdout.trim();
    assert.match(key, /^mg_[A-Za-z0-9_-]{43}$/);
    assert.match(created.stderr, /shown once/);
    server = await serve({ DATA_DIR: dataDir });
  });
  after(async () => {
    server?.process.kill('SIGKILL');
    await rm(dataDir, { recursive: true, force: true });
  });

  test('is healthy and ready', async () => {
    assert.deepEqual(await (await fetch(`${server.url}/healthz`)).json(), { status: 'ok' });
    assert.deepEqual(await (await fetch(`${server.url}/readyz`)).json(), { status: 'ready' });
    const page = await fetch(`${server.url}/`);
    assert.match(await page.text(), /<script type="module" src="\/app\/app.js"><\/script>/);
    assert.equal((await fetch(`${server.url}/app/app.js`)).status, 200, 'the page script is served');
  });

  test(
    'runs on jemalloc through the launcher, and says so in its log and metrics',
    { skip: skipUnlessRequired('jemalloc check', JEMALLOC ? undefined : 'libjemalloc2 is not installed (apt-get install libjemalloc2)') },
    async () => {
      const metrics = await (await fetch(`${server.url}/metrics`)).text();
      assert.match(metrics, /^maskgraph_memory_allocator\{allocator="jemalloc"[^}]*\} 1$/m, 'the gateway started by bin/maskgraph runs on jemalloc');
      const maps = await readFile(`/proc/${server.process.pid}/maps`, 'utf8');
      assert.ok(maps.includes(JEMALLOC!), 'the loader mapped libjemalloc into the gateway itself (the launcher exec-ed node, same pid)');
    },
  );

  test('accepts a curl -F upload of an EXIF-rotated JPEG and reports the oriented size', async () => {
    const operations = JSON.stringify({
      query: 'mutation($f: Upload!) { uploadAsset(file: $f) { width height orientation mimeType } }',
      variables: { f: null },
    });
    const { stdout } = await run('curl', [
      '-sS',
      `${server.url}/graphql`,
      '-H',
      `Authorization: Bearer ${key}`,
      '-H',
      'Apollo-Require-Preflight: true',
      '-F',
      `operations=${operations}`,
      '-F',
      'map={"0":["variables.f"]}',
      '-F',
      `0=@${fixturePath('dogs-portrait-exif6.jpg')}`,
    ]);
    assert.deepEqual(JSON.parse(stdout), { data: { uploadAsset: { width: 2048, height: 3088, orientation: 6, mimeType: 'image/jpeg' } } });
  });

  test('refuses a second server on the same embedded database', async () => {
    const second = await run(process.execPath, [CLI, 'serve'], { env: { ...process.env, DATA_DIR: dataDir, PORT: '0' } }).catch(
      (error: { code: number; stderr: string }) => error,
    );
    assert.equal((second as { code: number }).code, 2);
    assert.match((second as { stderr: string }).stderr, /in use by process/);
  });

  test('keys create, list and revoke work while it runs, through the running gateway', async () => {
    const env = { env: { ...process.env, DATA_DIR: dataDir } };
    const created = await run(process.execPath, [CLI, 'keys', 'create', 'bob'], env);
    const bobKey = created.stdout.trim();
    assert.match(bobKey, /^mg_[A-Za-z0-9_-]{43}$/);
    const keyId = /Created key ([0-9a-f-]{36})/.exec(created.stderr)![1]!;
    const viewer = () =>
      fetch(`${server.url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${bobKey}` },
        body: JSON.stringify({ query: '{ viewer { name } }' }),
      });
    assert.deepEqual(await (await viewer()).json(), { data: { viewer: { name: 'bob' } } });
    assert.match((await run(process.execPath, [CLI, 'keys', 'list'], env)).stdout, new RegExp(`${keyId} .* bob .*active`));
    assert.equal((await run(process.execPath, [CLI, 'keys', 'revoke', keyId], env)).stdout.trim(), `revoked ${keyId}`);
    assert.equal((await viewer()).status, 401);
    // The control route refuses anyone without the token from the data directory.
    const forged = await fetch(`${server.url}/control/keys`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: 'Control not-the-token' },
      body: JSON.stringify({ action: 'list' }),
    });
    assert.equal(forged.status, 403);
  });

  test('on SIGTERM finishes the upload in flight, then exits 0', async () => {
    const photo = await readFile(fixturePath('fig-bowl.jpg'));
    const boundary = 'maskgraphboundary';
    const head = Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="operations"\r\n\r\n` +
        JSON.stringify({ query: 'mutation($f: Upload!) { uploadAsset(file: $f) { byteSize } }', variables: { f: null } }) +
        `\r\n--${boundary}\r\nContent-Disposition: form-data; name="map"\r\n\r\n{"0":["variables.f"]}\r\n` +
        `--${boundary}\r\nContent-Disposition: form-data; name="0"; filename="fig.jpg"\r\nContent-Type: image/jpeg\r\n\r\n`,
    );
    const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
    let sendRest!: () => void;
    const restAllowed = new Promise<void>((resolve) => (sendRest = resolve));
    const body = new ReadableStream<Uint8Array>({
      async start(controller) {
        controller.enqueue(head);
        controller.enqueue(photo.subarray(0, 100_000));
        await restAllowed;
        controller.enqueue(photo.subarray(100_000));
        controller.enqueue(tail);
        controller.close();
      },
    });
    const pending = fetch(`${server.url}/graphql`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'apollo-require-preflight': 'true', 'content-type': `multipart/form-data; boundary=${boundary}` },
      body,
      duplex: 'half',
    } as RequestInit);
    await new Promise((resolve) => setTimeout(resolve, 300)); // let the first bytes arrive
    server.process.kill('SIGTERM');
    await new Promise((resolve) => setTimeout(resolve, 300));
    sendRest();
    const response = await pending;
    assert.deepEqual(await response.json(), { data: { uploadAsset: { byteSize: photo.length } } });
    assert.equal(await server.exited, 0);
  });

  test('single-user mode needs a loopback host and then serves without a key', async () => {
    const refused = await run(process.execPath, [CLI, 'serve'], {
      env: { ...process.env, DATA_DIR: dataDir, AUTH_MODE: 'single-user', HOST: '0.0.0.0' },
    }).catch((error: { code: number; stderr: string }) => error);
    assert.equal((refused as { code: number }).code, 2);
    assert.match((refused as { stderr: string }).stderr, /AUTH_MODE: .*loopback/);

    const local = await serve({ DATA_DIR: dataDir, AUTH_MODE: 'single-user' });
    try {
      const response = await fetch(`${local.url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query: '{ viewer { name } assets { totalCount } }' }),
      });
      assert.deepEqual(await response.json(), { data: { viewer: { name: 'local' }, assets: { totalCount: 0 } } });
    } finally {
      local.process.kill('SIGTERM');
      assert.equal(await local.exited, 0);
    }
  });
});

describe('the command line as a new user meets it', () => {
  test('--version prints the package version', async () => {
    const { version } = JSON.parse(await readFile(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
    const { stdout } = await run(process.execPath, [CLI, '--version']);
    assert.equal(stdout.trim(), version);
  });

  test('a port already in use is one clear line and exit code 2, not a stack', async () => {
    const holder = createNetServer();
    await new Promise<void>((resolve) => holder.listen(0, '127.0.0.1', resolve));
    const port = (holder.address() as AddressInfo).port;
    const dataDir = await mkdtemp(join(tmpdir(), 'maskgraph-port-'));
    try {
      const failed = await run(process.execPath, [CLI, 'serve'], {
        env: { ...process.env, PORT: String(port), DATA_DIR: dataDir, WARM_UP: 'false', LOG_LEVEL: 'error' },
      }).then(
        () => assert.fail('serve started on a taken port'),
        (error: { code: number; stderr: string }) => error,
      );
      assert.equal(failed.code, 2, failed.stderr);
      assert.match(failed.stderr, new RegExp(`Port ${port} on 127\\.0\\.0\\.1 is already in use`));
      assert.doesNotMatch(failed.stderr, /\n\s+at /, 'no stack trace');
    } finally {
      holder.close();
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});

describe('a first start on loopback', () => {
  test('prints a sign-in link once, whose key works, and none on the next start', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'maskgraph-first-run-'));
    const children: ChildProcess[] = [];
    const start = () => {
      const child = spawn(process.execPath, [CLI, 'serve'], {
        env: { ...process.env, PORT: '0', WARM_UP: 'false', DATA_DIR: dataDir },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let out = '';
      let log = '';
      child.stdout!.on('data', (chunk: Buffer) => (out += chunk.toString()));
      children.push(child);
      const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
      const listening = new Promise<string>((resolve, reject) => {
        child.stderr!.on('data', (chunk: Buffer) => {
          log += chunk.toString();
          const match = /"url":"([^"]+)"[^\n]*"msg":"maskgraph listening"/.exec(log);
          if (match) resolve(match[1]!);
        });
        void exited.then((code) => reject(new Error(`server exited with ${code}: ${log}`)));
      });
      return { child, exited, listening, stdout: () => out, log: () => log };
    };
    try {
      const first = start();
      const url = await first.listening;
      // The link is written right after the listening log line.
      let link: RegExpExecArray | null = null;
      for (let polls = 0; polls < 100 && !link; polls += 1) {
        link = /(http:\/\/\S+)\/#key=(mg_[A-Za-z0-9_-]{43})/.exec(first.stdout());
        if (!link) await new Promise((resolve) => setTimeout(resolve, 50));
      }
      assert.ok(link, `a sign-in link on stdout: ${first.stdout()}`);
      assert.equal(link[1], url);
      const viewer = await fetch(`${url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${link[2]}` },
        body: JSON.stringify({ query: '{ viewer { name } }' }),
      });
      assert.deepEqual(await viewer.json(), { data: { viewer: { name: 'me' } } });
      first.child.kill('SIGTERM');
      assert.equal(await first.exited, 0, first.log());

      const second = start();
      await second.listening;
      second.child.kill('SIGTERM');
      assert.equal(await second.exited, 0, second.log());
      assert.doesNotMatch(second.stdout(), /#key=/, 'a key exists now: no second link');
    } finally {
      for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});

describe('a gateway killed during a segmentation', () => {
  test('ends the job SUCCEEDED or FAILED after a restart, never stuck RUNNING', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'maskgraph-crash-'));
    const env = { DATA_DIR: dataDir, AUTH_MODE: 'single-user', WARM_UP: 'false' };
    const query = async (url: string, text: string, variables: Record<string, unknown> = {}) => {
      const response = await fetch(`${url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query: text, variables }),
      });
      return ((await response.json()) as { data: Record<string, any> }).data; // eslint-disable-line @typescript-eslint/no-explicit-any
    };
    try {
      const first = await serve(env);
      const form = new FormData();
      form.append('operations', JSON.stringify({ query: 'mutation($f: Upload!) { uploadAsset(file: $f) { id } }', variables: { f: null } }));
      form.append('map', JSON.stringify({ 0: ['variables.f'] }));
      form.append('0', new Blob([await readFile(fixturePath('fig-bowl.jpg'))]), 'fig.jpg');
      const uploaded = (await (
        await fetch(`${first.url}/graphql`, { method: 'POST', headers: { 'apollo-require-preflight': 'true' }, body: form })
      ).json()) as { data: { uploadAsset: { id: string } } };
      const requested = await query(first.url, 'mutation($id: ID!) { segmentAsset(input: { assetId: $id }) { id status } }', {
        id: uploaded.data.uploadAsset.id,
      });
      const id = requested.segmentAsset.id as string;
      // Kill it while the job is RUNNING (the model loads cold, so that lasts seconds);
      // a kill before or after the run would not exercise crash recovery at all.
      let statusAtKill = 'QUEUED';
      for (let polls = 0; polls < 500 && statusAtKill === 'QUEUED'; polls += 1) {
        statusAtKill = (await query(first.url, 'query($id: ID!) { segmentation(id: $id) { status } }', { id })).segmentation.status;
        if (statusAtKill === 'QUEUED') await new Promise((resolve) => setTimeout(resolve, 20));
      }
      first.process.kill('SIGKILL');
      assert.equal(statusAtKill, 'RUNNING', 'killed during the run');
      await first.exited;

      const second = await serve(env);
      try {
        let status = '';
        for (let polls = 0; polls < 600 && status !== 'SUCCEEDED' && status !== 'FAILED'; polls += 1) {
          status = (await query(second.url, 'query($id: ID!) { segmentation(id: $id) { status } }', { id })).segmentation.status;
          if (status !== 'SUCCEEDED' && status !== 'FAILED') await new Promise((resolve) => setTimeout(resolve, 100));
        }
        assert.equal(status, 'SUCCEEDED');
        // Recovery ran the model again: an interrupted run left no result to reuse.
        const { segmentation } = await query(second.url, 'query($id: ID!) { segmentation(id: $id) { reused timings { inferenceMs } mask { width } } }', { id });
        assert.equal(segmentation.reused, false);
        assert.ok(segmentation.timings.inferenceMs > 0 && segmentation.mask.width > 0, JSON.stringify(segmentation));
      } finally {
        second.process.kill('SIGTERM');
        assert.equal(await second.exited, 0);
      }
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});
