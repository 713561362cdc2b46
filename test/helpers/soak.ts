/**
 * The chaos soak (issue 26), shared by `bench/soak.ts` (20 minutes by default) and its short
 * version in the suite: 2 API gateways and 2 workers as real processes on PostgreSQL and an
 * S3 stand-in (s3rver, in this process), 8 clients at work, and faults injected meanwhile:
 * a worker SIGKILLed every 30–60 s and restarted, a gateway SIGTERMed and restarted (a
 * rolling deploy), one PostgreSQL restart, the object store away for 10 s.
 *
 * Then it checks what a user would: every job ended (FAILED only with a reason), every
 * write a client saw acknowledged reads back byte-identical (uploads, masks, corrections),
 * deleted assets stay deleted, `maskgraph fsck` is clean, and client errors were only
 * retryable ones. Latencies are kept per request, with whether a fault was under way.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import pg from 'pg';
import { fixturePath, uniqueJpeg } from './client.js';
import { CLI, runCli, startMaskgraph, type MaskgraphProcess } from './processes.js';

export interface SoakOptions {
  minutes: number;
  databaseUrl: string;
  clients?: number;
  /** Progress lines (stderr in the bench). */
  log?: (line: string) => void;
}

export interface RequestRecord {
  op: string;
  startedMs: number;
  ms: number;
  /** Undefined when it succeeded; an error code, or NETWORK when no answer came. */
  error?: string;
  duringFault: boolean;
}

export interface SoakReport {
  minutes: number;
  requests: RequestRecord[];
  faults: { kind: string; atSeconds: number; detail: string }[];
  acknowledged: { uploads: number; segmentations: number; corrections: number; deletions: number };
  jobs: { succeeded: number; failed: number; failedWithoutReason: string[]; unfinished: string[] };
  /** Acknowledged writes that could not be read back as they were (each described). */
  lost: string[];
  /** Errors that a client could not simply retry. */
  nonRetryable: RequestRecord[];
  fsck: { exitCode: number; findings: unknown[] };
  /**
   * Processes that lived through the run: median resident memory in a window after warm-up and in the
   * run's last window (single samples swing with the renders in flight), the peak, and the growth.
   */
  memory: {
    name: string;
    warmMb: number;
    endMb: number;
    peakMb: number;
    growth: number;
    /** Least-squares slope of every sample after warm-up: a trend, where the windows can catch a swing. */
    trendMbPerMinute: number;
    perMinuteMb: number[];
    heapByMinute: string[];
  }[];
  /** Processes that exited other than by our SIGKILL or with code 0 after our SIGTERM. */
  badExits: string[];
}

const RETRYABLE = new Set(['UNAVAILABLE', 'STORAGE_UNAVAILABLE', 'BUSY', 'NETWORK']);
const BUCKET = 'maskgraph-soak';
const S3RVER_MAIN = fileURLToPath(new URL('./s3rver-main.mjs', import.meta.url));
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');
const random = (min: number, max: number) => min + Math.random() * (max - min);

class GraphQLFailure extends Error {
  constructor(readonly code: string) {
    super(code);
  }
}

async function residentMb(pid: number | undefined): Promise<number | undefined> {
  if (!pid) return undefined;
  const status = await readFile(`/proc/${pid}/status`, 'utf8').catch(() => undefined);
  const kb = status?.match(/VmRSS:\s+(\d+) kB/)?.[1];
  return kb ? Number(kb) / 1024 : undefined;
}

