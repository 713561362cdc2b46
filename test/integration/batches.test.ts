/**
 * Batches (issue 24) over 40 real uploads, with the real model (U²-Net-p) and the gateway's
 * own worker, on PGlite and PostgreSQL: a dry run changes nothing; a batch paused halfway
 * starts no new run, stays paused across a restart and completes once resumed, its counts
 * adding up at every look; a planted failure is listed with its code, then retried; STALE
 * takes only masks of other weights; cancel leaves nothing waiting; tag, render and delete batches.
 */
import assert from 'node:assert/strict';
import { rename } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { Client, errorCode, uniqueJpeg } from '../helpers/client.js';
import { DATABASE_TARGETS } from '../helpers/database-targets.js';
import { startTestGateway, type TestGateway } from '../helpers/gateway.js';

const ASSETS = 40;
const BATCH = 'id status kind mode counts { total queued running succeeded failed skipped } throughput etaSeconds finishedAt';

interface BatchView {
  id: string | null;
  status: string;
  counts: { total: number; queued: number; running: number; succeeded: number; failed: number; skipped: number };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
/** A batch that has not finished: waiting for its first item, or with some started. */
const OPEN = new Set(['PENDING', 'RUNNING']);

for (const target of DATABASE_TARGETS) {
  describe(`batches on ${target.name}`, { skip: target.skipReason }, () => {
    let gateway: TestGateway;
    let client: Client;
    let library: string[];

    const call = async <T = BatchView>(text: string, variables: Record<string, unknown>, field: string): Promise<T> => {
      const answer = await client.query(text, variables);
      assert.equal(answer.errors, undefined, JSON.stringify(answer.errors));
      return answer.data[field] as T;
    };
    const start = (input: Record<string, unknown>) =>
      call(`mutation($input: StartBatchInput!) { startBatch(input: $input) { ${BATCH} } }`, { input }, 'startBatch');
    /** The batch, its counts checked: they add up, and nothing is skipped where nothing was cancelled or deleted. */
    const read = async (id: string, nothingSkipped = false) => {
      const batch = await call(`query($id: ID!) { batch(id: $id) { ${BATCH} } }`, { id }, 'batch');
      const { total, queued, running, succeeded, failed, skipped } = batch.counts;
      assert.equal(queued + running + succeeded + failed + skipped, total, `the counts add up: ${JSON.stringify(batch.counts)}`);
      if (nothingSkipped) assert.equal(skipped, 0, `every item is counted where it is: ${JSON.stringify(batch.counts)}`);
      return batch;
    };
    const control = (verb: 'pause' | 'resume' | 'cancel', id: string) =>
      call(`mutation($id: ID!) { ${verb}Batch(id: $id) { ${BATCH} } }`, { id }, `${verb}Batch`);
    const until = async (id: string, done: (batch: BatchView) => boolean, what: string, nothingSkipped = false) => {
      for (let polls = 0; polls < 1200; polls += 1) {
        const batch = await read(id, nothingSkipped);
        if (done(batch)) return batch;
        await sleep(100);
      }
      assert.fail(`timed out waiting for ${what}: ${JSON.stringify(await read(id))}`);
    };
    const upload = async (tag: string) =>
      (await client.upload(await uniqueJpeg(64, 48), { tags: [tag], selection: 'id sha256' })).data!.uploadAsset as { id: string; sha256: string };

    before(async () => {
      gateway = await startTestGateway(target);
      client = new Client(gateway.url, (await gateway.newOwner('library')).key);
      library = [];
      for (let index = 0; index < ASSETS; index += 1) library.push((await upload('library')).id);
    });
    after(() => gateway?.dispose());

    test('a dry run counts and changes nothing', async () => {
      const dry = await start({ filter: { tags: ['library'] }, action: { segment: { model: 'u2netp', mode: 'MISSING' } }, dryRun: true });
      assert.deepEqual([dry.id, dry.status, dry.counts.total], [null, 'DRY_RUN', ASSETS]);
      assert.deepEqual(await call('{ batches { id } }', {}, 'batches'), [], 'no batch stored');
      assert.equal(await gateway.database.prisma.segmentation.count(), 0, 'no segmentation made');
      const tagged = await call(
        'mutation($input: StartBatchInput!) { startBatch(input: $input) { status counts { total } } }',
        {
          input: { assetIds: library.slice(0, 3), action: { tag: { add: ['x'] } }, dryRun: true },
        },
        'startBatch',
      );
      assert.deepEqual(tagged, { status: 'DRY_RUN', counts: { total: 3 } });
      assert.equal(await gateway.database.prisma.asset.count({ where: { tags: { has: 'x' } } }), 0, 'no tag added');
    });

    test('paused halfway, no new run starts, even across a restart; resumed, it completes', async () => {
      const started = await start({ filter: { tags: ['library'] }, action: { segment: { model: 'u2netp', mode: 'MISSING' } } });
      assert.ok(['PENDING', 'RUNNING'].includes(started.status), `started: ${started.status}`);
      assert.equal(started.counts.total, ASSETS);
      const id = started.id!;
      await until(id, (batch) => batch.counts.succeeded >= 8, 'some runs', true);
      const paused = await control('pause', id);
      assert.equal(paused.status, 'PAUSED');
      const settled = await until(id, (batch) => batch.counts.running === 0, 'the running ones to finish', true);
      assert.ok(settled.counts.succeeded < ASSETS, `paused before the end: ${JSON.stringify(settled.counts)}`);
      await sleep(3000);
      assert.deepEqual((await read(id)).counts, settled.counts, 'nothing started while paused');

      gateway = await gateway.restart();
      client = client.withBaseUrl(gateway.url);
      await sleep(3000);
      const afterRestart = await read(id);
      assert.equal(afterRestart.status, 'PAUSED', 'the pause is in the database');
      assert.deepEqual(afterRestart.counts, settled.counts, 'nothing started after the restart either');

      assert.ok(['PENDING', 'RUNNING'].includes((await control('resume', id)).status), 'resumed');
      const finished = await until(id, (batch) => !OPEN.has(batch.status), 'the batch to finish', true);
      assert.equal(finished.status, 'SUCCEEDED');
      assert.equal(finished.counts.succeeded, ASSETS);
      assert.equal(
        (await start({ filter: { tags: ['library'] }, action: { segment: { model: 'u2netp' } }, dryRun: true })).counts.total,
        0,
        'none missing now',
      );
    });

    test('a failed item is listed with its code, and a retry runs it again', async () => {
      const assets = [await upload('planted'), await upload('planted'), await upload('planted')];
      const blob = (sha: string) => join(gateway.config.blobDir, sha.slice(0, 2), sha.slice(2, 4), sha);
      await rename(blob(assets[0]!.sha256), `${blob(assets[0]!.sha256)}.aside`); // the photo cannot be read
      const started = await start({ assetIds: assets.map((asset) => asset.id), action: { segment: { model: 'u2netp' } } });
      const finished = await until(started.id!, (batch) => !OPEN.has(batch.status), 'the batch to finish');
      assert.equal(finished.status, 'FAILED');
      assert.deepEqual([finished.counts.succeeded, finished.counts.failed], [2, 1]);
      const failed = await call<{ items: { assetId: string; status: string; errorCode: string; errorMessage: string }[] }>(
        'query($id: ID!) { batch(id: $id) { items(status: FAILED) { assetId status errorCode errorMessage } } }',
        { id: started.id },
        'batch',
      );
      assert.equal(failed.items.length, 1);
      assert.equal(failed.items[0]!.assetId, assets[0]!.id);
      assert.ok(failed.items[0]!.errorCode && failed.items[0]!.errorMessage, `with its code and reason: ${JSON.stringify(failed.items)}`);

      await rename(`${blob(assets[0]!.sha256)}.aside`, blob(assets[0]!.sha256));
      const retried = await call('mutation($id: ID!) { retryBatch(id: $id) { status counts { failed queued } } }', { id: started.id }, 'retryBatch');
      assert.ok(OPEN.has((retried as BatchView).status), 'retried: running again');
      const again = await until(started.id!, (batch) => !OPEN.has(batch.status), 'the retry to finish');
      assert.equal(again.status, 'SUCCEEDED');
      assert.deepEqual([again.counts.succeeded, again.counts.failed], [3, 0]);
    });

    test('STALE takes only assets whose masks came from other weights', async () => {
      const [older, current] = library as [string, string];
      // The older asset's masks are from earlier weights of the model; the other keeps today's.
      await gateway.database.prisma.segmentation.updateMany({ where: { assetId: older, modelId: 'u2netp' }, data: { weightsSha256: 'f'.repeat(64) } });
      const stale = await start({ filter: { tags: ['library'] }, action: { segment: { model: 'u2netp', mode: 'STALE' } }, dryRun: true });
      assert.equal(stale.counts.total, 1, 'only the asset with other weights');
      const fresh = await upload('library'); // never segmented: MISSING, not STALE
      const missing = await start({ filter: { tags: ['library'] }, action: { segment: { model: 'u2netp', mode: 'MISSING' } }, dryRun: true });
      assert.equal(missing.counts.total, 2, 'MISSING: the stale one and the new one');
      const run = await start({ filter: { tags: ['library'] }, action: { segment: { model: 'u2netp', mode: 'STALE' } } });
      await until(run.id!, (batch) => !OPEN.has(batch.status), 'the STALE batch');
      const segmented = await gateway.database.prisma.segmentation.findMany({ where: { batchId: run.id! }, select: { assetId: true } });
      assert.deepEqual(
        segmented.map((row) => row.assetId),
        [older],
      );
      assert.notEqual(current, fresh.id);
    });

    test('cancel drops every waiting run and leaves nothing queued', async () => {
      const started = await start({ filter: { tags: ['library'] }, action: { segment: { model: 'u2netp', refine: true, mode: 'ALL' } } });
      await until(started.id!, (batch) => batch.counts.succeeded >= 1, 'a first run');
      const cancelled = await control('cancel', started.id!);
      assert.equal(cancelled.status, 'CANCELLED');
      const settled = await until(started.id!, (batch) => batch.counts.running === 0, 'the running ones to finish');
      assert.equal(settled.counts.queued, 0, 'nothing waiting');
      assert.ok(settled.counts.skipped > 0, `the waiting ones were dropped: ${JSON.stringify(settled.counts)}`);
      const waitingJobs = await gateway.database.prisma.segmentation.count({ where: { batchId: started.id!, status: { in: ['QUEUED', 'RUNNING'] } } });
      assert.equal(waitingJobs, 0);
      await sleep(2000);
      assert.deepEqual((await read(started.id!)).counts, settled.counts, 'no cancelled run started later');
      assert.equal(errorCode(await client.query('mutation($id: ID!) { pauseBatch(id: $id) { id } }', { id: started.id })), 'FAILED_PRECONDITION');
    });

    test('an owner has at most MAX_OPEN_BATCHES_PER_OWNER (5) batches running or paused', async () => {
      const open: string[] = [];
      for (let index = 0; index < 5; index += 1) {
        const started = await start({ filter: { tags: ['library'] }, action: { segment: { model: 'u2netp', refine: true, mode: 'ALL' } } });
        open.push(started.id!);
        await control('pause', started.id!);
      }
      const refused = await client.query('mutation($input: StartBatchInput!) { startBatch(input: $input) { id } }', {
        input: { filter: { tags: ['library'] }, action: { tag: { add: ['more'] } } },
      });
      assert.equal(errorCode(refused), 'BUSY');
      const dry = await start({ filter: { tags: ['library'] }, action: { tag: { add: ['more'] } }, dryRun: true });
      assert.equal(dry.status, 'DRY_RUN', 'a dry run is still answered');
      for (const id of open) await control('cancel', id);
      const after = await start({ assetIds: [library[0]], action: { tag: { add: ['more'] } } });
      assert.ok(OPEN.has(after.status), `room again once they are cancelled: ${after.status}`);
    });

    test('tag and delete batches', async () => {
      const assets = [await upload('doomed'), await upload('doomed'), await upload('doomed')];
      const tagged = await start({ filter: { tags: ['doomed'] }, action: { tag: { add: ['reviewed'], remove: ['doomed'] } } });
      await until(tagged.id!, (batch) => batch.status === 'SUCCEEDED', 'the tag batch');
      for (const asset of assets) {
        const row = await gateway.database.prisma.asset.findUniqueOrThrow({ where: { id: asset.id } });
        assert.deepEqual(row.tags, ['reviewed']);
      }
      const removed = await start({ assetIds: assets.slice(0, 2).map((asset) => asset.id), action: { delete: { confirm: true } } });
      const done = await until(removed.id!, (batch) => !OPEN.has(batch.status), 'the delete batch');
      assert.deepEqual([done.status, done.counts.succeeded], ['SUCCEEDED', 2]);
      assert.equal(await gateway.database.prisma.asset.count({ where: { id: { in: assets.map((asset) => asset.id) } } }), 1);
      assert.equal(
        errorCode(await client.query('mutation { startBatch(input: { assetIds: [], filter: {}, action: { delete: { confirm: true } } }) { id } }')),
        'BAD_USER_INPUT',
      );
    });

    test("a render batch stores each asset's preset images, so their first GET renders nothing; an asset without a mask is skipped", async () => {
      const assets = [await upload('render'), await upload('render'), await upload('render')];
      for (const asset of assets.slice(0, 2)) {
        const segmented = await call<{ status: string }>(
          'mutation($id: ID!) { segmentAsset(input: { assetId: $id, model: "u2netp", wait: true }) { status } }',
          { id: asset.id },
          'segmentAsset',
        );
        assert.equal(segmented.status, 'SUCCEEDED');
      }
      for (const [action, field] of [
        [{ render: { preset: 'no-such-preset' } }, 'input.action.render.preset'],
        [{ render: { preset: 'cutout', widths: [300] } }, 'input.action.render.widths'],
        [{ render: { preset: 'cutout', formats: ['AUTO'] } }, 'input.action.render.formats[0]'],
      ] as const) {
        const refused = await client.query('mutation($input: StartBatchInput!) { startBatch(input: $input) { id } }', {
          input: { filter: { tags: ['render'] }, action },
        });
        assert.equal(errorCode(refused), 'BAD_USER_INPUT', JSON.stringify(action));
        assert.equal(refused.errors?.[0]?.extensions?.details?.field, field);
      }
      const started = await start({ filter: { tags: ['render'] }, action: { render: { preset: 'cutout', widths: [256] } } });
      const done = await until(started.id!, (batch) => !OPEN.has(batch.status), 'the render batch');
      assert.deepEqual([done.status, done.counts.succeeded, done.counts.skipped], ['SUCCEEDED', 2, 1]);
      const items = await call<{ items: { assetId: string; status: string; errorCode: string | null }[] }>(
        'query($id: ID!) { batch(id: $id) { items(status: SKIPPED) { assetId status errorCode } } }',
        { id: started.id },
        'batch',
      );
      assert.deepEqual(
        items.items.map((item) => [item.assetId, item.errorCode]),
        [[assets[2]!.id, 'FAILED_PRECONDITION']],
        'the asset with no mask is skipped, with why',
      );

      const renders = async () =>
        Number(/^maskgraph_image_renders_total\{[^}]*preset="cutout"[^}]*\} (\S+)$/m.exec(await (await fetch(`${gateway.url}/metrics`)).text())?.[1] ?? 0);
      const before = await renders();
      for (const asset of assets.slice(0, 2)) {
        const image = await call<{ image: { url: string } }>(
          'query($id: ID!) { asset(id: $id) { image(preset: "cutout", width: 256) { url } } }',
          { id: asset.id },
          'asset',
        );
        const served = await fetch(image.image.url, { headers: { accept: 'image/avif,image/webp,*/*' } });
        assert.equal(served.status, 200);
        assert.equal(served.headers.get('content-type'), 'image/avif', 'AUTO negotiates AVIF for this Accept, the format the batch rendered');
      }
      assert.equal(await renders(), before, 'the first GETs rendered nothing: the batch had stored both');
    });

    test('a batch whose waiting runs went with their assets ends, on resume or when read', async () => {
      const doomed = [await upload('short-lived'), await upload('short-lived'), await upload('short-lived')];
      const ids = doomed.map((asset) => asset.id);
      const started = await start({ assetIds: ids, action: { segment: { model: 'u2netp', refine: true, mode: 'ALL' } } });
      await control('pause', started.id!);
      await until(started.id!, (batch) => batch.counts.running === 0, 'the running ones to finish');
      for (const id of ids) await call('mutation($id: ID!) { deleteAsset(id: $id) { id } }', { id }, 'deleteAsset');
      const resumed = await control('resume', started.id!);
      assert.equal(resumed.status, 'SUCCEEDED', `nothing left to run: it ends at once (${JSON.stringify(resumed.counts)})`);
      assert.equal(resumed.counts.queued + resumed.counts.running, 0);

      // The same found by a read: a running batch whose last waiting runs were deleted meanwhile.
      const other = [await upload('short-lived'), await upload('short-lived')];
      const second = await start({ assetIds: other.map((asset) => asset.id), action: { segment: { model: 'u2netp', refine: true, mode: 'ALL' } } });
      await control('pause', second.id!);
      await until(second.id!, (batch) => batch.counts.running === 0, 'the running ones to finish');
      for (const asset of other) await call('mutation($id: ID!) { deleteAsset(id: $id) { id } }', { id: asset.id }, 'deleteAsset');
      await gateway.database.prisma.batch.update({ where: { id: second.id! }, data: { status: 'RUNNING' } }); // as if the deletes came while it ran
      const read = await call<BatchView>(`query($id: ID!) { batch(id: $id) { ${BATCH} } }`, { id: second.id }, 'batch');
      assert.equal(read.status, 'SUCCEEDED', `ended when read: ${JSON.stringify(read.counts)}`);
    });
  });
}
