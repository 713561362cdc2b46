/**
 * Preview proxies on the 16 MP fixture: the photo's proxy is made after upload, a mask's on
 * first need and once; every effect kind's 512 px preview through GraphQL renders from the
 * proxies and looks the same as rendering from the original (PSNR ≥ 40 dB, the issue's
 * line), a thumbnail and a full-size render do what they should, and deleting the asset takes
 * the proxies and their blobs with it.
 */
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { after, before, describe, test } from 'node:test';
import sharp from 'sharp';
import { renderEffect } from '../../src/effects/render.js';
import { parseEffectSpec, type EffectInput } from '../../src/effects/spec.js';
import { Client, fixturePath } from '../helpers/client.js';
import { DATABASE_TARGETS } from '../helpers/database-targets.js';
import { listBlobFiles, startTestGateway, type TestGateway } from '../helpers/gateway.js';

const PHOTO = fixturePath('dandelion-large.jpg');
const PREVIEW = 512;

/** Every effect kind a preview can show (HCE_POINTS measures against the ground truth at full size, never from a proxy). */
const KINDS: [string, EffectInput, 'PNG' | 'JPEG' | 'WEBP'][] = [
  ['mask', { mask: {} }, 'PNG'],
  ['cutout', { cutout: {} }, 'PNG'],
  ['cutout cropped, feathered', { cutout: { cropMarginPx: 40, featherPx: 6 } }, 'PNG'],
  ['background blur', { backgroundBlur: { strength: 0.5 } }, 'JPEG'],
  ['depth of field', { depthOfField: { strength: 0.6 } }, 'JPEG'],
  ['colour splash', { colorSplash: {} }, 'JPEG'],
  ['background replace', { backgroundReplace: { color: '#1e90ff', shadow: { opacity: 0.4 } } }, 'JPEG'],
  ['outline', { outline: { widthPx: 24 } }, 'PNG'],
  ['mask overlay', { maskOverlay: {} }, 'JPEG'],
];

/** PSNR in dB of two images of one size, over RGB after flattening onto grey (transparent pixels' colours do not count). */
async function psnr(a: Buffer, b: Buffer): Promise<number> {
  const pixels = (bytes: Buffer) =>
    sharp(bytes).flatten({ background: '#808080' }).removeAlpha().toColourspace('srgb').raw().toBuffer({ resolveWithObject: true });
  const [left, right] = await Promise.all([pixels(a), pixels(b)]);
  assert.deepEqual([left.info.width, left.info.height], [right.info.width, right.info.height], 'the two renders have one size');
  let squared = 0;
  for (let index = 0; index < left.data.length; index += 1) squared += (left.data[index]! - right.data[index]!) ** 2;
  const mse = squared / left.data.length;
  return mse === 0 ? Infinity : 10 * Math.log10(255 ** 2 / mse);
}

async function counter(url: string, name: string, label: string): Promise<number> {
  const text = await (await fetch(`${url}/metrics`)).text();
  return Number(new RegExp(`^${name}\\{${label}[^}]*\\} (\\S+)$`, 'm').exec(text)?.[1] ?? 0);
}

