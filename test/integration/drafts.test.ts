/**
 * Draft masks (issue 25): `segmentAsset(input: { draft: true })` answers once a U²-Net-p draft
 * (made from the photo's preview proxy) is ready, with the full model's run queued behind it; the draft is a segmentation of its own
 * (mask, effects), never reviewed, and the run replaces it when it succeeds. On PGlite and
 * PostgreSQL, with the real models and the gateway's own worker.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import sharp from 'sharp';
import { Client, FIXTURES } from '../helpers/client.js';
import { DATABASE_TARGETS } from '../helpers/database-targets.js';
import { startTestGateway, type TestGateway } from '../helpers/gateway.js';

const SEGMENTATION = 'id status reused model isDraft mask { url width height } draft { id status model isDraft mask { url width height } }';

interface Run {
  id: string;
  status: string;
  reused: boolean;
  model: string;
  isDraft: boolean;
  mask: { url: string; width: number; height: number } | null;
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
      gateway = await startTestGateway(target);
      client = new Client(gateway.url, (await gateway.newOwner('drafter')).key);
      assetId = (await client.upload(`${FIXTURES}/composites/c1-bear-meadow.jpg`, { selection: 'id' })).data!.uploadAsset.id;
    });
    after(() => gateway?.dispose());

    test('answers with a finished U²-Net-p draft at full size and the run behind it, which then succeeds on its own', async () => {
      const run = await segment({ assetId, model: 'isnet-general-q8', draft: true });
      assert.equal(run.model, 'isnet-general-q8');
      assert.equal(run.isDraft, false);
      assert.ok(run.draft, 'the answer carries the draft');
      assert.deepEqual([run.draft.status, run.draft.model, run.draft.isDraft], ['SUCCEEDED', 'u2netp', true]);
      const { width, height } = (await client.query(`query($id: ID!) { asset(id: $id) { width height } }`, { id: assetId })).data.asset;
      assert.deepEqual([run.draft.mask!.width, run.draft.mask!.height], [width, height], "the draft's mask has the photo's size");
      const png = Buffer.from(await (await fetch(run.draft.mask!.url)).arrayBuffer());
      assert.equal((await sharp(png).metadata()).width, width);

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
