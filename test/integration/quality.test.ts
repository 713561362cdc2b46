/**
 * Ground truth and quality reports through GraphQL: a composite with exact ground truth is
 * segmented and scored; the stored report equals the metric library run on the served
 * mask and ground truth; a new ground truth recomputes it; bad masks are refused.
 */
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { after, before, describe, test } from 'node:test';
import sharp from 'sharp';
import { computeHce } from '../../src/metrics/hce.js';
import { scoreMaskPair } from '../../src/metrics/score-files.js';
import { Client, errorCode, FIXTURES, sendFile, uniqueJpeg } from '../helpers/client.js';
import { DATABASE_TARGETS } from '../helpers/database-targets.js';
import { listBlobFiles, startTestGateway, type TestGateway } from '../helpers/gateway.js';
import { pngDeclaring } from '../helpers/masks.js';

const SET_GROUND_TRUTH =
  'mutation($id: ID!, $mask: Upload!) { setGroundTruth(assetId: $id, mask: $mask) { id groundTruth { url width height foregroundRatio } } }';
const REPORT = `quality { hce hceParts { fpPoints fpIndep fnPoints fnIndep } mae sm wfm adpF meanF maxF adpE meanE maxE iou dice ber computedMs }`;

async function grey(url: string): Promise<Uint8Array> {
  const png = Buffer.from(await (await fetch(url)).arrayBuffer());
  return new Uint8Array(await sharp(png).toColourspace('b-w').raw().toBuffer());
}