export async function runSoak(options: SoakOptions): Promise<SoakReport> {
  const log = options.log ?? (() => {});
  const durationMs = options.minutes * 60_000;
  const clientCount = options.clients ?? 8;
  const schema = `mg_soak_${randomBytes(5).toString('hex')}`;
  const admin = new pg.Client({ connectionString: options.databaseUrl });
  admin.on('error', () => {}); // the PostgreSQL restart ends this connection too
  await admin.connect();
  await admin.query(`CREATE SCHEMA "${schema}"`);
  await admin.end();
  const url = new URL(options.databaseUrl);
  url.searchParams.set('schema', schema);
  const s3Dir = await mkdtemp(join(tmpdir(), 'maskgraph-soak-s3-'));
  const dataDirs: string[] = [];
  // The object store in a process of its own (see s3rver-main.mjs): its outage is a SIGKILL.
  let s3: ChildProcess | undefined;
  const startS3 = async (port: number) => {
    const child = spawn(process.execPath, ['--openssl-legacy-provider', S3RVER_MAIN, String(port), s3Dir, BUCKET], { stdio: ['ignore', 'pipe', 'inherit'] });
    s3 = child;
    const line = await new Promise<string>((resolve, reject) => {
      child.stdout!.once('data', (chunk: Buffer) => resolve(chunk.toString()));
      child.once('exit', (code) => reject(new Error(`s3rver exited with ${code}`)));
    });
    return (JSON.parse(line) as { port: number }).port;
  };
  const stopS3 = async () => {
    const child = s3;
    s3 = undefined;
    if (!child || child.exitCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGKILL');
    await exited;
  };
  const s3Port = await startS3(0);
  const env: Record<string, string> = {
    DATABASE_URL: url.toString(),
    BLOB_STORE: 's3',
    S3_BUCKET: BUCKET,
    S3_ENDPOINT: `http://127.0.0.1:${s3Port}`,
    S3_FORCE_PATH_STYLE: 'true',
    AWS_ACCESS_KEY_ID: 'S3RVER',
    AWS_SECRET_ACCESS_KEY: 'S3RVER',
    AWS_REGION: 'us-east-1',
    URL_SIGNING_SECRET: randomBytes(24).toString('hex'),
    WARM_UP: 'false',
    INFERENCE_THREADS: '1',
    MODELS_PRELOAD: 'u2netp',
    // A SIGKILLed worker's job comes back after its lease: short, so the run can end.
    JOB_LEASE_SECONDS: '30',
    JOB_TIMEOUT_MS: '25000',
    JOB_MAX_ATTEMPTS: '5',
    QUEUE_POLL_SECONDS: '1',
  };
  const cliEnv = async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'maskgraph-soak-'));
    dataDirs.push(dataDir);
    return { ...process.env, ...env, DATA_DIR: dataDir };
  };

  const started = performance.now();
  const elapsed = () => performance.now() - started;
  const faults: SoakReport['faults'] = [];
  const faultWindows: [number, number][] = [];
  const badExits: string[] = [];
  const inFault = (at: number) => faultWindows.some(([from, to]) => at >= from && at <= to);

  await runCli(process.execPath, [CLI, 'db', 'deploy'], { env: await cliEnv() });
  const keys: string[] = [];
  for (let owner = 0; owner < Math.ceil(clientCount / 2); owner += 1) {
    keys.push((await runCli(process.execPath, [CLI, 'keys', 'create', `soak-${owner}`], { env: await cliEnv() })).stdout.trim());
  }

  /** A role's process, restarted in place; `expectedEnd` tells a crash from our own stop. */
  interface Slot {
    name: string;
    args: string[];
    process: MaskgraphProcess;
    bornMs: number;
    expectedEnd?: 'SIGKILL' | 'SIGTERM';
    /** Resident memory of the current process, sampled every few seconds: [ms into the run, MB]. */
    rss: [number, number][];
    /** From its /metrics once a minute: the main thread's V8 heap in use and its external (Buffer) memory, MB. */
    heap: { atMs: number; heapUsedMb: number; externalMb: number; renderHeapMb: number; libvipsMb: number }[];
  }
  const launch = async (name: string, args: string[]): Promise<Slot> => {
    const slot: Slot = {
      name,
      args,
      process: await startMaskgraph(args, { ...env, DATA_DIR: (await cliEnv()).DATA_DIR }),
      bornMs: elapsed(),
      rss: [],
      heap: [],
    };
    watch(slot);
    return slot;
  };
  const watch = (slot: Slot) => {
    const { process: child } = slot;
    void child.exited.then((code) => {
      const signal = child.child.signalCode;
      if (slot.process !== child) return; // replaced already
      if (slot.expectedEnd === 'SIGKILL' && signal === 'SIGKILL') return;
      if (slot.expectedEnd === 'SIGTERM' && code === 0) return;
      badExits.push(`${slot.name} exited with ${code ?? signal} at ${(elapsed() / 1000).toFixed(0)} s: ${child.output().slice(-1500)}`);
      log(badExits.at(-1)!);
    });
  };
  const restart = async (slot: Slot, how: 'SIGKILL' | 'SIGTERM') => {
    slot.expectedEnd = how;
    const old = slot.process;
    if (how === 'SIGKILL') old.child.kill('SIGKILL');
    else old.child.kill('SIGTERM');
    const code = await old.exited;
    if (how === 'SIGTERM' && code !== 0) badExits.push(`${slot.name} exited with ${code} after SIGTERM: ${old.output().slice(-800)}`);
    slot.process = await startMaskgraph(slot.args, { ...env, DATA_DIR: (await cliEnv()).DATA_DIR });
    slot.bornMs = elapsed();
    slot.expectedEnd = undefined;
    slot.rss = [];
    slot.heap = [];
    watch(slot);
  };

  const gateways = [await launch('gateway-1', ['serve', '--role', 'api']), await launch('gateway-2', ['serve', '--role', 'api'])];
  const workers = [await launch('worker-1', ['worker']), await launch('worker-2', ['worker'])];
  const slots = [...gateways, ...workers];
  log(`soak: ${options.minutes} min, 2 gateways, 2 workers, ${clientCount} clients, schema ${schema}`);

  try {
    // ---- Clients ----
    const requests: RequestRecord[] = [];
    const uploads: { assetId: string; sha256: string; key: string }[] = [];
    const segmentations: { id: string; assetId: string; key: string }[] = [];
    const corrections: { segmentationId: string; version: number; sha256: string; key: string }[] = [];
    const deletions: { assetId: string; key: string }[] = [];
    const maybeDeleted = new Set<string>();
    const gatewayUrl = () => gateways[Math.floor(Math.random() * gateways.length)]!.process.url;

    /** One GraphQL request to any gateway, timed and classified; throws GraphQLFailure with its code. */
    const call = async <T>(op: string, key: string, body: string | FormData, json: boolean): Promise<T> => {
      const at = elapsed();
      const record: RequestRecord = { op, startedMs: at, ms: 0, duringFault: false };
      requests.push(record);
      try {
        const response = await fetch(`${gatewayUrl()}/graphql`, {
          method: 'POST',
          headers: { authorization: `Bearer ${key}`, ...(json ? { 'content-type': 'application/json' } : { 'apollo-require-preflight': 'true' }) },
          body,
          signal: AbortSignal.timeout(60_000),
        }).catch(() => {
          throw new GraphQLFailure('NETWORK');
        });
        const answer = (await response.json().catch(() => ({ errors: [{ extensions: { code: `HTTP_${response.status}` } }] }))) as {
          data?: T;
          errors?: { extensions?: { code?: string } }[];
        };
        if (answer.errors?.length) throw new GraphQLFailure(answer.errors[0]!.extensions?.code ?? 'UNKNOWN');
        return answer.data!;
      } catch (error) {
        record.error = error instanceof GraphQLFailure ? error.code : 'NETWORK';
        throw error;
      } finally {
        record.ms = elapsed() - at;
        record.duringFault = inFault(at) || inFault(elapsed());
      }
    };
    const query = <T>(op: string, key: string, text: string, variables: Record<string, unknown> = {}) =>
      call<T>(op, key, JSON.stringify({ query: text, variables }), true);

    const photos = [fixturePath('dogs-portrait.jpg'), fixturePath('flower.jpg'), fixturePath('cat-chelsea.png')];
    const clientLoop = async (index: number) => {
      const key = keys[Math.floor(index / 2)]!;
      const mine = { assets: [] as string[], segmentations: [] as { id: string; assetId: string; succeeded: boolean }[] };
      while (elapsed() < durationMs) {
        const roll = Math.random();
        const succeeded = mine.segmentations.filter((entry) => entry.succeeded);
        try {
          if (roll < 0.2 || mine.assets.length === 0) {
            const bytes = Math.random() < 0.5 ? await uniqueJpeg(320, 240) : await readFile(photos[Math.floor(Math.random() * photos.length)]!);
            const form = new FormData();
            form.append(
              'operations',
              JSON.stringify({ query: 'mutation($file: Upload!) { uploadAsset(file: $file) { id sha256 } }', variables: { file: null } }),
            );
            form.append('map', JSON.stringify({ 0: ['variables.file'] }));
            form.append('0', new Blob([bytes]), 'soak.jpg');
            const done = await call<{ uploadAsset: { id: string; sha256: string } }>('upload', key, form, false);
            if (done.uploadAsset.sha256 !== sha256(bytes)) throw new Error(`upload acknowledged with another hash: ${done.uploadAsset.id}`);
            uploads.push({ assetId: done.uploadAsset.id, sha256: done.uploadAsset.sha256, key });
            mine.assets.push(done.uploadAsset.id);
          } else if (roll < 0.4) {
            const assetId = mine.assets[Math.floor(Math.random() * mine.assets.length)]!;
            const refine = Math.random() < 0.25;
            const done = await query<{ segmentAsset: { id: string } }>(
              'segment',
              key,
              'mutation($id: ID!, $refine: Boolean) { segmentAsset(input: { assetId: $id, model: "u2netp", refine: $refine }) { id } }',
              { id: assetId, refine },
            );
            segmentations.push({ id: done.segmentAsset.id, assetId, key });
            mine.segmentations.push({ id: done.segmentAsset.id, assetId, succeeded: false });
          } else if (roll < 0.85 && succeeded.length === 0 && mine.segmentations.length > 0) {
            // Which of mine have finished? One read for all (a library page).
            const ids = mine.segmentations.slice(-20).map((entry) => entry.id);
            const done = await query<{ nodes: ({ id: string; status: string } | null)[] }>(
              'read',
              key,
              'query($ids: [ID!]!) { nodes(ids: $ids) { ... on Segmentation { id status } } }',
              { ids },
            );
            for (const node of done.nodes) {
              const entry = node && mine.segmentations.find((candidate) => candidate.id === node.id);
              if (entry && node.status === 'SUCCEEDED') entry.succeeded = true;
            }
            await sleep(200);
          } else if (roll < 0.85 && succeeded.length > 0) {
            const target = succeeded[Math.floor(Math.random() * succeeded.length)]!;
            if (roll < 0.6) {
              const x = Math.round(random(10, 200));
              const done = await query<{ correctMask: { version: number; mask: { url: string } } }>(
                'correct',
                key,
                'mutation($input: CorrectMaskInput!) { correctMask(input: $input) { version mask { url } } }',
                {
                  input: {
                    segmentationId: target.id,
                    strokes: [
                      {
                        mode: Math.random() < 0.5 ? 'ADD' : 'ERASE',
                        radiusPx: 12,
                        points: [
                          [x, 40],
                          [x + 30, 90],
                        ],
                      },
                    ],
                  },
                },
              );
              const bytes = await fetchBytes(done.correctMask.mask.url);
              if (bytes) corrections.push({ segmentationId: target.id, version: done.correctMask.version, sha256: sha256(bytes), key });
            } else {
              await query(
                'effect',
                key,
                'query($id: ID!, $s: Float!) { segmentation(id: $id) { effect(input: { backgroundBlur: { strength: $s } }, output: { maxWidth: 256 }) { url } } }',
                {
                  id: target.id,
                  s: Math.round(random(0.1, 0.9) * 100) / 100,
                },
              );
            }
          } else if (roll >= 0.9 && mine.assets.length > 3) {
            const assetId = mine.assets.splice(Math.floor(Math.random() * mine.assets.length), 1)[0]!;
            try {
              await query('delete', key, 'mutation($id: ID!) { deleteAsset(id: $id) { id } }', { id: assetId });
              deletions.push({ assetId, key });
              mine.segmentations = mine.segmentations.filter((entry) => entry.assetId !== assetId);
            } catch (error) {
              // Refused for certain (a client error, BUSY): still mine. No answer, or the server
              // away: it may have gone through. The client forgets it, and so do the checks.
              const certain = error instanceof GraphQLFailure && !['NETWORK', 'UNAVAILABLE', 'STORAGE_UNAVAILABLE'].includes(error.code);
              if (certain) mine.assets.push(assetId);
              else {
                maybeDeleted.add(assetId);
                mine.segmentations = mine.segmentations.filter((entry) => entry.assetId !== assetId);
              }
              throw error;
            }
          } else {
            await query('read', key, '{ assets(first: 20) { totalCount edges { node { id name thumbnail } } } }');
          }
        } catch (error) {
          // Anything else ends the soak, named (a DOMException reached the test runner as `{}`).
          if (!(error instanceof GraphQLFailure))
            throw new Error(`soak client ${index} stopped: ${error instanceof Error ? `${error.name}: ${error.message}` : String(error)}`, { cause: error });
          await sleep(250); // a client backs off a little and carries on
        }
      }
    };

    // ---- Faults ----
    const fault = async (kind: string, detail: string, work: () => Promise<void>) => {
      const from = elapsed();
      const window: [number, number] = [from, Number.POSITIVE_INFINITY];
      faultWindows.push(window);
      faults.push({ kind, atSeconds: Math.round(from / 1000), detail });
      log(`${(from / 1000).toFixed(0)} s: ${kind} (${detail})`);
      try {
        await work();
      } finally {
        window[1] = elapsed() + 10_000; // recovery counts as part of the fault
      }
    };
    const restartPostgres = async () => {
      const version = (await readdirSafe('/etc/postgresql'))[0];
      const restarted = version
        ? await promisify(execFile)('pg_ctlcluster', ['--skip-systemctl-redirect', version, 'main', 'restart'], { timeout: 60_000 }).then(
            () => true,
            () => false,
          )
        : false;
      if (restarted) return;
      // Not allowed here: end every connection of this deployment instead, as a failover would.
      const client = new pg.Client({ connectionString: options.databaseUrl });
      await client.connect();
      await client.query(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name LIKE 'maskgraph%' AND pid <> pg_backend_pid()`);
      await client.end();
      faults.at(-1)!.detail += ' (pg_ctlcluster unavailable: every maskgraph connection terminated instead)';
    };
    const faultsDone = (async () => {
      const plan: [number, () => Promise<void>][] = [
        [0.3, () => fault('gateway SIGTERM', 'gateway-1, restarted (a rolling deploy)', () => restart(gateways[0]!, 'SIGTERM'))],
        [0.5, () => fault('PostgreSQL restart', 'pg_ctlcluster restart', restartPostgres)],
        [
          0.7,
          () =>
            fault('blob store away', 's3rver killed, back after 10 s', async () => {
              await stopS3();
              await sleep(10_000);
              await startS3(s3Port);
            }),
        ],
      ];
      let nextKill = random(30_000, 60_000);
      let nextSample = 0;
      let nextHeapSample = 0;
      while (elapsed() < durationMs) {
        if (plan.length > 0 && elapsed() >= plan[0]![0] * durationMs) await plan.shift()![1]();
        if (elapsed() >= nextKill) {
          const worker = workers[Math.floor(Math.random() * workers.length)]!;
          await fault('worker SIGKILL', `${worker.name}, restarted`, () => restart(worker, 'SIGKILL'));
          nextKill = elapsed() + random(30_000, 60_000);
        }
        if (elapsed() >= nextSample) {
          nextSample = elapsed() + 5_000;
          for (const slot of slots) {
            const mb = await residentMb(slot.process.child.pid);
            if (mb !== undefined) slot.rss.push([elapsed(), mb]);
          }
        }
        if (elapsed() >= nextHeapSample) {
          nextHeapSample = elapsed() + 60_000;
          for (const slot of gateways) {
            const sample = await heapOf(slot.process.url);
            if (sample) slot.heap.push({ atMs: elapsed(), ...sample });
          }
        }
        await sleep(500);
      }
      for (const [, run] of plan) await run(); // a short run still gets every fault
    })();

    await Promise.all([faultsDone, ...Array.from({ length: clientCount }, (_, index) => clientLoop(index))]);
    log(`${(elapsed() / 1000).toFixed(0)} s: load stopped; waiting for every job to end`);

    // ---- Checks ----
    const memory = memoryGrowth(slots, durationMs);
    // Assets deleted, and those whose delete got no clear answer: nothing is claimed of either.
    const deleted = new Set([...deletions.map((entry) => entry.assetId), ...maybeDeleted]);
    const ask = async <T>(key: string, text: string, variables: Record<string, unknown>): Promise<T> => {
      for (let tries = 0; ; tries += 1) {
        try {
          return await query<T>('check', key, text, variables);
        } catch (error) {
          if (tries >= 20 || !(error instanceof GraphQLFailure) || !RETRYABLE.has(error.code)) throw error;
          await sleep(500);
        }
      }
    };
    log(`checking ${segmentations.length} jobs, ${uploads.length} uploads, ${corrections.length} corrections, ${deletions.length} deletions`);
    const live = segmentations.filter((entry) => !deleted.has(entry.assetId));
    const final = new Map<string, { status: string; errorCode: string | null }>();
    const deadline = elapsed() + 180_000;
    for (const entry of live) {
      for (;;) {
        // Gone (NOT_FOUND) is reported as MISSING with the unfinished ones, not thrown.
        const row = (
          await ask<{ segmentation: { status: string; errorCode: string | null } | null }>(
            entry.key,
            'query($id: ID!) { segmentation(id: $id) { status errorCode } }',
            { id: entry.id },
          ).catch((error: unknown) => (error instanceof GraphQLFailure && error.code === 'NOT_FOUND' ? { segmentation: null } : Promise.reject(error)))
        ).segmentation;
        if (!row || row.status === 'SUCCEEDED' || row.status === 'FAILED' || elapsed() > deadline) {
          final.set(entry.id, row ?? { status: 'MISSING', errorCode: null });
          break;
        }
        await sleep(500);
      }
    }
    const lost: string[] = [];
    for (const upload of uploads.filter((entry) => !deleted.has(entry.assetId))) {
      const asset = (await ask<{ asset: { url: string } | null }>(upload.key, 'query($id: ID!) { asset(id: $id) { url } }', { id: upload.assetId })).asset;
      const bytes = asset ? await fetchBytes(asset.url) : undefined;
      if (!bytes || sha256(bytes) !== upload.sha256) lost.push(`upload ${upload.assetId}: ${asset ? 'bytes differ or unreadable' : 'asset gone'}`);
    }
    for (const correction of corrections) {
      const segmentation = segmentations.find((entry) => entry.id === correction.segmentationId)!;
      if (deleted.has(segmentation.assetId)) continue;
      const mask = (
        await ask<{ segmentation: { mask: { url: string } | null } | null }>(
          correction.key,
          'query($id: ID!, $v: Int) { segmentation(id: $id) { mask(version: $v) { url } } }',
          {
            id: correction.segmentationId,
            v: correction.version,
          },
        )
      ).segmentation?.mask;
      const bytes = mask ? await fetchBytes(mask.url) : undefined;
      if (!bytes || sha256(bytes) !== correction.sha256)
        lost.push(`correction ${correction.segmentationId} v${correction.version}: ${mask ? 'bytes differ' : 'gone'}`);
    }
    for (const [id, row] of final) {
      if (row.status !== 'SUCCEEDED') continue;
      const key = segmentations.find((entry) => entry.id === id)!.key;
      const mask = (
        await ask<{ segmentation: { mask: { url: string } | null } | null }>(key, 'query($id: ID!) { segmentation(id: $id) { mask { url } } }', { id })
      ).segmentation?.mask;
      if (!mask || !(await fetchBytes(mask.url))) lost.push(`segmentation ${id}: SUCCEEDED but its mask cannot be read`);
    }
    for (const deletion of deletions) {
      const asset = await ask<{ asset: unknown }>(deletion.key, 'query($id: ID!) { asset(id: $id) { id } }', { id: deletion.assetId }).catch(
        (error: unknown) => (error instanceof GraphQLFailure && error.code === 'NOT_FOUND' ? { asset: null } : Promise.reject(error)),
      );
      if (asset.asset) lost.push(`deleted asset ${deletion.assetId} is back`);
    }

    // fsck beside the running processes, as an operator would run it.
    const fsckRun = await runCli(process.execPath, [CLI, 'fsck', '--json'], { env: await cliEnv(), timeout: 120_000 }).then(
      (done) => ({ code: 0, stdout: done.stdout }),
      (error: { code: number; stdout: string; stderr: string }) => ({
        code: error.code,
        stdout:
          error.stdout ||
          error.stderr
            .split('\n')
            .filter((line) => !/Warning|versions published|require node|To continue|security updates|More information|trace-warnings|^$/.test(line))
            .join('\n'),
      }),
    );
    const fsckReport = (() => {
      try {
        return JSON.parse(fsckRun.stdout) as { findings: unknown[] };
      } catch {
        return { findings: [fsckRun.stdout.slice(-2000)] };
      }
    })();

    const statuses = [...final.entries()];
    return {
      minutes: options.minutes,
      requests: requests.filter((request) => request.op !== 'check'),
      faults,
      acknowledged: { uploads: uploads.length, segmentations: segmentations.length, corrections: corrections.length, deletions: deletions.length },
      jobs: {
        succeeded: statuses.filter(([, row]) => row.status === 'SUCCEEDED').length,
        failed: statuses.filter(([, row]) => row.status === 'FAILED').length,
        failedWithoutReason: statuses.filter(([, row]) => row.status === 'FAILED' && !row.errorCode).map(([id]) => id),
        unfinished: statuses.filter(([, row]) => row.status !== 'SUCCEEDED' && row.status !== 'FAILED').map(([id, row]) => `${id} ${row.status}`),
      },
      lost,
      nonRetryable: requests.filter((request) => request.op !== 'check' && request.error !== undefined && !RETRYABLE.has(request.error)),
      fsck: { exitCode: fsckRun.code, findings: fsckReport.findings },
      memory,
      badExits,
    };
  } finally {
    for (const slot of slots) {
      slot.expectedEnd = 'SIGTERM';
      await slot.process.stop(15_000);
    }
    await stopS3();
    const cleanup = new pg.Client({ connectionString: options.databaseUrl });
    await cleanup.connect();
    await cleanup.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    await cleanup.query(`DROP SCHEMA IF EXISTS "${schema}_pgboss" CASCADE`);
    await cleanup.end();
    for (const dir of [s3Dir, ...dataDirs]) await rm(dir, { recursive: true, force: true });
  }
}

/**
 * Growth of each process that lived through the run. Warm-up is the first fifth of the run (at least a
 * minute: heaps, pools and libvips' caches fill); the medians of a window just after it and of the run's
 * last window are compared, each a fifth of the run (at least 30 s): samples swing by ±20 % with the
 * renders in flight, so shorter windows measured the swing. The slope over all samples after warm-up
 * is reported beside it.
 */
function memoryGrowth(
  slots: {
    name: string;
    bornMs: number;
    rss: [number, number][];
    heap: { heapUsedMb: number; externalMb: number; renderHeapMb: number; libvipsMb: number }[];
  }[],
  durationMs: number,
): SoakReport['memory'] {
  const warmUp = Math.max(60_000, durationMs / 5);
  const window = Math.max(30_000, durationMs / 5);
  const median = (values: number[]) => values.sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
  return slots.flatMap((slot) => {
    const warm = slot.rss.filter(([at]) => at >= slot.bornMs + warmUp && at < slot.bornMs + warmUp + window).map(([, mb]) => mb);
    const end = slot.rss.filter(([at]) => at >= durationMs - window && at >= slot.bornMs + warmUp + window).map(([, mb]) => mb);
    if (warm.length < 3 || end.length < 3) return [];
    const warmMb = median(warm);
    const endMb = median(end);
    const peakMb = Math.max(...slot.rss.map(([, mb]) => mb));
    const perMinuteMb = slot.rss
      .filter(([at], index, all) => index === 0 || Math.floor(at / 60_000) !== Math.floor(all[index - 1]![0] / 60_000))
      .map(([, mb]) => Math.round(mb));
    // Main heap + Buffers, render threads' heaps (r), libvips' own (v), MB.
    const heapByMinute = slot.heap.map(
      (sample) => `${Math.round(sample.heapUsedMb)}+${Math.round(sample.externalMb)} r${Math.round(sample.renderHeapMb)} v${Math.round(sample.libvipsMb)}`,
    );
    const trendMbPerMinute = slope(slot.rss.filter(([at]) => at >= slot.bornMs + warmUp)) * 60_000;
    return [{ name: slot.name, warmMb, endMb, peakMb, growth: endMb / warmMb - 1, trendMbPerMinute, perMinuteMb, heapByMinute }];
  });
}

/** Least-squares slope of y over x. */
function slope(points: [number, number][]): number {
  const n = points.length;
  const meanX = points.reduce((sum, [x]) => sum + x, 0) / n;
  const meanY = points.reduce((sum, [, y]) => sum + y, 0) / n;
  const covariance = points.reduce((sum, [x, y]) => sum + (x - meanX) * (y - meanY), 0);
  const variance = points.reduce((sum, [x]) => sum + (x - meanX) ** 2, 0);
  return variance === 0 ? 0 : covariance / variance;
}

/**
 * From a gateway's Prometheus metrics: its main thread's V8 heap in use and external memory,
 * its render threads' heaps and libvips' tracked memory (NaN where not reported).
 */
async function heapOf(url: string): Promise<{ heapUsedMb: number; externalMb: number; renderHeapMb: number; libvipsMb: number } | undefined> {
  const text = await fetch(`${url}/metrics`, { signal: AbortSignal.timeout(5000) })
    .then((response) => response.text())
    .catch(() => undefined);
  // Lines look like `nodejs_heap_size_used_bytes{role="api"} 73523640`.
  const value = (name: string) => Number(text?.match(new RegExp(`^${name}(?:\\{[^}]*\\})? (\\S+)`, 'm'))?.[1]) / 1024 ** 2;
  const heapUsedMb = value('nodejs_heap_size_used_bytes');
  const externalMb = value('nodejs_external_memory_bytes');
  const [renderHeapMb, libvipsMb] = [value('maskgraph_render_threads_heap_used_bytes'), value('maskgraph_libvips_tracked_bytes')];
  return Number.isFinite(heapUsedMb) && Number.isFinite(externalMb) ? { heapUsedMb, externalMb, renderHeapMb, libvipsMb } : undefined;
}

/**
 * A file's bytes, retried like a client would while the server is away (no answer, 503, or a
 * body cut off or stalled past the timeout); undefined when it is gone. A cut-off body used
 * to escape as a DOMException that the test runner printed as `{}` (one CI run, 2026-12-06):
 * it is logged with its URL now.
 */
async function fetchBytes(url: string): Promise<Buffer | undefined> {
  for (let tries = 0; tries < 20; tries += 1) {
    const response = await fetch(url, { signal: AbortSignal.timeout(30_000) }).catch(() => undefined);
    if (response?.ok) {
      const bytes = await response.arrayBuffer().then(
        (body) => Buffer.from(body),
        (error: unknown) =>
          void process.stderr.write(
            `soak: reading ${url} broke off (${error instanceof Error ? `${error.name}: ${error.message}` : String(error)}); retrying\n`,
          ),
      );
      if (bytes) return bytes;
    } else if (response && response.status !== 503) return undefined;
    await sleep(500);
  }
  return undefined;
}

function readdirSafe(dir: string): Promise<string[]> {
  return readdir(dir).catch(() => []);
}

/** p50, p99 and max of the requests' durations, in ms. */
export function percentiles(records: RequestRecord[]): { count: number; p50: number; p99: number; max: number } {
  const sorted = records.map((record) => record.ms).sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;
  return { count: sorted.length, p50: Math.round(at(0.5)), p99: Math.round(at(0.99)), max: Math.round(sorted.at(-1) ?? 0) };
}
