/**
 * The library page a frontend shows: 20 assets with thumbnails, their segmentations, mask
 * URLs (one corrected) and ground truth. Its cost in SQL statements is fixed, whatever the
 * page size: reads are batched per request (src/graphql/loaders.ts), never one per item.
 * Asked again while nothing of the owner's changed, it is answered from the per-owner cache
 * (src/graphql/response-cache.ts) for the one statement that authenticates; any write, from
 * any code path or process, ends that (at once for this process's mutations, when the
 * database's announcement arrives for the rest).
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { Client, settledReviewPriority, uniqueJpeg } from '../helpers/client.js';
import { DATABASE_TARGETS } from '../helpers/database-targets.js';
import { startTestGateway, type TestGateway } from '../helpers/gateway.js';

/** The page of the frontends issue: assets with thumbnails, segmentations and mask URLs, and the count. */
export const LIBRARY_PAGE = `query Library($first: Int) {
  assets(first: $first) {
    totalCount
    pageInfo { hasNextPage endCursor }
    edges { cursor node {
      id name tags width height thumbnail(size: 256)
      segmentations { id status model reviewPriority mask { url width height boundingBox { x y width height } } }
    } }
  }
}`;
/** The same with each asset's ground truth: one more kind of row, so one more statement. */
const WITH_GROUND_TRUTH = LIBRARY_PAGE.replace('thumbnail(size: 256)', 'thumbnail(size: 256) groundTruth { url }');

for (const target of DATABASE_TARGETS) {
  describe(`the library page on ${target.name}`, { skip: target.skipReason }, () => {
    let gateway: TestGateway;
    let client: Client;
    /** The same owner, each query made unique (a comment), so the answer cache never serves it. */
    let uncached: Client;
    let nonce = 0;
    const fresh = (query: string, variables: Record<string, unknown>) => uncached.query(`${query} # ${(nonce += 1)}`, variables);

    before(async () => {
      gateway = await startTestGateway(target);
      client = new Client(gateway.url, (await gateway.newOwner('library')).key);
      uncached = new Client(gateway.url, client.key);
      // One photo's bytes under 20 names: the first segmentation runs the model, the rest reuse it.
      // The 12 newest are segmented, so a page of 5 has masks (and the correction) too.
      const photo = await uniqueJpeg(120, 90);
      const ids: string[] = [];
      for (let index = 0; index < 20; index += 1) {
        const uploaded = await client.upload(photo, { name: `photo-${index}.jpg`, selection: 'id' });
        ids.push((uploaded.data!.uploadAsset as { id: string }).id);
      }
      for (const assetId of ids.slice(8)) {
        const segmented = await client.query('mutation($id: ID!) { segmentAsset(input: { assetId: $id, wait: true }) { id status } }', { id: assetId });
        assert.equal(segmented.data?.segmentAsset.status, 'SUCCEEDED', JSON.stringify(segmented));
        // Background work (the review priority) would add its own statements to the counts.
        await settledReviewPriority(client, segmented.data.segmentAsset.id);
        if (assetId === ids[19]) {
          const corrected = await client.query(
            'mutation($id: ID!) { correctMask(input: { segmentationId: $id, strokes: [{ mode: ADD, radiusPx: 4, points: [[10, 10]] }] }) { version } }',
            { id: segmented.data.segmentAsset.id },
          );
          assert.equal(corrected.data?.correctMask.version, 2, JSON.stringify(corrected));
        }
      }
    });
    after(() => gateway?.dispose());

    test('costs at most 5 SQL statements for 20 assets with segmentations and masks, the same for 5, one more with ground truths', async () => {
      const statements = async (first: number, query = LIBRARY_PAGE) => {
        let fewest = Infinity;
        // The fewest of three: a background timer may add a statement to one of them.
        for (let attempt = 0; attempt < 3; attempt += 1) {
          const before = gateway.database.statementCount();
          const page = await fresh(query, { first });
          fewest = Math.min(fewest, gateway.database.statementCount() - before);
          assert.equal(page.errors, undefined, JSON.stringify(page.errors));
          assert.equal(page.data.assets.edges.length, first);
          const withMasks = page.data.assets.edges.filter((edge: { node: { segmentations: { mask: unknown }[] } }) => edge.node.segmentations[0]?.mask);
          if (first === 20) assert.equal(withMasks.length, 12);
        }
        return fewest;
      };
      const twenty = await statements(20);
      const five = await statements(5);
      assert.ok(twenty <= 5, `${twenty} statements for a page of 20`);
      assert.equal(twenty, five, 'the cost does not grow with the page');
      assert.equal(await statements(20, WITH_GROUND_TRUTH), twenty + 1, 'ground truths come in one more read');
    });

    test('a corrected mask is served as its latest version through the batched read', async () => {
      const page = await client.query(LIBRARY_PAGE, { first: 20 });
      const urls = page.data.assets.edges.flatMap((edge: { node: { segmentations: { mask: { url: string } | null }[] } }) =>
        edge.node.segmentations.map((segmentation) => segmentation.mask?.url ?? ''),
      );
      assert.equal(urls.filter((url: string) => /\/masks\/2\?/.test(url)).length, 1, 'one asset shows its correction');
      assert.equal(urls.filter((url: string) => /\/mask\?/.test(url)).length, 11);
    });

    test('asked again, the page is answered from the cache for one statement; a write from any path ends that', async () => {
      const first = await client.query(LIBRARY_PAGE, { first: 20 });
      const before = gateway.database.statementCount();
      const again = await client.query(LIBRARY_PAGE, { first: 20 });
      assert.equal(gateway.database.statementCount() - before, 1, 'the key alone');
      assert.deepEqual(again.data, first.data);
      // A rename through the API, then a segmentation finished by the worker: both show at once.
      const newest = first.data.assets.edges[0].node;
      await client.query('mutation($id: ID!) { updateAsset(id: $id, input: { name: "renamed" }) { id } }', { id: newest.id });
      const renamed = await client.query(LIBRARY_PAGE, { first: 20 });
      assert.equal(renamed.data.assets.edges[0].node.name, 'renamed');
      // A write no request of this process made (as a worker's, in another process, would be):
      // straight into the database, seen once the trigger's announcement arrives.
      const segmented = renamed.data.assets.edges.find((edge: { node: { segmentations: unknown[] } }) => edge.node.segmentations.length > 0).node;
      await gateway.database.prisma.segmentation.updateMany({ where: { id: segmented.segmentations[0].id }, data: { reviewPriority: 42.5 } });
      let shown: number | null = null;
      for (let attempt = 0; attempt < 50 && shown !== 42.5; attempt += 1) {
        const after = await client.query(LIBRARY_PAGE, { first: 20 });
        shown = after.data.assets.edges.find((edge: { node: { id: string } }) => edge.node.id === segmented.id).node.segmentations[0].reviewPriority;
        if (shown !== 42.5) await new Promise((resolve) => setTimeout(resolve, 20));
      }
      assert.equal(shown, 42.5, 'the announced change ends the cached answer');
      // Another owner asking the same query gets their own (empty) library.
      const other = new Client(gateway.url, (await gateway.newOwner('other')).key);
      assert.deepEqual((await other.query(LIBRARY_PAGE, { first: 20 })).data.assets.edges, []);
    });
  });
}
