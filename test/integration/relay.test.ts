/**
 * Relay's server contract: `node(id:)`/`nodes(ids:)` find the viewer's objects of every type
 * and answer null for another owner's exactly as for an unknown id; `assets` pages backward
 * with `last`/`before` and reports both sides in PageInfo.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { Client, uniqueJpeg } from '../helpers/client.js';
import { DATABASE_TARGETS } from '../helpers/database-targets.js';
import { startTestGateway, type TestGateway } from '../helpers/gateway.js';

const NODE = `query($id: ID!) { node(id: $id) { __typename id ... on Asset { name } ... on Segmentation { status } ... on Owner { name } } }`;
const PAGE = `query($first: Int, $after: String, $last: Int, $before: String) {
  assets(first: $first, after: $after, last: $last, before: $before, orderBy: NAME_ASC) {
    edges { node { name } }
    pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
  }
}`;

for (const target of DATABASE_TARGETS) {
  describe(`Relay object identification and paging on ${target.name}`, { skip: target.skipReason }, () => {
    let gateway: TestGateway;
    let alice: Client;
    let mallory: Client;
    const assetIds: string[] = [];

    before(async () => {
      gateway = await startTestGateway(target);
      alice = new Client(gateway.url, (await gateway.newOwner('alice')).key);
      mallory = new Client(gateway.url, (await gateway.newOwner('mallory')).key);
      for (const name of ['a', 'b', 'c', 'd', 'e']) {
        const uploaded = await alice.upload(await uniqueJpeg(), { name, selection: 'id' });
        assetIds.push((uploaded.data!.uploadAsset as { id: string }).id);
      }
    });
    after(() => gateway?.dispose());

    test('node finds the viewer, an asset and a segmentation; another owner gets null, as for an unknown id', async () => {
      const viewer = await alice.query('{ viewer { id } }');
      const segmentation = await alice.query('mutation($id: ID!) { segmentAsset(input: { assetId: $id }) { id } }', { id: assetIds[0] });
      const segmentationId = segmentation.data.segmentAsset.id as string;
      assert.deepEqual((await alice.query(NODE, { id: viewer.data.viewer.id })).data.node, { __typename: 'Owner', id: viewer.data.viewer.id, name: 'alice' });
      assert.deepEqual((await alice.query(NODE, { id: assetIds[0] })).data.node, { __typename: 'Asset', id: assetIds[0], name: 'a' });
      assert.equal((await alice.query(NODE, { id: segmentationId })).data.node.__typename, 'Segmentation');
      for (const id of [assetIds[0], segmentationId, viewer.data.viewer.id]) {
        const stolen = await mallory.query(NODE, { id });
        assert.deepEqual(stolen, { status: 200, data: { node: null } }, `mallory asking for ${id}`);
      }
      assert.deepEqual((await alice.query(NODE, { id: '00000000-0000-4000-8000-000000000000' })).data, { node: null });
      assert.deepEqual((await alice.query(NODE, { id: 'not-a-uuid' })).data, { node: null });
      const many = await alice.query('query($ids: [ID!]!) { nodes(ids: $ids) { id } }', { ids: [assetIds[1], 'nope', segmentationId] });
      assert.deepEqual(many.data.nodes, [{ id: assetIds[1] }, null, { id: segmentationId }]);
    });

    test('pages forward and backward with full PageInfo', async () => {
      const first = (await alice.query(PAGE, { first: 2 })).data.assets;
      assert.deepEqual(
        first.edges.map((edge: { node: { name: string } }) => edge.node.name),
        ['a', 'b'],
      );
      assert.equal(first.pageInfo.hasNextPage, true);
      assert.equal(first.pageInfo.hasPreviousPage, false);
      const second = (await alice.query(PAGE, { first: 2, after: first.pageInfo.endCursor })).data.assets;
      assert.deepEqual(
        second.edges.map((edge: { node: { name: string } }) => edge.node.name),
        ['c', 'd'],
      );
      assert.equal(second.pageInfo.hasPreviousPage, true);
      const back = (await alice.query(PAGE, { last: 2, before: second.pageInfo.startCursor })).data.assets;
      assert.deepEqual(
        back.edges.map((edge: { node: { name: string } }) => edge.node.name),
        ['a', 'b'],
      );
      assert.deepEqual([back.pageInfo.hasPreviousPage, back.pageInfo.hasNextPage], [false, true]);
      const tail = (await alice.query(PAGE, { last: 2 })).data.assets;
      assert.deepEqual(
        tail.edges.map((edge: { node: { name: string } }) => edge.node.name),
        ['d', 'e'],
      );
      assert.deepEqual([tail.pageInfo.hasPreviousPage, tail.pageInfo.hasNextPage], [true, false]);
      const mixed = await alice.query(PAGE, { first: 2, last: 2 });
      assert.equal(mixed.errors?.[0]?.extensions?.code, 'BAD_USER_INPUT');
    });
  });
}