for (const target of DATABASE_TARGETS) {
  describe(`preview proxies on ${target.name}`, { skip: target.skipReason }, () => {
    let gateway: TestGateway;
    let client: Client;
    let assetId: string;
    let sha256: string;
    let segmentationId: string;
    let mask: Buffer;

    before(async () => {
      gateway = await startTestGateway(target);
      client = new Client(gateway.url, (await gateway.newOwner('previewer')).key);
      const uploaded = await client.upload(PHOTO, { selection: 'id sha256' });
      ({ id: assetId, sha256 } = uploaded.data!.uploadAsset);
      const segmented = await client.query(
        `mutation($id: ID!) { segmentAsset(input: { assetId: $id, model: "u2netp", wait: true, waitTimeoutMs: 120000 }) { id status mask { url } } }`,
        { id: assetId },
      );
      assert.equal(segmented.data.segmentAsset.status, 'SUCCEEDED', JSON.stringify(segmented));
      segmentationId = segmented.data.segmentAsset.id;
      mask = Buffer.from(await (await fetch(segmented.data.segmentAsset.mask.url)).arrayBuffer());
    });
    after(() => gateway?.dispose());

    test("the photo's proxy is made after upload: at most 1024 px a side, a JPEG", async () => {
      const prisma = gateway.database.prisma;
      let proxy = await prisma.imageProxy.findFirst({ where: { sourceSha256: sha256 } });
      for (let tries = 0; !proxy && tries < 200; tries += 1) {
        await new Promise((resolve) => setTimeout(resolve, 50));
        proxy = await prisma.imageProxy.findFirst({ where: { sourceSha256: sha256 } });
      }
      assert.ok(proxy, 'a proxy row for the photo');
      assert.deepEqual([proxy.width, proxy.height, proxy.format], [1024, 576, 'jpeg']);
      assert.ok((await listBlobFiles(gateway.config)).includes(proxy.sha256), 'its blob is stored');
    });

    test('every kind previews from the proxies, the mask proxy made once, and looks the same as from the original (PSNR ≥ 40 dB)', async () => {
      const photo = await readFile(PHOTO);
      const { width, height } = await sharp(photo).metadata();
      const fromProxyBefore = await counter(gateway.url, 'maskgraph_render_sources_total', 'source="proxy"');
      const fromMemoryBefore = await counter(gateway.url, 'maskgraph_proxy_reads_total', 'from="memory"');
      const results: string[] = [];
      for (const [name, input, format] of KINDS) {
        const answer = await client.query(
          `query($id: ID!, $input: EffectInput!, $output: OutputInput) { segmentation(id: $id) { effect(input: $input, output: $output) { url cacheStatus } } }`,
          { id: segmentationId, input, output: { maxWidth: PREVIEW, format } },
        );
        assert.equal(answer.errors, undefined, JSON.stringify(answer.errors));
        assert.equal(answer.data.segmentation.effect.cacheStatus, 'MISS', name);
        const served = Buffer.from(await (await fetch(answer.data.segmentation.effect.url)).arrayBuffer());
        const { effect, output } = parseEffectSpec(input, { maxWidth: PREVIEW, format });
        const fromOriginal = await renderEffect(effect, output, photo, mask, width, height);
        const decibels = await psnr(served, fromOriginal.bytes);
        results.push(`${name} ${decibels.toFixed(1)} dB`);
        assert.ok(decibels >= 40, `${name}: ${decibels.toFixed(1)} dB between the preview from the proxies and the render from the original`);
      }
      process.stderr.write(`proxy previews against the original: ${results.join(', ')}\n`);
      assert.equal(
        (await counter(gateway.url, 'maskgraph_render_sources_total', 'source="proxy"')) - fromProxyBefore,
        2 * KINDS.length,
        'each preview decoded the photo proxy and the mask proxy',
      );
      assert.equal(await counter(gateway.url, 'maskgraph_proxies_made_total', 'kind="mask"'), 1, 'the mask proxy was made once, on first need');
      // The photo's proxy was read for its placeholder already, the mask's on the first preview: the rest come from memory.
      assert.ok(
        (await counter(gateway.url, 'maskgraph_proxy_reads_total', 'from="memory"')) - fromMemoryBefore >= 2 * KINDS.length - 1,
        'repeated previews read both proxies from memory',
      );
      assert.equal(await counter(gateway.url, 'maskgraph_proxies_made_total', 'kind="photo"'), 1, "the photo's proxy was made once, after upload");
      // The render threads' own memory is reported apart from the main thread's (the soak reads it).
      const gauge = async (name: string) =>
        Number(new RegExp(`^${name}(?:\\{[^}]*\\})? (\\S+)$`, 'm').exec(await (await fetch(`${gateway.url}/metrics`)).text())?.[1]);
      const threadHeap = await gauge('maskgraph_render_threads_heap_used_bytes');
      assert.ok(threadHeap > 1024 ** 2, `the render threads' heaps: ${threadHeap} B`);
      assert.ok(Number.isFinite(await gauge('maskgraph_libvips_tracked_bytes')), "libvips' tracked memory is reported");
    });

    test('a thumbnail that fits renders from the proxy; a full-size render from the original', async () => {
      const fromOriginalBefore = await counter(gateway.url, 'maskgraph_render_sources_total', 'source="original"');
      const fromProxyBefore = await counter(gateway.url, 'maskgraph_render_sources_total', 'source="proxy"');
      const thumbnail = await client.query(`query($id: ID!) { asset(id: $id) { thumbnail(size: 512) } }`, { id: assetId });
      assert.equal(thumbnail.errors, undefined, JSON.stringify(thumbnail.errors));
      const thumbnailBytes = Buffer.from(await (await fetch(thumbnail.data.asset.thumbnail)).arrayBuffer());
      assert.equal((await sharp(thumbnailBytes).metadata()).width, 512, 'a 512 px thumbnail');
      assert.equal((await counter(gateway.url, 'maskgraph_render_sources_total', 'source="proxy"')) - fromProxyBefore, 1, 'the thumbnail decoded the proxy');
      const full = await client.query(
        `query($id: ID!) { segmentation(id: $id) { effect(input: { colorSplash: {} }, output: { format: JPEG, maxWidth: 2000 }) { width } } }`,
        { id: segmentationId },
      );
      assert.equal(full.data.segmentation.effect.width, 2000);
      assert.equal(
        (await counter(gateway.url, 'maskgraph_render_sources_total', 'source="original"')) - fromOriginalBefore,
        2,
        'a 2000 px render, larger than the proxy, decoded the original photo and mask',
      );
    });

    test('deleting the asset deletes its proxies and their blobs', async () => {
      const prisma = gateway.database.prisma;
      const proxies = await prisma.imageProxy.findMany();
      assert.equal(proxies.length, 2, 'the photo and the mask');
      const deleted = await client.query(`mutation($id: ID!) { deleteAsset(id: $id) { id } }`, { id: assetId });
      assert.equal(deleted.errors, undefined, JSON.stringify(deleted.errors));
      assert.equal(await prisma.imageProxy.count(), 0, 'no proxy row outlives its source');
      const stored = await listBlobFiles(gateway.config);
      for (const proxy of proxies) assert.ok(!stored.includes(proxy.sha256), `proxy blob ${proxy.sha256} deleted`);
    });
  });
}