for (const target of DATABASE_TARGETS) {
  describe(`quality reports on ${target.name}`, { skip: target.skipReason }, () => {
    let gateway: TestGateway;
    let client: Client;
    let assetId: string;
    let segmentationId: string;

    before(async () => {
      gateway = await startTestGateway(target);
      client = new Client(gateway.url, (await gateway.newOwner('reviewer')).key);
      assetId = (await client.upload(`${FIXTURES}/composites/c1-bear-meadow.jpg`, { selection: 'id' })).data!.uploadAsset.id;
    });
    after(() => gateway?.dispose());

    test('a segmentation without ground truth has no quality report', async () => {
      const response = await client.query(`mutation($id: ID!) { segmentAsset(input: { assetId: $id, wait: true }) { id status ${REPORT} } }`, { id: assetId });
      assert.equal(response.data.segmentAsset.status, 'SUCCEEDED');
      assert.equal(response.data.segmentAsset.quality, null);
      segmentationId = response.data.segmentAsset.id;
    });

    test('estimates quality without ground truth, and the disagreement with another model', async () => {
      const ESTIMATE = 'qualityEstimate { uncertainFraction fragments holes boundaryComplexity estimatedHce comparedWithModel }';
      const alone = (await client.query(`query($id: ID!) { segmentation(id: $id) { ${ESTIMATE} } }`, { id: segmentationId })).data.segmentation.qualityEstimate;
      assert.ok(alone.fragments >= 1 && alone.uncertainFraction < 0.05 && alone.boundaryComplexity > 1, JSON.stringify(alone));
      assert.equal(alone.estimatedHce, null);
      const second = await client.query(
        `mutation($id: ID!) { segmentAsset(input: { assetId: $id, model: "isnet-general-q8", wait: true }) { mask { url } ${ESTIMATE} } }`,
        { id: assetId },
      );
      const compared = second.data.segmentAsset.qualityEstimate;
      assert.equal(compared.comparedWithModel, 'isnet-general');
      // The disagreement is the DIS HCE of this mask against the other model's, as the metric
      // library computes it on the served masks; the two IS-Net variants differ on c1's edges.
      const first = (await client.query(`query($id: ID!) { segmentation(id: $id) { mask { url } } }`, { id: segmentationId })).data.segmentation;
      const [reference, mask] = [await grey(first.mask.url), await grey(second.data.segmentAsset.mask.url)];
      const expected = await computeHce(reference, mask, 1024, 682, { variant: 'dis' });
      assert.ok(expected.hce > 0, `the masks differ: HCE ${expected.hce}`);
      assert.equal(compared.estimatedHce, expected.hce, JSON.stringify(compared));
    });

    test('stores a ground truth and scores the mask against it, as the metric library does', async () => {
      const truth = await readFile(`${FIXTURES}/composites/c1-bear-meadow.gt.png`);
      const set = await sendFile(client, SET_GROUND_TRUTH, { id: assetId }, 'mask', truth);
      assert.equal(set.errors, undefined, JSON.stringify(set.errors));
      const groundTruth = set.data.setGroundTruth.groundTruth;
      assert.deepEqual([groundTruth.width, groundTruth.height], [1024, 682]);
      assert.ok(Math.abs(groundTruth.foregroundRatio - 0.1322) < 0.005, 'expected: Math.abs(groundTruth.foregroundRatio - 0.1322) < 0.005');

      const response = await client.query(`query($id: ID!) { segmentation(id: $id) { mask { url } ${REPORT} } }`, { id: segmentationId });
      const report = response.data.segmentation.quality;
      assert.ok(report, JSON.stringify(response));
      assert.ok(report.iou > 0.95 && report.mae < 0.01, JSON.stringify(report));
      assert.equal(report.hce, report.hceParts.fpPoints + report.hceParts.fpIndep + report.hceParts.fnPoints + report.hceParts.fnIndep);

      // setGroundTruth replaces what this URL serves, so browsers must revalidate it; masks never change.
      assert.equal((await fetch(groundTruth.url)).headers.get('cache-control'), 'private, no-cache');
      assert.match((await fetch(response.data.segmentation.mask.url)).headers.get('cache-control') ?? '', /immutable/);
      const { score } = await scoreMaskPair(await grey(groundTruth.url), await grey(response.data.segmentation.mask.url), 1024, 682);
      assert.equal(report.hce, score.hce);
      for (const key of ['mae', 'sm', 'wfm', 'adpF', 'meanF', 'maxF', 'adpE', 'meanE', 'maxE', 'iou', 'dice', 'ber'] as const) {
        assert.ok(Math.abs(report[key] - score[key]) < 1e-12, `${key}: ${report[key]} vs ${score[key]}`);
      }
      const again = await client.query(`query($id: ID!) { segmentation(id: $id) { quality { computedMs } } }`, { id: segmentationId });
      assert.equal(again.data.segmentation.quality.computedMs, report.computedMs, 'stored, not recomputed');
    });

    test('replacing the ground truth recomputes the report; an alpha PNG works as a mask', async () => {
      const truth = await sharp(`${FIXTURES}/composites/c1-bear-meadow.gt.png`).toColourspace('b-w').raw().toBuffer();
      const inverted = Buffer.from(truth.map((value) => 255 - value));
      // The inverted mask as the alpha channel of an RGBA image.
      const rgba = Buffer.alloc(1024 * 682 * 4, 128);
      for (let i = 0; i < inverted.length; i += 1) rgba[i * 4 + 3] = inverted[i]!;
      const png = await sharp(rgba, { raw: { width: 1024, height: 682, channels: 4 } })
        .png()
        .toBuffer();
      const set = await sendFile(client, SET_GROUND_TRUTH, { id: assetId }, 'mask', png);
      assert.ok(
        Math.abs(set.data.setGroundTruth.groundTruth.foregroundRatio - (1 - 0.1322)) < 0.005,
        'expected: Math.abs(set.data.setGroundTruth.groundTruth.foregroundRatio - (1 - 0.1322)) < 0.005',
      );
      const report = (await client.query(`query($id: ID!) { segmentation(id: $id) { quality { iou } } }`, { id: segmentationId })).data.segmentation.quality;
      assert.ok(report.iou < 0.1, `against the inverted truth the IoU collapses: ${report.iou}`);
    });

    test('an evaluation ranks both IS-Net models over the assets with ground truth', async () => {
      // Restore the true mask of c1 and add c5 with its ground truth.
      await sendFile(client, SET_GROUND_TRUTH, { id: assetId }, 'mask', await readFile(`${FIXTURES}/composites/c1-bear-meadow.gt.png`));
      const flower = (await client.upload(`${FIXTURES}/composites/c5-flower-leaves-small.png`, { selection: 'id', tags: ['eval'] })).data!.uploadAsset.id;
      await sendFile(client, SET_GROUND_TRUTH, { id: flower }, 'mask', await readFile(`${FIXTURES}/composites/c5-flower-leaves-small.gt.png`));
      await client.upload(`${FIXTURES}/composites/c2-person-forest-portrait.jpg`, { selection: 'id' }); // no ground truth: not evaluated

      const response = await client.query(
        `mutation { evaluateModels(input: { models: ["isnet-general-q8", "isnet-general"], wait: true, waitTimeoutMs: 120000 }) {
          id status progress assetCount errorMessage
          table { model count maxF wfm mae sm meanE meanHce meanInferenceMs }
          items { asset { id } model hce mae maxF segmentation { id status } }
        } }`,
      );
      assert.equal(response.errors, undefined, JSON.stringify(response.errors));
      const evaluation = response.data.evaluateModels;
      assert.equal(evaluation.status, 'SUCCEEDED', JSON.stringify(evaluation));
      assert.deepEqual([evaluation.progress, evaluation.assetCount], [1, 2]);
      assert.equal(evaluation.table.length, 2);
      assert.deepEqual(evaluation.table.map((row: { model: string }) => row.model).sort(), ['isnet-general', 'isnet-general-q8']);
      assert.ok(evaluation.table[0].maxF >= evaluation.table[1].maxF, 'ranked by maxF');
      for (const row of evaluation.table) assert.ok(row.count === 2 && row.maxF > 0.9 && row.mae < 0.02, JSON.stringify(row));
      const hces = evaluation.items.map((item: { hce: number }) => item.hce);
      assert.equal(hces.length, 4);
      assert.deepEqual(
        hces,
        [...hces].sort((a: number, b: number) => b - a),
        'worst first',
      );

      const listed = await client.query('{ evaluations { id status } }');
      assert.equal(listed.data.evaluations[0].id, evaluation.id);
      assert.equal(errorCode(await client.query('mutation { evaluateModels(input: { models: ["nope"] }) { id } }')), 'BAD_USER_INPUT');
      assert.equal(errorCode(await client.query('mutation { evaluateModels(input: { models: [] }) { id } }')), 'BAD_USER_INPUT');
      const stranger = new Client(gateway.url, (await gateway.newOwner('nosy')).key);
      assert.equal(errorCode(await stranger.query(`{ evaluation(id: "${evaluation.id}") { id } }`)), 'NOT_FOUND');
    });

    test('a ground truth is binarised as the reference does: above 128 is foreground, 128 is not', async () => {
      const ramp = Buffer.alloc(1024 * 682);
      for (let i = 0; i < ramp.length; i += 1) ramp[i] = i % 256; // every value, 4 times a row
      const set = await sendFile(
        client,
        SET_GROUND_TRUTH,
        { id: assetId },
        'mask',
        await sharp(ramp, { raw: { width: 1024, height: 682, channels: 1 } })
          .png()
          .toBuffer(),
      );
      assert.equal(set.errors, undefined, JSON.stringify(set.errors));
      const stored = await grey(set.data.setGroundTruth.groundTruth.url);
      assert.deepEqual([stored[128], stored[129], stored[255], stored[256]], [0, 255, 255, 0]);
      assert.equal(stored.filter((value, i) => value !== (ramp[i]! > 128 ? 255 : 0)).length, 0);
      assert.ok(Math.abs(set.data.setGroundTruth.groundTruth.foregroundRatio - 127 / 256) < 1e-9, String(set.data.setGroundTruth.groundTruth.foregroundRatio));
    });

    test('concurrent ground-truth replacements leave exactly one ground truth blob, orphaning none', async () => {
      const masks = await Promise.all(
        Array.from({ length: 8 }, (_, k) => {
          const pixels = Buffer.alloc(1024 * 682);
          pixels.fill(255, 0, (k + 1) * 60 * 1024); // a different band of rows each
          return sharp(pixels, { raw: { width: 1024, height: 682, channels: 1 } })
            .png()
            .toBuffer();
        }),
      );
      await sendFile(client, SET_GROUND_TRUTH, { id: assetId }, 'mask', await readFile(`${FIXTURES}/composites/c1-bear-meadow.gt.png`));
      const blobsBefore = (await listBlobFiles(gateway.config)).length;
      const answers = await Promise.all(masks.map((mask) => sendFile(client, SET_GROUND_TRUTH, { id: assetId }, 'mask', mask)));
      for (const answer of answers) assert.equal(answer.errors, undefined, JSON.stringify(answer.errors));
      // The ground truth before is replaced by one of the eight: the count of blobs is unchanged.
      assert.equal((await listBlobFiles(gateway.config)).length, blobsBefore, 'one ground-truth blob in, one out');
      const truth = (await client.query(`query($id: ID!) { asset(id: $id) { groundTruth { url } } }`, { id: assetId })).data.asset.groundTruth;
      assert.equal((await fetch(truth.url)).status, 200);
      await sendFile(client, SET_GROUND_TRUTH, { id: assetId }, 'mask', await readFile(`${FIXTURES}/composites/c1-bear-meadow.gt.png`));
    });

    test('refuses a mask of another size, naming both sizes, and a non-image', async () => {
      const small = await sharp(Buffer.alloc(512 * 341), { raw: { width: 512, height: 341, channels: 1 } })
        .toColourspace('b-w')
        .png()
        .toBuffer();
      const wrongSize = await sendFile(client, SET_GROUND_TRUTH, { id: assetId }, 'mask', small);
      assert.equal(errorCode(wrongSize), 'BAD_USER_INPUT');
      assert.match(wrongSize.errors![0]!.message, /1024×682.*512×341/);
      const text = await sendFile(client, SET_GROUND_TRUTH, { id: assetId }, 'mask', Buffer.from('not a mask'));
      assert.equal(errorCode(text), 'UNSUPPORTED_MEDIA_TYPE');
      // An SVG of the right size is refused by format, not rendered.
      const svg = Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" width="1024" height="682"><rect width="1024" height="682" fill="white"/></svg>');
      const vector = await sendFile(client, SET_GROUND_TRUTH, { id: assetId }, 'mask', svg, 'mask.svg');
      assert.equal(errorCode(vector), 'UNSUPPORTED_MEDIA_TYPE');
      assert.match(vector.errors![0]!.message, /PNG, WebP or JPEG.*SVG/);
      // A bomb: a tiny PNG whose header claims 40000² pixels is refused from its header.
      const bomb = pngDeclaring(40_000, 40_000);
      const bombed = await sendFile(client, SET_GROUND_TRUTH, { id: assetId }, 'mask', bomb);
      assert.equal(errorCode(bombed), 'BAD_USER_INPUT');
      assert.match(bombed.errors![0]!.message, /40000×40000/);
      assert.equal((await fetch(`${gateway.url}/healthz`)).status, 200);
      const other = new Client(gateway.url, (await gateway.newOwner('stranger')).key);
      assert.equal(errorCode(await sendFile(other, SET_GROUND_TRUTH, { id: assetId }, 'mask', small)), 'NOT_FOUND');
    });
  });
}

