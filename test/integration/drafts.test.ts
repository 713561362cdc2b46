/**
 * Draft masks (issue 25): `segmentAsset(input: { draft: true })` answers once a U²-Net-p draft
 * (made from the photo's preview proxy) is ready, with the full model's run queued behind it; the draft is a segmentation of its own
 * (mask, effects), never reviewed, and the run replaces it when it succeeds. Its mask keeps the
 * proxy's size (PROXY_MAX_SIDE 512 here, so the 1024 px composite has a proxy), its box is in
 * the photo's pixels. On PGlite and PostgreSQL, with the real models and the gateway's own worker.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import sharp from 'sharp';
import { Client, FIXTURES } from '../helpers/client.js';
import { DATABASE_TARGETS } from '../helpers/database-targets.js';
import { startTestGateway, type TestGateway } from '../helpers/gateway.js';

const MASK = 'mask { url width height boundingBox { x y width height } }';
const SEGMENTATION = `id status reused model isDraft ${MASK} draft { id status model isDraft ${MASK} }`;

interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** Intersection over union of two boxes. */
function boxIou(a: Box, b: Box): number {
  const width = Math.max(0, Math.min(a.x + a.width, b.x + b.width) - Math.max(a.x, b.x));
  const height = Math.max(0, Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y));
  return (width * height) / (a.width * a.height + b.width * b.height - width * height);
}

interface Run {
  id: string;
  status: string;
  reused: boolean;
  model: string;
  isDraft: boolean;
  mask: { url: string; width: number; height: number; boundingBox: Box | null } | null;
  draft: Omit<Run, 'draft'> | null;
}

for (const target of DATABASE_TARGETS) {
  describe(`draft masks on ${target.name}`, { skip: target.skipReason }, () => {
    let gateway: TestGateway;
    let client: Client;
    let assetId: string;

    const segment = async (input: Record<string, unknown>): Promise<Run> => {
      const answer = await client.query(`mutation($input: SegmentAssetInput!) { segmentAsset(input: $input) { ${SEGMENTATION} } }`, { input });
      assert.equal(answer.errors, undefined, JSON.stringify(answer.errors));
      return answer.data.segmentAsset as Run;
    };
    const read = async (id: string): Promise<Run> =>
      (await client.query(`query($id: ID!) { segmentation(id: $id) { ${SEGMENTATION} } }`, { id })).data.segmentation;

    before(async () => {
      gateway = await startTestGateway(target, { PROXY_MAX_SIDE: '512' });
      client = new Client(gateway.url, (await gateway.newOwner('drafter')).key);
      assetId = (await client.upload(`${FIXTURES}/composites/c1-bear-meadow.jpg`, { selection: 'id' })).data!.uploadAsset.id;
    });
    after(() => gateway?.dispose());

    test("answers with a finished U²-Net-p draft at its proxy's size and the run behind it, which then succeeds on its own", async () => {
      const run = await segment({ assetId, model: 'isnet-general-q8', draft: true });
      assert.equal(run.model, 'isnet-general-q8');
      assert.equal(run.isDraft, false);
      assert.ok(run.draft, 'the answer carries the draft');
      assert.deepEqual([run.draft.status, run.draft.model, run.draft.isDraft], ['SUCCEEDED', 'u2netp', true]);
      const { width, height } = (await client.query(`query($id: ID!) { asset(id: $id) { width height } }`, { id: assetId })).data.asset;
      assert.deepEqual([width, height], [1024, 682]);
      assert.deepEqual([run.draft.mask!.width, run.draft.mask!.height], [512, 341], "the draft's mask has its proxy's size");
      const png = Buffer.from(await (await fetch(run.draft.mask!.url)).arrayBuffer());
      assert.deepEqual([(await sharp(png).metadata()).width, (await sharp(png).metadata()).height], [512, 341]);

      const preview = await client.query(
        `query($id: ID!) { segmentation(id: $id) { effect(input: { backgroundBlur: { strength: 0.5 } }, output: { maxWidth: 256 }) { width } } }`,
        { id: run.draft.id },
      );
      assert.equal(preview.errors, undefined, JSON.stringify(preview.errors));
      assert.equal(preview.data.segmentation.effect.width, 256, 'the draft previews effects while the run goes on');

      let full = await read(run.id);
      for (let polls = 0; full.status !== 'SUCCEEDED' && full.status !== 'FAILED' && polls < 1200; polls += 1) {
        await new Promise((resolve) => setTimeout(resolve, 100));
        full = await read(run.id);
      }
      assert.equal(full.status, 'SUCCEEDED');
      assert.deepEqual([full.mask!.width, full.mask!.height], [width, height], "the run's mask has the photo's size");
      // Both boxes in the photo's pixels: the draft's (scaled up from 512 px) lies over the run's.
      const [draftBox, fullBox] = [run.draft.mask!.boundingBox!, full.mask!.boundingBox!];
      assert.ok(draftBox.x + draftBox.width <= width && draftBox.y + draftBox.height <= height, `inside the photo: ${JSON.stringify(draftBox)}`);
      assert.ok(boxIou(draftBox, fullBox) > 0.85, `the draft's box ${JSON.stringify(draftBox)} against the run's ${JSON.stringify(fullBox)}`);
      // Not the run's second opinion (its size differs); not a mask HCE_POINTS can compare with the ground truth.
      const estimate = await client.query('query($id: ID!) { segmentation(id: $id) { qualityEstimate { comparedWithModel } } }', { id: run.id });
      assert.equal(estimate.errors, undefined, JSON.stringify(estimate.errors));
      assert.equal(estimate.data.segmentation.qualityEstimate.comparedWithModel, null, 'a draft is never the other model');
      const truth = await client.query(
        'mutation($asset: ID!, $id: ID!) { setGroundTruth(assetId: $asset, fromVersion: { segmentationId: $id, version: 1 }) { id } }',
        {
          asset: assetId,
          id: run.id,
        },
      );
      assert.equal(truth.errors, undefined, JSON.stringify(truth.errors));
      const points = await client.query('query($id: ID!) { segmentation(id: $id) { effect(input: { hcePoints: {} }) { url } } }', { id: run.draft.id });
      assert.equal(points.errors?.[0]?.extensions?.code, 'FAILED_PRECONDITION', JSON.stringify(points.errors));
      assert.match(points.errors![0]!.message, /512×341.*1024×682/);
      assert.equal(full.draft?.id, run.draft.id, 'the run still names its draft');
      const draftRow = await gateway.database.prisma.segmentation.findUniqueOrThrow({ where: { id: run.draft.id } });
      assert.deepEqual([draftRow.draftOfId, draftRow.reviewPriorityPending, draftRow.reviewPriority], [run.id, false, null], 'a draft is never reviewed');
    });

    test('no draft when the model is the draft model, or an identical run answers at once', async () => {
      const quick = await segment({ assetId, model: 'u2netp', draft: true });
      assert.equal(quick.draft, null);
      assert.equal(quick.isDraft, false);
      assert.equal(quick.reused, false, 'a full U²-Net-p run is never answered by the draft, which was made from the proxy');
      const again = await segment({ assetId, model: 'isnet-general-q8', draft: true });
      assert.equal(again.status, 'SUCCEEDED', 'reused from the first run');
      assert.equal(again.draft, null);
    });
  });
}
