/**
 * Preset image URLs as a frontend and a CDN use them: issued by `Asset.image`, served by
 * `/images/…` with immutable caching, format negotiation, 304 and 206; 503 (and a started
 * segmentation) before the mask exists; new URLs after a correction with the alias following;
 * 403 when tampered, 404 once deleted; concurrent first GETs render once.
 */
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import sharp from 'sharp';
import { Client, FIXTURES } from '../helpers/client.js';
import { DATABASE_TARGETS } from '../helpers/database-targets.js';
import { startTestGateway, type TestGateway } from '../helpers/gateway.js';

const IMAGE = `query($id: ID!, $preset: String!, $width: Int) {
  asset(id: $id) { image(preset: $preset, width: $width) { url aliasUrl width height crop { x y width height } srcset } }
}`;

interface Image {
  url: string;
  aliasUrl: string;
  width: number;
  height: number;
  crop: { x: number; y: number; width: number; height: number };
  srcset: string;
}

const AVIF = 'image/avif,image/webp,*/*;q=0.8';

for (const target of DATABASE_TARGETS) {
  describe(`preset image URLs on ${target.name}`, { skip: target.skipReason }, () => {
    let gateway: TestGateway;
    let client: Client;
    let assetId: string;

    const image = async (preset: string, width?: number, id = assetId): Promise<Image | null> => {
      const response = await client.query(IMAGE, { id, preset, width });
      assert.equal(response.errors, undefined, JSON.stringify(response.errors));
      return response.data.asset.image as Image | null;
    };
    /** Image renders so far, once the render queue has nothing waiting or running (a late duplicate would count). */
    const rendersSoFar = async () => {
      for (let attempt = 0; ; attempt += 1) {
        const text = await (await fetch(`${gateway.url}/metrics`)).text();
        const busy = [...text.matchAll(/^maskgraph_queue_(?:waiting|running)_jobs\{[^}]*queue="render"[^}]*\} (\d+)/gm)].some((match) => Number(match[1]) > 0);
        if (!busy || attempt === 100)
          return [...text.matchAll(/^maskgraph_image_renders_total\{[^}]*\} (\d+)/gm)].reduce((sum, match) => sum + Number(match[1]), 0);
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    };

    before(async () => {
      gateway = await startTestGateway(target);
      client = new Client(gateway.url, (await gateway.newOwner('frontend')).key);
      const uploaded = await client.upload(await readFile(join(FIXTURES, 'composites/c1-bear-meadow.jpg')), { name: 'bear.jpg', selection: 'id' });
      assetId = uploaded.data!.uploadAsset.id;
    });
    after(() => gateway?.dispose());

    test('before any mask, a subject crop answers 503 with Retry-After and starts the segmentation; then the URL redirects to the current one', async () => {
      const early = (await image('thumbnail', 256))!;
      const waiting = await fetch(early.url, { redirect: 'manual' });
      assert.equal(waiting.status, 503);
      assert.ok(Number(waiting.headers.get('retry-after')) >= 1, 'Retry-After');
      assert.equal(waiting.headers.get('cache-control'), 'no-store');
      const started = await client.query('query($id: ID!) { asset(id: $id) { segmentations { id status } } }', { id: assetId });
      assert.equal(started.data.asset.segmentations.length, 1, 'the GET started a segmentation');
      const done = await client.query('mutation($id: ID!) { segmentAsset(input: { assetId: $id, wait: true }) { status reused } }', { id: assetId });
      assert.equal(done.data.segmentAsset.status, 'SUCCEEDED', JSON.stringify(done));
      const current = (await image('thumbnail', 256))!;
      assert.notEqual(current.url, early.url, 'a mask gives a new URL');
      const redirected = await fetch(early.url, { redirect: 'manual' });
      assert.equal(redirected.status, 302);
      assert.equal(new URL(redirected.headers.get('location')!, gateway.url).href, current.url);
      assert.equal(redirected.headers.get('cache-control'), 'public, max-age=60');
    });

    test('serves immutable bytes: AVIF, WebP or JPEG by Accept with Vary, a subject crop at the asked size', async () => {
      const thumbnail = (await image('thumbnail', 256))!;
      assert.deepEqual([thumbnail.width, thumbnail.height], [256, 256]);
      // The bear stands at x 305–719, y 300–652 of 1024 × 682: the square holds it whole.
      assert.ok(thumbnail.crop.x <= 305 && thumbnail.crop.x + thumbnail.crop.width >= 719, JSON.stringify(thumbnail.crop));
      assert.equal(thumbnail.crop.height, 682);
      for (const [accept, type, format] of [
        [AVIF, 'image/avif', 'heif'],
        ['image/webp,*/*', 'image/webp', 'webp'],
        ['image/png,image/*;q=0.8', 'image/jpeg', 'jpeg'],
        [undefined, 'image/jpeg', 'jpeg'],
      ] as const) {
        const response = await fetch(thumbnail.url, { headers: accept ? { accept } : {} });
        assert.equal(response.status, 200, `${accept}`);
        assert.equal(response.headers.get('content-type'), type);
        assert.equal(response.headers.get('cache-control'), 'public, max-age=31536000, immutable');
        assert.match(response.headers.get('vary') ?? '', /Accept/);
        assert.match(response.headers.get('etag') ?? '', /^"[0-9a-f]{64}"$/);
        const metadata = await sharp(Buffer.from(await response.arrayBuffer())).metadata();
        assert.deepEqual([metadata.format, metadata.width, metadata.height], [format, 256, 256]);
      }
      assert.match(thumbnail.srcset, /^\S+ 64w, \S+ 128w, \S+ 256w, \S+ 512w$/);
    });

    test('304 for strong and weak If-None-Match, 206 for a Range, 416 past the end', async () => {
      const { url } = (await image('thumbnail', 128))!;
      const full = await fetch(url, { headers: { accept: 'image/webp' } });
      const etag = full.headers.get('etag')!;
      const bytes = Buffer.from(await full.arrayBuffer());
      for (const ifNoneMatch of [etag, `W/${etag}`, `"other", ${etag}`]) {
        const revalidated = await fetch(url, { headers: { accept: 'image/webp', 'if-none-match': ifNoneMatch } });
        assert.equal(revalidated.status, 304, ifNoneMatch);
        assert.equal(revalidated.headers.get('etag'), etag);
      }
      const part = await fetch(url, { headers: { accept: 'image/webp', range: 'bytes=10-99' } });
      assert.equal(part.status, 206);
      assert.equal(part.headers.get('content-range'), `bytes 10-99/${bytes.length}`);
      assert.deepEqual(Buffer.from(await part.arrayBuffer()), bytes.subarray(10, 100));
      const beyond = await fetch(url, { headers: { accept: 'image/webp', range: `bytes=${bytes.length + 10}-` } });
      assert.equal(beyond.status, 416);
    });

    test('403 when the URL is tampered with; no URL for a width outside the preset', async () => {
      const { url } = (await image('thumbnail', 128))!;
      const parts = new URL(url).pathname.split('/'); // ['', 'images', sig, asset, preset, width, version]
      const forged = [...parts];
      forged[5] = '512';
      assert.equal((await fetch(new URL(forged.join('/'), gateway.url))).status, 403, 'another width under the same signature');
      const badSignature = [...parts];
      badSignature[2] = `${parts[2]!.slice(0, -2)}AA`;
      assert.equal((await fetch(new URL(badSignature.join('/'), gateway.url))).status, 403);
      assert.equal(await image('thumbnail', 100), null);
      const unknown = await client.query(IMAGE, { id: assetId, preset: 'no-such-preset' });
      assert.equal(unknown.errors?.[0]?.extensions?.code, 'BAD_USER_INPUT');
    });

    test('eight concurrent first GETs of one URL render it once', async () => {
      const created = await client.query(
        `mutation { createPreset(input: { name: "blur-square", effect: { backgroundBlur: { strength: 0.8 } }, output: { format: WEBP }, crop: { aspectRatio: 1 }, widths: [200, 400] }) { name revision format widths } }`,
      );
      assert.deepEqual(created.data?.createPreset, { name: 'blur-square', revision: 1, format: 'WEBP', widths: [200, 400] }, JSON.stringify(created));
      const { url } = (await image('blur-square', 200))!;
      const before = await rendersSoFar();
      const responses = await Promise.all(Array.from({ length: 8 }, () => fetch(url)));
      assert.deepEqual(
        responses.map((response) => response.status),
        Array(8).fill(200),
      );
      assert.equal(new Set(responses.map((response) => response.headers.get('etag'))).size, 1);
      assert.equal(responses[0]!.headers.get('vary')?.includes('Accept') ?? false, false, 'a fixed format does not vary by Accept');
      assert.equal((await rendersSoFar()) - before, 1);
    });

    test('a correction gives new URLs; the alias follows; the old URL keeps its bytes', async () => {
      const old = (await image('cutout', 256))!;
      const oldBytes = Buffer.from(await (await fetch(old.url, { headers: { accept: 'image/png' } })).arrayBuffer());
      const segmentation = await client.query('query($id: ID!) { asset(id: $id) { segmentations { id } } }', { id: assetId });
      const corrected = await client.query(
        'mutation($id: ID!) { correctMask(input: { segmentationId: $id, strokes: [{ mode: ERASE, radiusPx: 120, points: [[500, 450]] }] }) { version } }',
        { id: segmentation.data.asset.segmentations[0].id },
      );
      assert.equal(corrected.data?.correctMask.version, 2, JSON.stringify(corrected));
      const fresh = (await image('cutout', 256))!;
      assert.notEqual(fresh.url, old.url);
      assert.equal(fresh.aliasUrl, old.aliasUrl, 'the alias stays');
      const alias = await fetch(fresh.aliasUrl, { redirect: 'manual' });
      assert.equal(alias.status, 302);
      assert.equal(new URL(alias.headers.get('location')!, gateway.url).href, fresh.url);
      const newBytes = Buffer.from(await (await fetch(fresh.url, { headers: { accept: 'image/png' } })).arrayBuffer());
      assert.notDeepEqual(newBytes, oldBytes, 'the erased patch shows');
      const again = await fetch(old.url, { headers: { accept: 'image/png' } });
      assert.equal(again.status, 200);
      assert.deepEqual(Buffer.from(await again.arrayBuffer()), oldBytes, 'a URL never changes its bytes');
    });

    test('deleting the preset, then the asset, makes their URLs answer 404', async () => {
      const { url } = (await image('blur-square', 400))!;
      assert.equal((await fetch(url)).status, 200);
      const thumbnail = (await image('thumbnail', 64))!;
      assert.deepEqual((await client.query('mutation { deletePreset(name: "blur-square") { name } }')).data, { deletePreset: { name: 'blur-square' } });
      assert.equal((await fetch(url)).status, 404);
      assert.equal((await fetch(thumbnail.url)).status, 200);
      await client.query('mutation($id: ID!) { deleteAsset(id: $id) { id } }', { id: assetId });
      assert.equal((await fetch(thumbnail.url)).status, 404);
      assert.equal(await gateway.database.prisma.imageVariant.count(), 0, 'their stored variants went with them');
    });
  });
}
