/**
 * The asset library end to end: multipart uploads over real HTTP, listing, edits,
 * deletion, downloads and persistence, on every database target.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { after, before, describe, test } from 'node:test';
import sharp from 'sharp';
import { Client, errorCode, fixturePath, FIXTURES, uniqueJpeg, type GraphQLResponse } from '../helpers/client.js';
import { DATABASE_TARGETS } from '../helpers/database-targets.js';
import { listBlobFiles, startTestGateway, type TestGateway } from '../helpers/gateway.js';

interface ManifestEntry {
  file: string;
  format: string;
  displayWidth: number;
  displayHeight: number;
  exifOrientation: number | null;
  bytes: number;
  sha256: string;
}

interface PagedNames {
  edges: { cursor: string; node: { name: string } }[];
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
  totalCount: number;
}

const manifest = JSON.parse(await readFile(`${FIXTURES}/images/manifest.json`, 'utf8')) as ManifestEntry[];

for (const target of DATABASE_TARGETS) {
  describe(`assets on ${target.name}`, { skip: target.skipReason }, () => {
    let gateway: TestGateway;
    let client: Client;

    before(async () => {
      gateway = await startTestGateway(target);
      client = new Client(gateway.url, (await gateway.newOwner('alice')).key);
    });
    after(() => gateway?.dispose());

    test('stores every fixture photograph with its sniffed type and oriented size', async () => {
      for (const entry of manifest) {
        const response = await client.upload(fixturePath(entry.file), { tags: ['fixture'] });
        assert.equal(response.errors, undefined, `${entry.file}: ${JSON.stringify(response.errors)}`);
        const asset = response.data!.uploadAsset;
        assert.equal(asset.mimeType, `image/${entry.format}`, entry.file);
        assert.equal(asset.width, entry.displayWidth, `${entry.file} width`);
        assert.equal(asset.height, entry.displayHeight, `${entry.file} height`);
        assert.equal(asset.orientation, entry.exifOrientation ?? 1, `${entry.file} orientation`);
        assert.equal(asset.byteSize, entry.bytes);
        assert.equal(asset.sha256, entry.sha256);
        assert.equal(asset.name, entry.file);
      }
    });

    test('reports the oriented size of an EXIF-rotated JPEG and serves the original bytes unchanged', async () => {
      const response = await client.upload(fixturePath('dogs-portrait-exif6.jpg'), { name: 'phone shot' });
      const asset = response.data!.uploadAsset;
      assert.deepEqual([asset.width, asset.height, asset.orientation], [2048, 3088, 6]);

      const original = await fetch(asset.url);
      assert.equal(original.status, 200);
      assert.equal(original.headers.get('content-type'), 'image/jpeg');
      const bytes = Buffer.from(await original.arrayBuffer());
      assert.equal(createHash('sha256').update(bytes).digest('hex'), asset.sha256);
      assert.equal(original.headers.get('etag'), `"${asset.sha256}"`);

      const again = await fetch(asset.url, { headers: { 'if-none-match': `"${asset.sha256}"` } });
      assert.equal(again.status, 304);
    });

    test('serves WebP thumbnails, upright, longest side at the requested size', async () => {
      const response = await client.upload(fixturePath('dogs-portrait-exif6.jpg'), {
        selection: 'id small: thumbnail(size: 64) default: thumbnail large: thumbnail(size: 512)',
      });
      const { small, default: standard, large } = response.data!.uploadAsset;
      for (const [url, size] of [
        [small, 64],
        [standard, 256],
        [large, 512],
      ] as const) {
        const thumbnail = await fetch(url);
        assert.equal(thumbnail.status, 200);
        assert.equal(thumbnail.headers.get('content-type'), 'image/webp');
        const meta = await sharp(Buffer.from(await thumbnail.arrayBuffer())).metadata();
        assert.equal(meta.format, 'webp');
        assert.equal(meta.height, size, 'portrait: the height is the longest side');
        assert.equal(meta.width, Math.round((size * 2048) / 3088));
      }
    });

    test('pages through a filtered, ordered listing without gaps or repeats', async () => {
      const names = ['delta', 'alpha', 'echo', 'charlie', 'bravo'];
      for (const name of names) {
        await client.upload(fixturePath('cat-chelsea.png'), { name: `page-${name}`, tags: ['paging', name] });
      }
      const seen: string[] = [];
      let after: string | null = null;
      let pages = 0;
      do {
        const response: GraphQLResponse<{ assets: PagedNames }> = await client.query(
          `query($after: String) { assets(first: 2, after: $after, filter: { tags: ["paging"] }, orderBy: NAME_ASC) {
             edges { cursor node { name } } pageInfo { hasNextPage endCursor } totalCount } }`,
          { after },
        );
        assert.equal(response.errors, undefined, JSON.stringify(response.errors));
        const connection = response.data!.assets;
        assert.equal(connection.totalCount, 5);
        seen.push(...connection.edges.map((edge) => edge.node.name));
        after = connection.pageInfo.hasNextPage ? connection.pageInfo.endCursor : null;
        pages += 1;
      } while (after);
      assert.equal(pages, 3);
      assert.deepEqual(
        seen,
        [...names].sort().map((name) => `page-${name}`),
      );

      const filtered = await client.query(
        `{ byName: assets(filter: { nameContains: "PAGE-B" }) { edges { node { name } } }
           byType: assets(filter: { mimeType: "image/png", tags: ["paging", "echo"] }) { totalCount }
           newest: assets(first: 1) { edges { node { name } } } }`,
      );
      assert.deepEqual(
        filtered.data.byName.edges.map((edge: { node: { name: string } }) => edge.node.name),
        ['page-bravo'],
      );
      assert.equal(filtered.data.byType.totalCount, 1);
      assert.equal(filtered.data.newest.edges[0].node.name, 'page-bravo', 'default order is newest first');
    });

    test('renames and re-tags an asset', async () => {
      const { id } = (await client.upload(fixturePath('flower.jpg'), { tags: ['a'] })).data!.uploadAsset;
      const response = await client.query(
        `mutation($id: ID!) { updateAsset(id: $id, input: { name: "  dahlia ", tags: ["flower", "orange", "flower"] }) { name tags updatedAt createdAt } }`,
        { id },
      );
      const updated = response.data.updateAsset;
      assert.equal(updated.name, 'dahlia');
      assert.deepEqual(updated.tags, ['flower', 'orange']);
      const reread = await client.query(`query($id: ID!) { asset(id: $id) { name tags } }`, { id });
      assert.deepEqual(reread.data.asset, { name: 'dahlia', tags: ['flower', 'orange'] });
    });

    test('deletes an asset, its thumbnails and its blobs, but keeps a blob another asset still uses', async () => {
      const bytes = await uniqueJpeg();
      const first = (await client.upload(bytes, { selection: 'id sha256 url thumbnail' })).data!.uploadAsset;
      const second = (await client.upload(bytes, { selection: 'id sha256' })).data!.uploadAsset;
      assert.notEqual(first.id, second.id, 'the same bytes twice give two assets');
      assert.equal(first.sha256, second.sha256);
      const blobsBefore = await listBlobFiles(gateway.config);
      assert.ok(blobsBefore.includes(first.sha256), 'expected: blobsBefore.includes(first.sha256)');

      const deleted = await client.query(`mutation($id: ID!) { deleteAsset(id: $id) { id } }`, { id: first.id });
      assert.equal(deleted.data.deleteAsset.id, first.id);
      assert.equal(errorCode(await client.query(`query($id: ID!) { asset(id: $id) { id } }`, { id: first.id })), 'NOT_FOUND');
      assert.equal((await fetch(first.url)).status, 404);
      assert.ok((await listBlobFiles(gateway.config)).includes(first.sha256), 'still used by the second asset');

      await client.query(`mutation($id: ID!) { deleteAsset(id: $id) { id } }`, { id: second.id });
      const blobsAfter = await listBlobFiles(gateway.config);
      assert.ok(!blobsAfter.includes(first.sha256), 'the last reference is gone, so is the blob');
      assert.equal(errorCode(await client.query(`mutation($id: ID!) { deleteAsset(id: $id) { id } }`, { id: second.id })), 'NOT_FOUND');
    });

    test('stores all of 20 concurrent uploads', async () => {
      const files = ['cat-chelsea.png', 'rocket.jpg', 'flower.jpg', 'grace-hopper.jpg', 'plant.jpg'];
      const responses = await Promise.all(
        Array.from({ length: 20 }, (_, index) => client.upload(fixturePath(files[index % files.length]!), { name: `burst-${index}`, tags: ['burst'] })),
      );
      for (const response of responses) assert.equal(response.errors, undefined, JSON.stringify(response.errors));
      const listed = await client.query(`{ assets(first: 100, filter: { tags: ["burst"] }) { totalCount edges { node { name } } } }`);
      assert.equal(listed.data.assets.totalCount, 20);
      const names = new Set(listed.data.assets.edges.map((edge: { node: { name: string } }) => edge.node.name));
      assert.equal(names.size, 20);
    });

    test('keeps assets and files across a restart on the same data directory', async () => {
      const { id, sha256 } = (await client.upload(fixturePath('astronaut.png'), { name: 'persisted' })).data!.uploadAsset;
      gateway = await gateway.restart();
      const fresh = new Client(gateway.url, client.key);
      const response = await fresh.query(`query($id: ID!) { asset(id: $id) { name sha256 url } }`, { id });
      assert.equal(response.data.asset.name, 'persisted');
      const download = await fetch(response.data.asset.url);
      assert.equal(
        createHash('sha256')
          .update(Buffer.from(await download.arrayBuffer()))
          .digest('hex'),
        sha256,
      );
      client = fresh;
    });
  });
}