describe('quality estimates under load', () => {
  test('compute at most 8 at once (BUSY beyond, nothing else), then answer from the cache', async () => {
    const gateway = await startTestGateway(DATABASE_TARGETS[0]!);
    try {
      const client = new Client(gateway.url, (await gateway.newOwner('estimator')).key);
      const ids: string[] = [];
      for (let k = 0; k < 10; k += 1) {
        const assetId = (await client.upload(await uniqueJpeg(64, 48), { selection: 'id' })).data!.uploadAsset.id;
        const segmented = await client.query(
          `mutation($id: ID!) { segmentAsset(input: { assetId: $id, model: "isnet-general-q8", wait: true }) { id status } }`,
          { id: assetId },
        );
        assert.equal(segmented.data.segmentAsset.status, 'SUCCEEDED');
        ids.push(segmented.data.segmentAsset.id);
      }
      const query = `{ ${ids.map((id, k) => `s${k}: segmentation(id: "${id}") { qualityEstimate { fragments holes uncertainFraction } }`).join(' ')} }`;
      const first = await client.query(query);
      const codes = (first.errors ?? []).map((error) => error.extensions?.code);
      assert.ok(codes.length >= 2 && codes.every((code) => code === 'BUSY'), `only BUSY refusals, for the 2 beyond 8: ${JSON.stringify(first.errors)}`);
      const answered = Object.entries((first.data ?? {}) as Record<string, { qualityEstimate: unknown } | null>).filter(([, value]) => value?.qualityEstimate);
      assert.equal(answered.length, 10 - codes.length);
      // The 8 computed are cached: asking again computes only the 2 refused, so all 10 answer.
      const second = await client.query(query);
      assert.equal(second.errors, undefined, JSON.stringify(second.errors));
      for (const [alias, value] of answered) assert.deepEqual(second.data[alias], value, `${alias} from the cache`);
      assert.equal((await fetch(`${gateway.url}/healthz`)).status, 200);
    } finally {
      await gateway.dispose();
    }
  });
});
