/**
 * Where to look first: every new model mask gets a review priority from its quality
 * estimate (the same signals `qualityEstimate` reports), an asset keeps its masks' highest,
 * `assets(orderBy: REVIEW_PRIORITY)` pages through them highest first, and
 * `filter: { needsReview: true }` is the queue of segmented assets nobody has acted on.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { reviewPriority } from '../../src/segmentations/review-priority.js';
import { Client, errorCode, FIXTURES, settledReviewPriority, subscriptionClient } from '../helpers/client.js';
import { DATABASE_TARGETS } from '../helpers/database-targets.js';
import { startTestGateway, type TestGateway } from '../helpers/gateway.js';

interface Estimate {
  uncertainFraction: number;
  fragments: number;
  holes: number;
  boundaryComplexity: number;
  estimatedHce: number | null;
}

const priorityOf = (estimate: Estimate) => reviewPriority({ ...estimate, disagreementHce: estimate.estimatedHce ?? undefined });

for (const target of DATABASE_TARGETS) {
  describe(`review priority and queue on ${target.name}`, { skip: target.skipReason }, () => {
    let gateway: TestGateway;
    let client: Client;
    const ids: Record<'bear' | 'palm' | 'bearAgain' | 'unsegmented', string> = { bear: '', palm: '', bearAgain: '', unsegmented: '' };

    const upload = async (file: string, name: string) => (await client.upload(`${FIXTURES}/${file}`, { name, selection: 'id' })).data!.uploadAsset.id as string;
    const segment = async (assetId: string, model: string) => {
      const response = await client.query(
        `mutation($id: ID!, $model: String!) { segmentAsset(input: { assetId: $id, model: $model, wait: true }) { id status reused qualityEstimate { uncertainFraction fragments holes boundaryComplexity estimatedHce } } }`,
        { id: assetId, model },
      );
      assert.equal(response.data.segmentAsset.status, 'SUCCEEDED', JSON.stringify(response.errors));
      await settledReviewPriority(client, response.data.segmentAsset.id); // estimated after SUCCEEDED
      return response.data.segmentAsset as { id: string; reused: boolean; qualityEstimate: Estimate };
    };
    const priority = async (assetId: string) =>
      (await client.query(`query($id: ID!) { asset(id: $id) { reviewPriority } }`, { id: assetId })).data.asset.reviewPriority as number;
    const page = async (variables: Record<string, unknown>) => {
      const response = await client.query(
        `query($first: Int, $after: String, $filter: AssetFilter, $orderBy: AssetOrder) { assets(first: $first, after: $after, filter: $filter, orderBy: $orderBy) { totalCount edges { node { id reviewPriority } } pageInfo { hasNextPage endCursor } } }`,
        variables,
      );
      assert.equal(response.errors, undefined, JSON.stringify(response.errors));
      return response.data.assets as {
        totalCount: number;
        edges: { node: { id: string; reviewPriority: number } }[];
        pageInfo: { hasNextPage: boolean; endCursor: string | null };
      };
    };
    const allInOrder = async (filter?: Record<string, unknown>) => {
      const seen: { id: string; reviewPriority: number }[] = [];
      let after: string | null = null;
      do {
        const current = await page({ first: 1, after, filter, orderBy: 'REVIEW_PRIORITY' });
        seen.push(...current.edges.map((edge) => edge.node));
        after = current.pageInfo.hasNextPage ? current.pageInfo.endCursor : null;
      } while (after);
      return seen;
    };

    before(async () => {
      gateway = await startTestGateway(target);
      client = new Client(gateway.url, (await gateway.newOwner('reviewer')).key);
      ids.unsegmented = await upload('images/flower.jpg', 'not segmented');
      ids.bear = await upload('composites/c1-bear-meadow.jpg', 'bear');
      ids.palm = await upload('composites/c4-palm-dune-fine.jpg', 'palm');
    });
    after(() => gateway?.dispose());

    test('an unsegmented asset has priority 0; a model mask gives its asset the priority its quality estimate implies', async () => {
      assert.equal(await priority(ids.unsegmented), 0);
      for (const id of [ids.bear, ids.palm]) {
        const { qualityEstimate } = await segment(id, 'isnet-general-q8');
        assert.equal(qualityEstimate.estimatedHce, null, 'one model so far: no disagreement');
        const expected = priorityOf(qualityEstimate);
        assert.ok(expected > 0, `a real mask has a soft edge: ${expected}`);
        assert.equal(await priority(id), expected);
      }
    });

    test('a second model adds its disagreement, and the asset keeps the highest of its masks', async () => {
      const before = await priority(ids.bear);
      const second = await segment(ids.bear, 'isnet-general');
      assert.equal(typeof second.qualityEstimate.estimatedHce, 'number');
      assert.equal(await priority(ids.bear), Math.max(before, priorityOf(second.qualityEstimate)));
    });

    test('a run answered from an identical earlier one raises its own asset too', async () => {
      ids.bearAgain = await upload('composites/c1-bear-meadow.jpg', 'bear again');
      const reused = await segment(ids.bearAgain, 'isnet-general-q8');
      assert.equal(reused.reused, true);
      assert.equal(await priority(ids.bearAgain), priorityOf(reused.qualityEstimate));
    });

    test('REVIEW_PRIORITY pages highest first, ties by id, unsegmented last, and its cursors are checked', async () => {
      const walked = await allInOrder();
      assert.equal(walked.length, 4);
      const expected = [...walked].sort((a, b) => b.reviewPriority - a.reviewPriority || (a.id < b.id ? 1 : -1));
      assert.deepEqual(walked, expected);
      assert.equal(walked.at(-1)!.id, ids.unsegmented);
      assert.deepEqual(
        (await page({ first: 10, orderBy: 'REVIEW_PRIORITY' })).edges.map((edge) => edge.node),
        walked,
        'one page or many: one order',
      );

      for (const v of [-1, '1', null, true]) {
        const forged = Buffer.from(JSON.stringify({ o: 'REVIEW_PRIORITY', v, id: ids.bear })).toString('base64url');
        const response = await client.query(`query($after: String) { assets(after: $after, orderBy: REVIEW_PRIORITY) { totalCount } }`, { after: forged });
        assert.equal(errorCode(response), 'BAD_USER_INPUT', `cursor value ${String(v)}`);
      }
    });

    test('needsReview: segmented and untouched; a confirmation or a correction takes an asset out of the queue', async () => {
      const queue = async () => (await allInOrder({ needsReview: true })).map((node) => node.id);
      const rest = async () => (await allInOrder({ needsReview: false })).map((node) => node.id).sort();
      assert.deepEqual((await queue()).sort(), [ids.bear, ids.palm, ids.bearAgain].sort());
      assert.deepEqual(await rest(), [ids.unsegmented]);

      const palmSegmentation = (await client.query(`query($id: ID!) { asset(id: $id) { segmentations { id } } }`, { id: ids.palm })).data.asset.segmentations[0]
        .id;
      const confirmed = await client.query(`mutation($id: ID!) { confirmMask(segmentationId: $id) { source } }`, { id: palmSegmentation });
      assert.equal(confirmed.data.confirmMask.source, 'CONFIRMATION');
      const bearSegmentation = (await client.query(`query($id: ID!) { asset(id: $id) { segmentations { id } } }`, { id: ids.bear })).data.asset.segmentations[1]
        .id;
      const corrected = await client.query(`mutation($input: CorrectMaskInput!) { correctMask(input: $input) { version } }`, {
        input: { segmentationId: bearSegmentation, strokes: [{ mode: 'ERASE', radiusPx: 10, points: [[20, 20]] }] },
      });
      assert.equal(corrected.data.correctMask.version, 2, JSON.stringify(corrected.errors));

      assert.deepEqual(await queue(), [ids.bearAgain]);
      assert.deepEqual(await rest(), [ids.unsegmented, ids.palm, ids.bear].sort());
      assert.equal((await page({ filter: { needsReview: true } })).totalCount, 1);
    });

    test('a new mask is SUCCEEDED before its priority is known, and its asset joins the queue only with the priority', { timeout: 120_000 }, async () => {
      const assetId = await upload('images/dandelion-large.jpg', 'pending');
      const request = await client.query(`mutation($id: ID!) { segmentAsset(input: { assetId: $id, model: "isnet-general" }) { id } }`, { id: assetId });
      const segmentationId = request.data.segmentAsset.id as string;
      const inQueue = async () =>
        (await page({ first: 100, filter: { needsReview: true }, orderBy: 'REVIEW_PRIORITY' })).edges.some((edge) => edge.node.id === assetId);
      const pendingNow = async () =>
        (await client.query(`query($id: ID!) { segmentation(id: $id) { reviewPriorityPending } }`, { id: segmentationId })).data.segmentation
          .reviewPriorityPending as boolean;

      const ws = subscriptionClient(gateway.url, `Bearer ${client.key}`);
      const succeeded: { reviewPriority: number | null; reviewPriorityPending: boolean }[] = [];
      let checkedWhilePending = false;
      try {
        const events = ws.iterate<{ segmentationUpdated: { status: string; reviewPriority: number | null; reviewPriorityPending: boolean } }>({
          query: 'subscription($id: ID!) { segmentationUpdated(id: $id) { status reviewPriority reviewPriorityPending } }',
          variables: { id: segmentationId },
        });
        for await (const event of events) {
          assert.equal(event.errors, undefined, JSON.stringify(event.errors));
          const { status, reviewPriority, reviewPriorityPending } = event.data!.segmentationUpdated;
          if (status !== 'SUCCEEDED') continue;
          succeeded.push({ reviewPriority, reviewPriorityPending });
          if (reviewPriorityPending) {
            // Queue first, flag second: pending only ever turns false, so still pending now means pending at the queue's read.
            const listed = await inQueue();
            if (await pendingNow()) {
              checkedWhilePending = true;
              assert.equal(listed, false, 'an asset whose priority is still pending is not in the review queue');
            }
          }
        }
      } finally {
        await ws.dispose();
      }
      assert.equal(succeeded[0]?.reviewPriorityPending, true, `SUCCEEDED comes before the priority: ${JSON.stringify(succeeded)}`);
      assert.equal(succeeded.at(-1)?.reviewPriorityPending, false, 'the subscription ends with the priority');
      const landed = succeeded.at(-1)!.reviewPriority;
      assert.equal(typeof landed, 'number');
      assert.equal(await inQueue(), true, 'with its priority known, the asset is in the queue');
      assert.equal(await priority(assetId), landed, 'at the priority its event announced');
      assert.ok(checkedWhilePending, 'the pending state lasted long enough to look at the queue (a 16 MP estimate takes far longer than two queries)');
    });

    test('another owner sees none of it', async () => {
      const stranger = new Client(gateway.url, (await gateway.newOwner('stranger')).key);
      const response = await stranger.query(`{ assets(orderBy: REVIEW_PRIORITY, filter: { needsReview: false }) { totalCount } }`);
      assert.equal(response.data.assets.totalCount, 0);
    });
  });
}
