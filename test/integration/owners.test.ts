/**
 * Owners are isolated: by id, by listing, by cursor and by file URL. File URLs are
 * signed and expire; tampering with any part of one is refused.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { UrlSigner } from '../../src/auth/url-signer.js';
import { sha256Hex } from '../../src/storage/blob-store.js';
import { Client, errorCode, fixturePath, uniqueJpeg } from '../helpers/client.js';
import { DATABASE_TARGETS } from '../helpers/database-targets.js';
import { listBlobFiles, startTestGateway, TEST_SIGNING_SECRET, type TestGateway } from '../helpers/gateway.js';

for (const target of DATABASE_TARGETS) {
  describe(`owners on ${target.name}`, { skip: target.skipReason }, () => {
    let gateway: TestGateway;
    let alice: Client;
    let bob: Client;
    let aliceAsset: { id: string; url: string; thumbnail: string };

    before(async () => {
      gateway = await startTestGateway(target);
      alice = new Client(gateway.url, (await gateway.newOwner('alice')).key);
      bob = new Client(gateway.url, (await gateway.newOwner('bob')).key);
      aliceAsset = (await alice.upload(fixturePath('grace-hopper.jpg'), { tags: ['private'] })).data!.uploadAsset;
      await bob.upload(fixturePath('cat-chelsea.png'), { tags: ['private'] });
    });
    after(() => gateway?.dispose());

    test('viewer is the key owner', async () => {
      assert.equal((await alice.query('{ viewer { name } }')).data.viewer.name, 'alice');
      assert.equal((await bob.query('{ viewer { name } }')).data.viewer.name, 'bob');
    });

    test("another owner's asset is NOT_FOUND for read, update and delete", async () => {
      const id = aliceAsset.id;
      assert.equal(errorCode(await bob.query('query($id: ID!) { asset(id: $id) { id } }', { id })), 'NOT_FOUND');
      assert.equal(errorCode(await bob.query('mutation($id: ID!) { updateAsset(id: $id, input: { name: "mine" }) { id } }', { id })), 'NOT_FOUND');
      assert.equal(errorCode(await bob.query('mutation($id: ID!) { deleteAsset(id: $id) { id } }', { id })), 'NOT_FOUND');
      const stillThere = await alice.query('query($id: ID!) { asset(id: $id) { name } }', { id });
      assert.equal(stillThere.data.asset.name, 'grace-hopper.jpg');
    });

    test("listings and cursors never reach another owner's assets", async () => {
      const bobs = await bob.query('{ assets(filter: { tags: ["private"] }) { totalCount edges { node { id } } } }');
      assert.equal(bobs.data.assets.totalCount, 1);
      assert.ok(
        !bobs.data.assets.edges.some((edge: { node: { id: string } }) => edge.node.id === aliceAsset.id),
        'expected: !bobs.data.assets.edges.some((edge: { node: { id: string } }) => edge.node.id === aliceAsset.id)',
      );
      // A cursor made from Alice's listing only positions Bob's own listing.
      const page = await alice.query('{ assets(first: 1) { pageInfo { endCursor } } }');
      const fromAlice = await bob.query('query($c: String) { assets(after: $c) { edges { node { id } } } }', { c: page.data.assets.pageInfo.endCursor });
      assert.equal(fromAlice.errors, undefined);
      assert.ok(
        !fromAlice.data.assets.edges.some((edge: { node: { id: string } }) => edge.node.id === aliceAsset.id),
        'expected: !fromAlice.data.assets.edges.some((edge: { node: { id: string } }) => edge.node.id === aliceAsset.id)',
      );
    });

    test('segmenting bytes another owner already segmented reveals nothing about them, and stores the mask once', async () => {
      const ask = (client: Client, id: string) =>
        client.query(
          `mutation($id: ID!) { segmentAsset(input: { assetId: $id, model: "isnet-general-q8", wait: true }) { status reused timings { inferenceMs } mask { url } } }`,
          { id },
        );
      const bytes = await uniqueJpeg(80, 60);
      const alices = (await ask(alice, (await alice.upload(bytes, { selection: 'id' })).data!.uploadAsset.id)).data.segmentAsset;
      const bobsAsset = (await bob.upload(bytes, { selection: 'id' })).data!.uploadAsset.id;
      const bobs = (await ask(bob, bobsAsset)).data.segmentAsset;
      // Bob's first request looks exactly like a first request: queued, run, not reused.
      assert.deepEqual([bobs.status, bobs.reused], ['SUCCEEDED', false]);
      assert.ok(bobs.timings.inferenceMs > 0, 'the model ran for Bob');
      // Storage is still shared: the same mask bytes are one blob.
      const blobOf = async (url: string) => sha256Hex(Buffer.from(await (await fetch(url)).arrayBuffer()));
      const [aliceMask, bobMask] = [await blobOf(alices.mask.url), await blobOf(bobs.mask.url)];
      assert.equal(aliceMask, bobMask);
      assert.equal((await listBlobFiles(gateway.config)).filter((name) => name === aliceMask).length, 1);
      // Bob's own second request is reused as before.
      assert.equal((await ask(bob, bobsAsset)).data.segmentAsset.reused, true);
    });

    test('a signed URL works without credentials, as an <img src> needs', async () => {
      const response = await fetch(aliceAsset.thumbnail);
      assert.equal(response.status, 200);
      assert.equal(response.headers.get('content-type'), 'image/webp');
    });

    test('a tampered, swapped or unsigned file URL is FORBIDDEN', async () => {
      const url = new URL(aliceAsset.url);
      const bobsAsset = (await bob.query('{ assets(first: 1) { edges { node { id } } } }')).data.assets.edges[0].node.id as string;
      const swapped = new URL(url.toString().replace(aliceAsset.id, bobsAsset));
      const badSignature = new URL(url);
      badSignature.searchParams.set('sig', 'A'.repeat(43));
      const laterExpiry = new URL(url);
      laterExpiry.searchParams.set('exp', String(Number(url.searchParams.get('exp')) + 1000));
      const unsigned = new URL(url.pathname, url);
      const thumbnailOfOriginal = new URL(url.toString().replace('/original', '/thumbnails/256'));
      for (const candidate of [swapped, badSignature, laterExpiry, unsigned, thumbnailOfOriginal]) {
        const response = await fetch(candidate);
        assert.equal(response.status, 403, candidate.toString());
        assert.equal(((await response.json()) as { errors: { extensions: { code: string } }[] }).errors[0]!.extensions.code, 'FORBIDDEN');
      }
    });

    test('an expired URL is FORBIDDEN with a message saying so', async () => {
      const signer = new UrlSigner(Buffer.from(TEST_SIGNING_SECRET), 60);
      const path = `/files/assets/${aliceAsset.id}/original`;
      const expired = signer.sign(path, Date.now() - 3_600_000);
      const response = await fetch(gateway.url + expired);
      assert.equal(response.status, 403);
      assert.match(((await response.json()) as { errors: { message: string }[] }).errors[0]!.message, /expired/);
      const valid = await fetch(gateway.url + signer.sign(path));
      assert.equal(valid.status, 200, 'the same secret signs a URL that works');
    });

    test('a revoked key stops working at once', async () => {
      const { key } = await gateway.newOwner('carol');
      const carol = new Client(gateway.url, key);
      assert.equal((await carol.query('{ viewer { name } }')).data.viewer.name, 'carol');
      await gateway.database.prisma.apiKey.updateMany({ where: { owner: { name: 'carol' } }, data: { revokedAt: new Date() } });
      assert.equal(errorCode(await carol.query('{ viewer { name } }')), 'UNAUTHENTICATED');
    });
  });
}
