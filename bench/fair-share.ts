/**
 * Fair share (issue 23): owner B's latency on each costly path while owner A abuses it,
 * against B's latency on the idle gateway, in one run (ratios, never a timed test). Target:
 * ≤ 3× on every path.
 *
 *   segment   B's `segmentAsset(wait: true)` on a small photo; abuse: A has 50 jobs queued.
 *   confirm   B's `confirmMask` on a 640×427 mask (HCE on the metrics threads); abuse: A keeps
 *             two `confirmMask` loops going on masks of the 16 MP photo (HCE at 16 MP each).
 *   upload    B's upload of a 400×300 photo; abuse: A keeps the heaviest stroke request it is
 *             allowed going (SOFT strokes of radius 500 covering 4 × the 16 MP mask).
 *   effect    B's uncached 512 px background-blur preview; abuse: A keeps 16 uncached
 *             full-size renders of the 16 MP photo asked for at once.
 *   healthz   the slowest of 40 /healthz answers; abuse: A holds every socket and
 *             subscription one key may (20 × 50) on 10 of its jobs while they run.
 *
 * B's number is the median of 5. The gateway runs embedded (PGlite) in this process,
 * with one worker slot, as `npm start` runs it.
 *
 *   node --import tsx bench/fair-share.ts
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import sharp from 'sharp';
import WebSocket from 'ws';
import { Client, FIXTURES, fixturePath, uniqueJpeg } from '../test/helpers/client.js';
import { DATABASE_TARGETS } from '../test/helpers/database-targets.js';
import { startTestGateway } from '../test/helpers/gateway.js';

const SAMPLES = 5;
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

async function timed(task: () => Promise<unknown>): Promise<number> {
  const started = performance.now();
  await task();
  return performance.now() - started;
}

async function samples(task: (index: number) => Promise<unknown>): Promise<number> {
  const times: number[] = [];
  for (let index = 0; index < SAMPLES; index += 1) times.push(await timed(() => task(index)));
  return median(times);
}

function check<T>(response: { data?: T | null; errors?: unknown }): T {
  if (response.errors) throw new Error(JSON.stringify(response.errors));
  return response.data!;
}

/** Runs `round` again and again until `stop` is called (A's abuse), counting failures by code. */
function keepGoing(round: () => Promise<unknown>): { stop: () => Promise<{ rounds: number; refused: number }> } {
  let running = true;
  let rounds = 0;
  let refused = 0;
  const loop = (async () => {
    while (running) {
      try {
        await round();
        rounds += 1;
      } catch {
        refused += 1;
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
    }
  })();
  return {
    stop: async () => {
      running = false;
      await loop;
      return { rounds, refused };
    },
  };
}

const gateway = await startTestGateway(DATABASE_TARGETS[0]!, { WORKER_CONCURRENCY: '1', MAX_QUEUED_JOBS: '200' });
const results: { path: string; idleMs: number; abusedMs: number; abuse: string }[] = [];
try {
  const a = new Client(gateway.url, (await gateway.newOwner('A')).key);
  const b = new Client(gateway.url, (await gateway.newOwner('B')).key);
  const upload = async (client: Client, bytes: Buffer | Uint8Array) =>
    (check(await client.upload(bytes, { selection: 'id' })) as { uploadAsset: { id: string } }).uploadAsset.id;
  const segment = async (client: Client, assetId: string, wait: boolean) =>
    check(
      await client.query<{ segmentAsset: { id: string } }>(`mutation($id: ID!) { segmentAsset(input: { assetId: $id, wait: ${wait} }) { id status } }`, {
        id: assetId,
      }),
    ).segmentAsset.id;
  const confirm = async (client: Client, segmentationId: string) =>
    check(await client.query('mutation($id: ID!) { confirmMask(segmentationId: $id) { version } }', { id: segmentationId }));

  const large = await readFile(fixturePath('dandelion-large.jpg'));
  const small = await readFile(join(FIXTURES, 'composites/c1-bear-meadow.jpg'));
  const tiny = async () =>
    sharp(await uniqueJpeg(400, 300))
      .jpeg()
      .toBuffer();
  const [aLarge1, aLarge2] = [await upload(a, large), await upload(a, large.subarray(0))];
  const aSeg1 = await segment(a, aLarge1, true);
  const aSeg2 = await segment(a, aLarge2, true);
  const bSmall = await segment(b, await upload(b, small), true);

  // segment: B's small photo, each a new one (no reuse), idle, then behind A's 50 queued jobs.
  const bSegment = () => samples(async () => segment(b, await upload(b, await tiny()), true));
  const segmentIdle = await bSegment();
  for (let k = 0; k < 50; k += 1) await segment(a, await upload(a, await tiny()), false);
  const segmentAbused = await bSegment();
  results.push({ path: 'segment', idleMs: segmentIdle, abusedMs: segmentAbused, abuse: "A's 50 jobs queued" });
  // A's backlog drains before the next path (it would share the CPU with it otherwise).
  for (let polls = 0; polls < 900; polls += 1) {
    const unfinished = await gateway.database.prisma.segmentation.count({ where: { status: { in: ['QUEUED', 'RUNNING'] } } });
    if (unfinished === 0) break;
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }

  // confirm: B's small mask, while A scores 16 MP masks on two loops.
  const confirmIdle = await samples(() => confirm(b, bSmall));
  const confirms = [keepGoing(() => confirm(a, aSeg1)), keepGoing(() => confirm(a, aSeg2))];
  await new Promise((resolve) => setTimeout(resolve, 1000));
  const confirmAbused = await samples(() => confirm(b, bSmall));
  const confirmLoad = await Promise.all(confirms.map((loop) => loop.stop()));
  results.push({ path: 'confirm', idleMs: confirmIdle, abusedMs: confirmAbused, abuse: `A's 16 MP confirmMask ×2 loops (${JSON.stringify(confirmLoad)})` });

  // upload: B's 400×300 photo, while A paints the heaviest strokes allowed on its 16 MP mask.
  const uploadIdle = await samples(async () => upload(b, await tiny()));
  const [width, height] = [5312, 2988];
  const wholeMask = { mode: 'SOFT', radiusPx: 500, points: [[width / 2, height / 2]] };
  const strokes = keepGoing(async () =>
    check(
      await a.query('mutation($input: CorrectMaskInput!) { correctMask(input: $input) { version } }', {
        input: { segmentationId: aSeg1, strokes: Array.from({ length: 4 }, () => wholeMask) },
      }),
    ),
  );
  await new Promise((resolve) => setTimeout(resolve, 1000));
  const uploadAbused = await samples(async () => upload(b, await tiny()));
  const strokeLoad = await strokes.stop();
  results.push({ path: 'upload', idleMs: uploadIdle, abusedMs: uploadAbused, abuse: `A's 4 whole-mask SOFT strokes, looped (${JSON.stringify(strokeLoad)})` });

  // effect: B's uncached preview, while A asks for 16 uncached full-size renders at once.
  // Each ask a new strength (they count in hundredths), so nothing is answered from the cache.
  let strength = 10;
  const preview = async () => {
    const response = await b.query<{ segmentation: { effect: { cacheStatus: string } } }>(
      `query($id: ID!) { segmentation(id: $id) { effect(input: { backgroundBlur: { strength: ${(strength += 1) / 100} } }, output: { maxWidth: 512, format: JPEG }) { url cacheStatus } } }`,
      { id: bSmall },
    );
    if (check(response).segmentation.effect.cacheStatus !== 'MISS') throw new Error('the preview came from the cache');
  };
  const effectIdle = await samples(preview);
  let aRender = 0;
  const aEffect = () => {
    aRender += 1;
    return `backgroundBlur: { strength: ${((aRender % 100) + 1) / 100}, featherPx: ${Math.floor(aRender / 100) % 50} }`;
  };
  let aRefused = 0;
  const renders = keepGoing(async () => {
    const answers = await Promise.all(
      Array.from({ length: 16 }, () =>
        a.query(`query($id: ID!) { segmentation(id: $id) { effect(input: { ${aEffect()} }, output: { format: JPEG }) { url } } }`, { id: aSeg2 }),
      ),
    );
    aRefused += answers.filter((answer) => answer.errors).length;
  });
  await new Promise((resolve) => setTimeout(resolve, 1000));
  const effectAbused = await samples(preview);
  const renderLoad = await renders.stop();
  results.push({
    path: 'effect',
    idleMs: effectIdle,
    abusedMs: effectAbused,
    abuse: `A's 16 uncached full-size renders at once, looped (${JSON.stringify({ ...renderLoad, busyAnswers: aRefused })})`,
  });

  // subscriptions: B's /healthz (the slowest of 40, 50 ms apart) while A holds every socket
  // and subscription one key may (20 × 50) on 10 of its jobs, which then run and send events.
  const healthz = async () => {
    let slowest = 0;
    for (let k = 0; k < 40; k += 1) {
      slowest = Math.max(slowest, await timed(() => fetch(`${gateway.url}/healthz`).then((response) => response.text())));
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    return slowest;
  };
  const healthIdle = await healthz();
  const jobs: string[] = [];
  for (let k = 0; k < 10; k += 1) jobs.push(await segment(a, await upload(a, await tiny()), false));
  const sockets: WebSocket[] = [];
  let events = 0;
  for (let socketIndex = 0; socketIndex < 20; socketIndex += 1) {
    const socket = new WebSocket(`${gateway.url.replace('http', 'ws')}/graphql`, 'graphql-transport-ws');
    sockets.push(socket);
    await new Promise<void>((resolve, reject) => {
      socket.once('error', reject);
      socket.on('message', (data: Buffer) => {
        const message = JSON.parse(data.toString()) as { type: string };
        if (message.type === 'connection_ack') resolve();
        if (message.type === 'next') events += 1;
      });
      socket.once('open', () => socket.send(JSON.stringify({ type: 'connection_init', payload: { authorization: `Bearer ${a.key}` } })));
    });
    for (let k = 0; k < 50; k += 1)
      socket.send(
        JSON.stringify({
          id: `s${k}`,
          type: 'subscribe',
          payload: { query: 'subscription($id: ID!) { segmentationUpdated(id: $id) { id status progress } }', variables: { id: jobs[k % jobs.length] } },
        }),
      );
  }
  const healthAbused = await healthz();
  for (const socket of sockets) socket.close();
  results.push({
    path: 'healthz (slowest of 40)',
    idleMs: healthIdle,
    abusedMs: healthAbused,
    abuse: `A's 20 sockets × 50 subscriptions on 10 running jobs (${events} events delivered meanwhile)`,
  });
} finally {
  await gateway.dispose();
}

console.log('\n| path | B idle (median of 5) | B while A abuses | ratio | A’s abuse |');
console.log('|---|---|---|---|---|');
for (const row of results)
  console.log(`| ${row.path} | ${row.idleMs.toFixed(0)} ms | ${row.abusedMs.toFixed(0)} ms | **${(row.abusedMs / row.idleMs).toFixed(2)}×** | ${row.abuse} |`);
