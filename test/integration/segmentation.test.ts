/**
 * Segmentation through the gateway with the real IS-Net weights: jobs over GraphQL
 * (wait, polling, subscription), masks stored and served, reuse of identical runs,
 * orientation, and the errors of bad requests; on every database target.
 */
import assert from 'node:assert/strict';
import { readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import sharp from 'sharp';
import { Client, errorCode, fixturePath, FIXTURES, uniqueJpeg, subscriptionClient } from '../helpers/client.js';
import { DATABASE_TARGETS } from '../helpers/database-targets.js';
import { listBlobFiles, startTestGateway, type TestGateway } from '../helpers/gateway.js';
import { iouAt, meanAbsoluteDifference } from '../helpers/masks.js';
import { sha256Hex } from '../../src/storage/blob-store.js';

const SEGMENTATION_FIELDS = `id model status progress reused errorCode errorMessage weightsSha256 inferenceWidth inferenceHeight
  timings { queueWaitMs preprocessMs inferenceMs postprocessMs storeMs }
  mask { url width height foregroundRatio subjectFound boundingBox { x y width height } }`;

async function maskPixels(url: string): Promise<{ data: Uint8Array; width: number; height: number; channels: number }> {
  const response = await fetch(url);
  assert.equal(response.status, 200);
  assert.equal(response.headers.get('content-type'), 'image/png');
  const png = Buffer.from(await response.arrayBuffer());
  const meta = await sharp(png).metadata();
  const data = await sharp(png).toColourspace('b-w').raw().toBuffer();
  return { data: new Uint8Array(data.buffer, data.byteOffset, data.length), width: meta.width, height: meta.height, channels: meta.channels };
}

for (const target of DATABASE_TARGETS) {
  describe(`segmentation on ${target.name}`, { skip: target.skipReason }, () => {
    let gateway: TestGateway;
    let client: Client;
    let key: string;

    before(async () => {
      gateway = await startTestGateway(target);
      key = (await gateway.newOwner('seg')).key;
      client = new Client(gateway.url, key);
    });
    after(() => gateway?.dispose());

    async function upload(path: string | Uint8Array, name?: string): Promise<string> {
      const response = await client.upload(path, { selection: 'id', ...(name ? { name } : {}) });
      assert.equal(response.errors, undefined, JSON.stringify(response.errors));
      return response.data!.uploadAsset.id as string;
    }

    // The response is JSON whose shape SEGMENTATION_FIELDS fixes; the assertions read it.
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    async function segment(assetId: string, extra = ', wait: true'): Promise<Record<string, any>> {
      const response = await client.query(`mutation($id: ID!) { segmentAsset(input: { assetId: $id${extra} }) { ${SEGMENTATION_FIELDS} } }`, { id: assetId });
      assert.equal(response.errors, undefined, JSON.stringify(response.errors));
      return response.data.segmentAsset;
    }

    test('lists every model family, with the reason when unavailable', async () => {
      const response = await client.query(
        '{ models { id family available unavailableReason isDefault inputWidth inputHeight executionProvider weightsSha256 } }',
      );
      const models = new Map(response.data.models.map((model: { id: string }) => [model.id, model]));
      assert.deepEqual([...models.keys()].sort(), ['basnet', 'isnet-dis', 'isnet-general', 'isnet-general-q8', 'u2net', 'u2net-human-seg', 'u2netp']);
      const general = models.get('isnet-general') as Record<string, unknown>;
      assert.deepEqual(
        [general.available, general.isDefault, general.family, general.inputWidth, general.executionProvider],
        [true, true, 'ISNET', 1024, 'cpu'],
      );
      const basnet = models.get('basnet') as Record<string, unknown>;
      assert.deepEqual([basnet.available, basnet.family, basnet.inputWidth], [false, 'BASNET', 256]);
      assert.match(String(basnet.unavailableReason), /models\/basnet\/model\.onnx/);
    });

    test('segments a composite: a mask of the photo size whose foreground is the subject', async () => {
      const id = await upload(`${FIXTURES}/composites/c1-bear-meadow.jpg`);
      const segmentation = await segment(id);
      assert.equal(segmentation.status, 'SUCCEEDED', JSON.stringify(segmentation));
      assert.equal(segmentation.model, 'isnet-general');
      assert.equal(segmentation.reused, false);
      assert.deepEqual([segmentation.inferenceWidth, segmentation.inferenceHeight], [1024, 1024]);
      for (const stage of ['queueWaitMs', 'preprocessMs', 'inferenceMs', 'postprocessMs', 'storeMs']) {
        const value = segmentation.timings[stage];
        assert.ok(typeof value === 'number' && Number.isFinite(value) && value >= 0, `${stage}: ${value}`);
      }
      assert.ok(segmentation.timings.inferenceMs > 0, 'the model ran');
      const { mask } = segmentation;
      assert.deepEqual([mask.width, mask.height, mask.subjectFound], [1024, 682, true]);
      assert.ok(Math.abs(mask.foregroundRatio - 0.132) < 0.02, `foreground ratio ${mask.foregroundRatio}`);
      // The ground-truth box is x 305–719, y 300–652.
      assert.ok(Math.abs(mask.boundingBox.x - 305) < 15 && Math.abs(mask.boundingBox.y - 300) < 15, JSON.stringify(mask.boundingBox));
      const pixels = await maskPixels(mask.url);
      assert.deepEqual([pixels.width, pixels.height, pixels.channels], [1024, 682, 1]);
      const truth = await sharp(`${FIXTURES}/composites/c1-bear-meadow.gt.png`).toColourspace('b-w').raw().toBuffer();
      assert.ok(iouAt(pixels.data, new Uint8Array(truth)) > 0.95, 'expected: iouAt(pixels.data, new Uint8Array(truth)) > 0.95');
    });

    test('answers the same bytes again from the stored mask, without running the model', async () => {
      const bytes = await readFile(`${FIXTURES}/composites/c5-flower-leaves-small.png`);
      const first = await segment(await upload(bytes, 'first'));
      const second = await segment(await upload(bytes, 'second'), '');
      assert.equal(second.status, 'SUCCEEDED', 'answered at once, even without wait');
      assert.equal(second.reused, true);
      assert.equal(second.timings.inferenceMs, null);
      assert.equal(second.mask.foregroundRatio, first.mask.foregroundRatio);
      const [a, b] = await Promise.all([maskPixels(first.mask.url), maskPixels(second.mask.url)]);
      assert.deepEqual(a.data, b.data);
    });

    test('never reuses a mask whose blob is gone (what a lost race leaves): it runs the model again', async () => {
      const q8 = ', wait: true, model: "isnet-general-q8"';
      const bytes = await uniqueJpeg(72, 54);
      const first = await segment(await upload(bytes, 'lost'), q8);
      const blob = sha256Hex(Buffer.from(await (await fetch(first.mask.url)).arrayBuffer()));
      await rm(join(gateway.config.blobDir, blob.slice(0, 2), blob.slice(2, 4), blob));
      const second = await segment(await upload(bytes, 'again'), q8);
      assert.deepEqual([second.status, second.reused], ['SUCCEEDED', false]);
      assert.equal((await fetch(second.mask.url)).status, 200, 'the new row points at a stored mask');
    });

    test('runs concurrent identical requests once', async () => {
      const id = await upload(await uniqueJpeg(160, 120));
      const results = await Promise.all([segment(id), segment(id), segment(id)]);
      for (const result of results) assert.equal(result.status, 'SUCCEEDED');
      assert.equal(results.filter((result) => !result.reused).length, 1, JSON.stringify(results.map((result) => result.reused)));
    });

    test('stores each stage timing as the run measured it: the row agrees with /metrics, stage by stage', async () => {
      /** maskgraph_job_stage_duration_seconds_sum per stage for one model, from the Prometheus text. */
      const stageSums = async (model: string) => {
        const text = await (await fetch(`${gateway.url}/metrics`)).text();
        const sums: Record<string, number> = {};
        for (const match of text.matchAll(/^maskgraph_job_stage_duration_seconds_sum\{([^}]*)\} (\S+)$/gm)) {
          const labels = Object.fromEntries([...match[1]!.matchAll(/(\w+)="([^"]*)"/g)].map((label) => [label[1], label[2]]));
          if (labels.model === model) sums[labels.stage!] = Number(match[2]);
        }
        return sums;
      };
      const before = await stageSums('isnet-general-q8');
      const done = await client.query(
        `mutation($id: ID!) { segmentAsset(input: { assetId: $id, model: "isnet-general-q8", wait: true }) { status reused timings { preprocessMs inferenceMs postprocessMs } } }`,
        { id: await upload(await uniqueJpeg(320, 240)) },
      );
      assert.deepEqual([done.data.segmentAsset.status, done.data.segmentAsset.reused], ['SUCCEEDED', false]);
      const after = await stageSums('isnet-general-q8');
      const timings = done.data.segmentAsset.timings as Record<string, number>;
      for (const stage of ['preprocess', 'inference', 'postprocess']) {
        const observedMs = ((after[stage] ?? 0) - (before[stage] ?? 0)) * 1000;
        assert.ok(timings[`${stage}Ms`]! > 0, `${stage}Ms is a measurement, not 0: ${JSON.stringify(timings)}`);
        assert.ok(
          Math.abs(timings[`${stage}Ms`]! - observedMs) < 0.01,
          `${stage}: the row says ${timings[`${stage}Ms`]} ms, the run observed ${observedMs} ms`,
        );
      }
    });

    test('can be polled until it finishes', async () => {
      const id = await upload(fixturePath('flower.jpg'));
      const queued = await segment(id, ', model: "isnet-general-q8"');
      assert.ok(['QUEUED', 'RUNNING', 'SUCCEEDED'].includes(queued.status), "expected: ['QUEUED', 'RUNNING', 'SUCCEEDED'].includes(queued.status)");
      let state = queued;
      for (let polls = 0; state.status !== 'SUCCEEDED' && state.status !== 'FAILED'; polls += 1) {
        assert.ok(polls < 600, 'finished within 60 s of polling');
        await new Promise((resolve) => setTimeout(resolve, 100));
        state = (await client.query(`query($id: ID!) { segmentation(id: $id) { ${SEGMENTATION_FIELDS} } }`, { id: queued.id })).data.segmentation;
      }
      assert.equal(state.status, 'SUCCEEDED');
      assert.equal(state.model, 'isnet-general-q8');
      const listed = await client.query('query($id: ID!) { asset(id: $id) { segmentations { id status } } }', { id });
      assert.deepEqual(listed.data.asset.segmentations, [{ id: queued.id, status: 'SUCCEEDED' }]);
    });

    test('pushes every status change over a graphql-ws subscription', async () => {
      // A long run ahead of it (one job at a time by default) keeps the watched job QUEUED
      // until the subscription is open, so the whole lifecycle is observable.
      await segment(await upload(await uniqueJpeg(1600, 1200), 'ahead'), '');
      const id = await upload(fixturePath('grace-hopper.jpg'));
      const queued = await segment(id, ', model: "isnet-general-q8"');
      const ws = subscriptionClient(gateway.url, `Bearer ${key}`);
      const statuses: string[] = [];
      const succeeded: { reviewPriority: number | null; reviewPriorityPending: boolean }[] = [];
      try {
        const subscription = ws.iterate<{
          segmentationUpdated: {
            status: string;
            progress: number;
            mask: { width: number } | null;
            reviewPriority: number | null;
            reviewPriorityPending: boolean;
          };
        }>({
          query: `subscription($id: ID!) { segmentationUpdated(id: $id) { status progress mask { width } reviewPriority reviewPriorityPending } }`,
          variables: { id: queued.id },
        });
        for await (const event of subscription) {
          assert.equal(event.errors, undefined, JSON.stringify(event.errors));
          const { status, mask, reviewPriority, reviewPriorityPending } = event.data!.segmentationUpdated;
          statuses.push(status);
          if (status === 'SUCCEEDED') {
            assert.equal(mask!.width, 512);
            succeeded.push({ reviewPriority, reviewPriorityPending });
          }
        }
      } finally {
        await ws.dispose();
      }
      // The first event is the state at subscription time; repeated RUNNING events carry
      // progress. Collapsed, the sequence must be exactly the lifecycle.
      const collapsed = statuses.filter((status, i) => status !== statuses[i - 1]);
      assert.equal(queued.status, 'QUEUED', 'the request answered before the run started');
      assert.deepEqual(collapsed, ['QUEUED', 'RUNNING', 'SUCCEEDED'], statuses.join(' → '));
      // The mask is announced before its review priority is estimated, which then comes in an event of its own and ends the subscription.
      assert.deepEqual(succeeded[0], { reviewPriority: null, reviewPriorityPending: true }, 'SUCCEEDED must not wait for the review priority');
      assert.equal(succeeded.length, 2, JSON.stringify(succeeded));
      assert.equal(succeeded[1]!.reviewPriorityPending, false);
      assert.equal(typeof succeeded[1]!.reviewPriority, 'number', JSON.stringify(succeeded));
    });

    /** Runs a subscription to its end: the events, or how it failed (GraphQL errors or a close code). */
    async function subscribe(authorization: string, id: string) {
      const ws = subscriptionClient(gateway.url, authorization);
      const events: { status: string }[] = [];
      try {
        for await (const event of ws.iterate<{ segmentationUpdated: { status: string } }>({
          query: 'subscription($id: ID!) { segmentationUpdated(id: $id) { status } }',
          variables: { id },
        })) {
          if (event.errors) return { events, errors: event.errors };
          events.push(event.data!.segmentationUpdated);
        }
        return { events };
      } catch (failure) {
        // graphql-ws rejects with the GraphQL errors of an `error` message, or with the close event.
        if (Array.isArray(failure)) return { events, errors: failure as { extensions?: { code?: string } }[] };
        return { events, closeCode: (failure as { code?: number }).code };
      } finally {
        await ws.dispose();
      }
    }

    test("refuses a subscription with an unknown key, and to another owner's segmentation", async () => {
      const mine = await segment(await upload(fixturePath('cat-chelsea.png'), 'subscribed'), ', wait: true, model: "isnet-general-q8"');
      assert.equal(mine.status, 'SUCCEEDED');
      // The owner's own key sees the current state, so the other answers below are refusals, not missing rows.
      const own = await subscribe(`Bearer ${key}`, mine.id);
      assert.deepEqual([...new Set(own.events.map((event) => event.status))], ['SUCCEEDED'], 'SUCCEEDED, and once more when its review priority lands');
      const unknown = await subscribe(`Bearer mg_${'x'.repeat(43)}`, mine.id);
      assert.deepEqual([unknown.events, unknown.closeCode], [[], 4403], JSON.stringify(unknown));
      const other = await subscribe(`Bearer ${(await gateway.newOwner('eavesdropper')).key}`, mine.id);
      assert.deepEqual(other.events, []);
      assert.equal(other.errors?.[0]?.extensions?.code, 'NOT_FOUND', JSON.stringify(other));
    });

    test('ends a subscription with NOT_FOUND when the asset is deleted mid-job, instead of leaving it waiting', { timeout: 60_000 }, async () => {
      // A long run ahead keeps the watched job QUEUED while its asset is deleted.
      await segment(await upload(await uniqueJpeg(1600, 1200), 'ahead'), '');
      const assetId = await upload(await uniqueJpeg(120, 90), 'doomed');
      const queued = await segment(assetId, ', model: "isnet-general-q8"');
      const ws = subscriptionClient(gateway.url, `Bearer ${key}`);
      const statuses: string[] = [];
      let code: string | undefined;
      try {
        for await (const event of ws.iterate<{ segmentationUpdated: { status: string } }>({
          query: 'subscription($id: ID!) { segmentationUpdated(id: $id) { status } }',
          variables: { id: queued.id },
        })) {
          if (event.errors) {
            code = event.errors[0]?.extensions?.code as string | undefined;
            break;
          }
          statuses.push(event.data!.segmentationUpdated.status);
          if (statuses.length === 1) await client.query('mutation($id: ID!) { deleteAsset(id: $id) { id } }', { id: assetId });
        }
      } catch (errors) {
        code = (errors as { extensions?: { code?: string } }[])[0]?.extensions?.code;
      } finally {
        await ws.dispose();
      }
      assert.deepEqual(statuses, ['QUEUED']);
      assert.equal(code, 'NOT_FOUND');
    });

    test('aligns the mask with the EXIF-oriented image', async () => {
      const rotated = await segment(await upload(fixturePath('dogs-portrait-exif6.jpg')), ', wait: true, model: "isnet-general-q8"');
      const upright = await segment(await upload(fixturePath('dogs-portrait.jpg')), ', wait: true, model: "isnet-general-q8"');
      assert.deepEqual([rotated.mask.width, rotated.mask.height], [2048, 3088]);
      const a = await maskPixels(rotated.mask.url);
      const b = await maskPixels(upright.mask.url);
      // The EXIF file is the upright photo cropped to its left 2048 columns.
      const cropped = await sharp(Buffer.from(b.data), { raw: { width: 2056, height: 3088, channels: 1 } })
        .extract({ left: 0, top: 0, width: 2048, height: 3088 })
        .toColourspace('b-w')
        .raw()
        .toBuffer();
      const iou = iouAt(a.data, new Uint8Array(cropped));
      assert.ok(iou > 0.9, `IoU between the EXIF-rotated and upright masks ${iou.toFixed(3)}`);
    });

    test('gives grey, RGBA and 16-bit images the mask of the same photo in 8-bit RGB', async () => {
      const q8 = ', wait: true, model: "isnet-general-q8"';
      const maskOf = async (input: string | Uint8Array, name: string) => {
        const result = await segment(await upload(input, name), q8);
        assert.equal(result.status, 'SUCCEEDED', name);
        return maskPixels(result.mask.url);
      };
      const grey = await readFile(fixturePath('cameraman-gray.png'));
      const cat = await readFile(fixturePath('cat-chelsea.png'));
      // The models see an RGBA image's colour channels as stored (alpha dropped, not flattened).
      const bear = await readFile(fixturePath('bear-alpha.png'));
      const cases = [
        { name: 'grey', input: grey, rgb: await sharp(grey).toColourspace('srgb').removeAlpha().png().toBuffer(), size: [512, 512] },
        { name: 'rgba', input: bear, rgb: await sharp(bear).removeAlpha().png().toBuffer(), size: [346, 294] },
        {
          name: '16-bit',
          input: await sharp(cat).toColourspace('rgb16').png().toBuffer(),
          rgb: await sharp(cat).removeAlpha().png().toBuffer(),
          size: [451, 300],
        },
      ];
      for (const { name, input, rgb, size } of cases) {
        const [actual, expected] = [await maskOf(input, name), await maskOf(rgb, `${name}-as-rgb`)];
        assert.deepEqual([actual.width, actual.height], size, name);
        const difference = meanAbsoluteDifference(actual.data, expected.data);
        const iou = iouAt(actual.data, expected.data);
        // 16-bit is resized before it becomes 8-bit, so its model input differs by ±1 level
        // on a quarter of the values (measured mask difference 1.1); the others are identical.
        assert.ok(difference <= 1.5 && iou >= 0.99, `${name}: mean abs diff ${difference.toFixed(3)}, IoU ${iou.toFixed(4)} against the 8-bit RGB mask`);
      }
    });

    test('refuses unknown models, missing weights, foreign assets and bad waits', async () => {
      const id = await upload(fixturePath('cat-chelsea.png'));
      const ask = (input: string) => client.query(`mutation { segmentAsset(input: { ${input} }) { id } }`);
      assert.equal(errorCode(await ask(`assetId: "${id}", model: "nope"`)), 'BAD_USER_INPUT');
      const unavailable = await ask(`assetId: "${id}", model: "basnet"`);
      assert.equal(errorCode(unavailable), 'MODEL_UNAVAILABLE');
      assert.match(unavailable.errors![0]!.message, /models\/basnet\/model\.onnx/);
      assert.equal(errorCode(await ask(`assetId: "01a213bc-f650-7154-8473-2f1937ab129f"`)), 'NOT_FOUND');
      assert.equal(errorCode(await ask(`assetId: "${id}", wait: true, waitTimeoutMs: 0`)), 'BAD_USER_INPUT');
      const other = new Client(gateway.url, (await gateway.newOwner('other')).key);
      assert.equal(errorCode(await other.query(`mutation { segmentAsset(input: { assetId: "${id}" }) { id } }`)), 'NOT_FOUND');
      const mine = await segment(id, ', wait: true, model: "isnet-general-q8"');
      assert.equal(errorCode(await other.query(`{ segmentation(id: "${mine.id}") { id } }`)), 'NOT_FOUND');
    });

    test('deleting the asset deletes its segmentations and their mask blobs, but keeps a mask another asset shares', async () => {
      const bytes = await uniqueJpeg(200, 150);
      const [id, twin] = [await upload(bytes, 'deleted'), await upload(bytes, 'twin')];
      const segmentation = await segment(id, ', wait: true, model: "isnet-general-q8"');
      const shared = await segment(twin, ', wait: true, model: "isnet-general-q8"');
      assert.equal(shared.reused, true, 'the twin shares the stored mask');
      const solo = await segment(await upload(await uniqueJpeg(200, 150), 'solo'), ', wait: true, model: "isnet-general-q8"');
      const blobOf = async (url: string) => sha256Hex(Buffer.from(await (await fetch(url)).arrayBuffer()));
      const [maskBlob, soloMaskBlob] = [await blobOf(segmentation.mask.url), await blobOf(solo.mask.url)];
      assert.ok((await listBlobFiles(gateway.config)).includes(maskBlob), 'the mask is a stored blob');

      await client.query('mutation($id: ID!) { deleteAsset(id: $id) { id } }', { id });
      assert.equal((await fetch(segmentation.mask.url)).status, 404);
      assert.equal(errorCode(await client.query(`{ segmentation(id: "${segmentation.id}") { id } }`)), 'NOT_FOUND');
      assert.ok((await listBlobFiles(gateway.config)).includes(maskBlob), "still the twin's mask");
      assert.equal((await fetch(shared.mask.url)).status, 200);

      const soloAsset = (await client.query(`{ segmentation(id: "${solo.id}") { asset { id } } }`)).data.segmentation.asset.id;
      await client.query('mutation($id: ID!) { deleteAsset(id: $id) { id } }', { id: soloAsset });
      await client.query('mutation($id: ID!) { deleteAsset(id: $id) { id } }', { id: twin });
      const after = await listBlobFiles(gateway.config);
      assert.ok(!after.includes(maskBlob), 'the last user of the shared mask is gone, so is its blob');
      assert.ok(!after.includes(soloMaskBlob), 'an unshared mask goes with its asset');
    });
  });
}

describe('jobs left queued by a stop', () => {
  test('all run after a restart, even more of them than MAX_QUEUED_JOBS admits', { timeout: 240_000 }, async () => {
    let gateway = await startTestGateway(DATABASE_TARGETS[0]!);
    try {
      const client = new Client(gateway.url, (await gateway.newOwner('patient')).key);
      const upload = async (bytes: Uint8Array) => (await client.upload(bytes, { selection: 'id' })).data!.uploadAsset.id as string;
      const ask = (id: string, model: string) =>
        client.query(`mutation($id: ID!) { segmentAsset(input: { assetId: $id, model: "${model}" }) { id status } }`, { id });
      // Everything uploaded first; then a long cold run ahead and six jobs behind it are asked
      // for at once and the gateway stops at once, so the six are still QUEUED. The restart
      // admits one running and one waiting (MAX_QUEUED_JOBS 1); all six must still run.
      const ahead = await upload(await uniqueJpeg(1600, 1200));
      const behind = await Promise.all(Array.from({ length: 6 }, async () => upload(await uniqueJpeg(96, 64))));
      await ask(ahead, 'isnet-general');
      const responses = await Promise.all(behind.map((id) => ask(id, 'isnet-general-q8')));
      const queued = responses.map((response) => response.data.segmentAsset.id as string);
      gateway = await gateway.restart({ MAX_QUEUED_JOBS: '1' });
      const restarted = new Client(gateway.url, client.key);
      for (const id of queued) {
        let status = 'QUEUED';
        for (let polls = 0; polls < 1200 && status !== 'SUCCEEDED' && status !== 'FAILED'; polls += 1) {
          status = (await restarted.query('query($id: ID!) { segmentation(id: $id) { status } }', { id })).data.segmentation.status;
          if (status !== 'SUCCEEDED') await new Promise((resolve) => setTimeout(resolve, 100));
        }
        assert.equal(status, 'SUCCEEDED', `${id} after the restart`);
      }
    } finally {
      await gateway.dispose();
    }
  });
});

describe('a full job queue', () => {
  test('answers BUSY and creates no row', async () => {
    const gateway = await startTestGateway(DATABASE_TARGETS[0]!, { MAX_QUEUED_JOBS: '0' });
    try {
      const client = new Client(gateway.url, (await gateway.newOwner('busy')).key);
      const id = (await client.upload(await uniqueJpeg(), { selection: 'id' })).data!.uploadAsset.id;
      const response = await client.query(`mutation { segmentAsset(input: { assetId: "${id}" }) { id } }`);
      assert.equal(errorCode(response), 'BUSY');
      const rows = await client.query(`{ asset(id: "${id}") { segmentations { id } } }`);
      assert.deepEqual(rows.data.asset.segmentations, []);
    } finally {
      await gateway.dispose();
    }
  });

  // An API-only gateway on PostgreSQL runs no worker, so every job stays QUEUED and the counts are exact.
  test('MAX_QUEUED_JOBS_PER_OWNER refuses one owner past its share while another owner still gets in', { skip: DATABASE_TARGETS[1]!.skipReason }, async () => {
    const gateway = await startTestGateway(DATABASE_TARGETS[1]!, { ROLE: 'api', MAX_QUEUED_JOBS: '100', MAX_QUEUED_JOBS_PER_OWNER: '2' });
    try {
      const queue = async (client: Client) => {
        const id = (await client.upload(await uniqueJpeg(), { selection: 'id' })).data!.uploadAsset.id;
        return client.query(`mutation { segmentAsset(input: { assetId: "${id}" }) { status } }`);
      };
      const greedy = new Client(gateway.url, (await gateway.newOwner('greedy')).key);
      for (let job = 1; job <= 2; job += 1) assert.equal((await queue(greedy)).data?.segmentAsset.status, 'QUEUED', `greedy's job ${job} is within its share`);
      const refused = await queue(greedy);
      assert.equal(errorCode(refused), 'BUSY');
      assert.deepEqual([refused.errors![0]!.extensions!.details!.scope, refused.errors![0]!.extensions!.details!.limit], ['owner', 2]);
      const polite = new Client(gateway.url, (await gateway.newOwner('polite')).key);
      assert.equal((await queue(polite)).data?.segmentAsset.status, 'QUEUED', "another owner is not refused for the first one's jobs");
    } finally {
      await gateway.dispose();
    }
  });
});
