/**
 * Effects through GraphQL on a real photograph: several variants in one query with
 * aliases, files served by signed URL, the cache answering a repeat without rendering, and
 * renditions deleted with their asset. Previews of every effect are written to
 * test-output/effects/ for a person to look at.
 */
import assert from 'node:assert/strict';
import { mkdir, writeFile } from 'node:fs/promises';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';
import { Client, errorCode, FIXTURES, fixturePath } from '../helpers/client.js';
import { DATABASE_TARGETS } from '../helpers/database-targets.js';
import { listBlobFiles, startTestGateway, type TestGateway } from '../helpers/gateway.js';

const OUTPUT = fileURLToPath(new URL('../../test-output/effects/', import.meta.url));
const FIELDS = 'id url width height format byteSize cacheStatus';

for (const target of DATABASE_TARGETS) {
  describe(`effects on ${target.name}`, { skip: target.skipReason }, () => {
    let gateway: TestGateway;
    let client: Client;
    let assetId: string;
    let segmentationId: string;
    let key: string;

    before(async () => {
      gateway = await startTestGateway(target);
      key = (await gateway.newOwner('artist')).key;
      client = new Client(gateway.url, key);
      assetId = (await client.upload(`${FIXTURES}/composites/c2-person-forest-portrait.jpg`, { selection: 'id' })).data!.uploadAsset.id;
      const segmentation = await client.query(
        `mutation($id: ID!) { segmentAsset(input: { assetId: $id, model: "isnet-general-q8", wait: true }) { id status } }`,
        { id: assetId },
      );
      assert.equal(segmentation.data.segmentAsset.status, 'SUCCEEDED');
      segmentationId = segmentation.data.segmentAsset.id;
    });
    after(() => gateway?.dispose());

    test('renders every effect kind in one query, each decoding at its size and format', async () => {
      const response = await client.query(
        `query($id: ID!) { segmentation(id: $id) {
          mask: effect(input: { mask: {} }, output: { maxWidth: 256, format: PNG }) { ${FIELDS} }
          cutout: effect(input: { cutout: { cropMarginPx: 8 } }, output: { maxWidth: 256, format: WEBP }) { ${FIELDS} }
          blur: effect(input: { backgroundBlur: { strength: 0.6 } }, output: { maxWidth: 256, format: WEBP }) { ${FIELDS} }
          splash: effect(input: { colorSplash: {} }, output: { maxWidth: 256, format: JPEG }) { ${FIELDS} }
          replace: effect(input: { backgroundReplace: { color: "#1e90ff", shadow: { opacity: 0.4 } } }, output: { maxWidth: 256, format: AVIF }) { ${FIELDS} }
          overlay: effect(input: { maskOverlay: {} }, output: { maxWidth: 256 }) { ${FIELDS} }
          depth: effect(input: { depthOfField: { strength: 0.7, falloffPx: 300, lens: DISC, highlights: 0.8 } }, output: { maxWidth: 256, format: WEBP }) { ${FIELDS} }
          outline: effect(input: { outline: { widthPx: 14, color: "#ffcc00" } }, output: { maxWidth: 256, format: PNG }) { ${FIELDS} }
        } }`,
        { id: segmentationId },
      );
      assert.equal(response.errors, undefined, JSON.stringify(response.errors));
      await mkdir(`${OUTPUT}${target.name}`, { recursive: true });
      for (const [name, rendition] of Object.entries(
        response.data.segmentation as Record<string, { url: string; width: number; height: number; format: string; cacheStatus: string }>,
      )) {
        assert.equal(rendition.cacheStatus, 'MISS', name);
        const file = await fetch(rendition.url);
        assert.equal(file.status, 200, name);
        assert.match(file.headers.get('cache-control') ?? '', /immutable/);
        const bytes = Buffer.from(await file.arrayBuffer());
        const meta = await sharp(bytes).metadata();
        assert.deepEqual([meta.width, meta.height], [rendition.width, rendition.height], name);
        assert.equal(meta.format === 'heif' ? 'AVIF' : meta.format.toUpperCase(), rendition.format, name);
        if (name !== 'cutout') assert.equal(rendition.width, 256, name);
        if (name === 'cutout' || name === 'outline') assert.equal((await sharp(bytes).metadata()).hasAlpha, true, `${name} is transparent`);
        await writeFile(`${OUTPUT}${target.name}/${name}.${rendition.format.toLowerCase()}`, bytes);
      }
      assert.equal(response.data.segmentation.overlay.format, 'JPEG', 'opaque results default to JPEG');
    });

    test('answers an identical request from the cache', async () => {
      const ask = () =>
        client.query(
          `query($id: ID!) { segmentation(id: $id) { effect(input: { backgroundBlur: { strength: 0.3 } }, output: { maxWidth: 320 }) { ${FIELDS} } } }`,
          { id: segmentationId },
        );
      const first = (await ask()).data.segmentation.effect;
      const second = (await ask()).data.segmentation.effect;
      assert.deepEqual([first.cacheStatus, second.cacheStatus], ['MISS', 'HIT']);
      assert.equal(second.id, first.id);
      // A strength a hair away rounds to the same step: the same rendition, not a new render.
      const near = await client.query(
        `query($id: ID!) { segmentation(id: $id) { effect(input: { backgroundBlur: { strength: 0.3004 } }, output: { maxWidth: 320 }) { ${FIELDS} } } }`,
        { id: segmentationId },
      );
      assert.deepEqual([near.data.segmentation.effect.cacheStatus, near.data.segmentation.effect.id], ['HIT', first.id]);
    });

    test('refuses more than 8 effect fields in one operation, fragments included', async () => {
      const effects = (count: number) =>
        Array.from({ length: count }, (_, k) => `e${k}: effect(input: { mask: {} }, output: { maxWidth: ${64 + k} }) { id }`).join(' ');
      const nine = await client.query(`query($id: ID!) { segmentation(id: $id) { ${effects(9)} } }`, { id: segmentationId });
      assert.equal(errorCode(nine), 'QUERY_TOO_COMPLEX');
      assert.match(nine.errors![0]!.message, /at most 8 effect fields.*9/);
      const viaFragment = await client.query(
        `query($id: ID!) { segmentation(id: $id) { ...Many e9: effect(input: { mask: {} }, output: { maxWidth: 99 }) { id } } } fragment Many on Segmentation { ${effects(8)} }`,
        { id: segmentationId },
      );
      assert.equal(errorCode(viaFragment), 'QUERY_TOO_COMPLEX');
    });

    test('refuses JPEG for a transparent result and out-of-range parameters, naming the field', async () => {
      const jpegCutout = await client.query(`query($id: ID!) { segmentation(id: $id) { effect(input: { cutout: {} }, output: { format: JPEG }) { id } } }`, {
        id: segmentationId,
      });
      assert.equal(errorCode(jpegCutout), 'BAD_USER_INPUT');
      assert.equal(jpegCutout.errors![0]!.extensions!.details!.field, 'output.format');
      const strength = await client.query(`query($id: ID!) { segmentation(id: $id) { effect(input: { backgroundBlur: { strength: 5 } }) { id } } }`, {
        id: segmentationId,
      });
      assert.equal(strength.errors![0]!.extensions!.details!.field, 'effect.backgroundBlur.strength');
    });

    test("replaces the background with one of the owner's assets, never another owner's", async () => {
      const mine = (await client.upload(fixturePath('fig-bowl.jpg'), { selection: 'id' })).data!.uploadAsset.id;
      const ask = (backgroundAssetId: string) =>
        client.query(
          `query($id: ID!, $bg: ID!) { segmentation(id: $id) { effect(input: { backgroundReplace: { backgroundAssetId: $bg, shadow: { opacity: 0.5 } } }, output: { maxWidth: 200, format: WEBP }) { url width dataUrl } } }`,
          {
            id: segmentationId,
            bg: backgroundAssetId,
          },
        );
      const response = await ask(mine);
      assert.equal(response.errors, undefined, JSON.stringify(response.errors));
      assert.match(response.data.segmentation.effect.dataUrl, /^data:image\/webp;base64,/, 'a small preview comes inline');
      const other = new Client(gateway.url, (await gateway.newOwner('someone-else')).key);
      const theirs = (await other.upload(fixturePath('flower.jpg'), { selection: 'id' })).data!.uploadAsset.id;
      const refused = await ask(theirs);
      assert.equal(errorCode(refused), 'BAD_USER_INPUT');
      assert.equal(refused.errors![0]!.extensions!.details!.field, 'effect.backgroundReplace.backgroundAssetId');
    });

    test('renderEffect answers at once and the render lands in the cache', async () => {
      const start = () =>
        client.query(
          `mutation($id: ID!) { renderEffect(segmentationId: $id, input: { depthOfField: { strength: 0.4 } }, output: { format: JPEG }) { status rendition { cacheStatus width } } }`,
          { id: segmentationId },
        );
      const first = (await start()).data.renderEffect;
      assert.equal(first.status, 'RENDERING');
      assert.equal(first.rendition, null);
      let job = first;
      for (let polls = 0; job.status !== 'READY'; polls += 1) {
        assert.ok(polls < 300, 'rendered within 30 s');
        await new Promise((resolve) => setTimeout(resolve, 100));
        job = (await start()).data.renderEffect;
      }
      assert.deepEqual(job.rendition, { cacheStatus: 'HIT', width: 800 });
    });

    test('keeps renditions within RENDITION_CACHE_BYTES, evicting the least recently used with their blobs', async () => {
      const ask = async (input: string) =>
        (await client.query(`query($id: ID!) { segmentation(id: $id) { ${input} { id url byteSize cacheStatus } } }`, { id: segmentationId })).data.segmentation
          .effect as { id: string; url: string; byteSize: number; cacheStatus: string };
      const blur = (strength: number) => ask(`effect(input: { backgroundBlur: { strength: ${strength} } }, output: { maxWidth: 96, format: JPEG })`);
      // Made A, B, C in that order, but A used again after B: least recently used is B, first made is A.
      const a = await blur(0.11);
      const b = await blur(0.21);
      assert.equal((await blur(0.11)).cacheStatus, 'HIT');
      const c = await blur(0.31);
      assert.deepEqual([a.cacheStatus, b.cacheStatus, c.cacheStatus], ['MISS', 'MISS', 'MISS']);
      const bSha = (await gateway.database.prisma.rendition.findUniqueOrThrow({ where: { id: b.id } })).sha256;
      // A budget with room for A, C and a tiny rendition D, not for B as well.
      gateway = await gateway.restart({ RENDITION_CACHE_BYTES: String(a.byteSize + c.byteSize + Math.floor(b.byteSize / 2)) });
      client = new Client(gateway.url, key);
      const d = await ask('effect(input: { mask: {} }, output: { maxWidth: 16, format: PNG })');
      assert.equal(d.cacheStatus, 'MISS');
      assert.ok(d.byteSize < b.byteSize / 2, `D (${d.byteSize} B) fits beside A and C`);
      // Every older rendition of this suite went, then B; A and C stayed.
      assert.deepEqual([(await blur(0.11)).cacheStatus, (await blur(0.31)).cacheStatus], ['HIT', 'HIT']);
      const bUrl = new URL(b.url);
      assert.equal((await fetch(`${gateway.url}${bUrl.pathname}${bUrl.search}`)).status, 404, "B's file URL answers NOT_FOUND");
      const rows = await gateway.database.prisma.rendition.findMany({ select: { id: true, sha256: true, byteSize: true } });
      assert.deepEqual(rows.map((row) => row.id).sort(), [a.id, c.id, d.id].sort());
      const stored = new Set(await listBlobFiles(gateway.config));
      for (const row of rows) assert.ok(stored.has(row.sha256), 'kept renditions keep their blobs');
      assert.ok(!stored.has(bSha), "B's blob is deleted");
      const again = await blur(0.21);
      assert.equal(again.cacheStatus, 'MISS', 'asking for B again renders it again');
      // The same process, its cache's size summed already: the new B still pushes out what does not fit.
      const left = await gateway.database.prisma.rendition.findMany({ select: { id: true, byteSize: true } });
      const budget = a.byteSize + c.byteSize + Math.floor(b.byteSize / 2);
      assert.ok(
        left.reduce((sum, row) => sum + row.byteSize, 0) <= budget && left.some((row) => row.id === again.id),
        `kept within ${budget} B: ${JSON.stringify(left)}`,
      );
    });

    test('refuses a rendition over MAX_OUTPUT_PIXELS, saying how wide one may be; that width renders', async () => {
      gateway = await gateway.restart({ MAX_OUTPUT_PIXELS: '200000' });
      client = new Client(gateway.url, key);
      const ask = (output: string) =>
        client.query(`query($id: ID!) { segmentation(id: $id) { effect(input: { colorSplash: {} }, output: { ${output} }) { width height } } }`, {
          id: segmentationId,
        });
      const refused = await ask('format: JPEG');
      assert.equal(errorCode(refused), 'BAD_USER_INPUT');
      assert.equal(refused.errors![0]!.extensions!.details!.field, 'output.maxWidth');
      const widest = Number(/maxWidth (\d+) or less/.exec(refused.errors![0]!.message)?.[1]);
      // The photo is 800 × 1200: 365 × 548 is just over 200 000 pixels, 364 × 546 within.
      assert.equal(widest, 364, refused.errors![0]!.message);
      const allowed = await ask(`format: JPEG, maxWidth: ${widest}`);
      assert.equal(allowed.errors, undefined, JSON.stringify(allowed.errors));
      assert.ok(
        allowed.data.segmentation.effect.width * allowed.data.segmentation.effect.height <= 200_000,
        'expected: allowed.data.segmentation.effect.width * allowed.data.segmentation.effect.height <= 200_000',
      );
    });

    test('deleting the asset deletes its renditions', async () => {
      const url = (
        await client.query(`query($id: ID!) { segmentation(id: $id) { effect(input: { mask: {} }, output: { maxWidth: 64 }) { url } } }`, {
          id: segmentationId,
        })
      ).data.segmentation.effect.url;
      assert.equal((await fetch(url)).status, 200);
      await client.query('mutation($id: ID!) { deleteAsset(id: $id) { id } }', { id: assetId });
      assert.equal((await fetch(url)).status, 404);
    });
  });
}

describe('renders under load', () => {
  test('past the render queue a new render is BUSY, not queued without bound; the rest render', async () => {
    const gateway = await startTestGateway(DATABASE_TARGETS[0]!, { MAX_CONCURRENT_RENDERS: '1', MAX_QUEUED_RENDERS: '1' });
    try {
      const client = new Client(gateway.url, (await gateway.newOwner('storm')).key);
      const assetId = (await client.upload(`${FIXTURES}/composites/c1-bear-meadow.jpg`, { selection: 'id' })).data!.uploadAsset.id;
      const segmented = await client.query(`mutation($id: ID!) { segmentAsset(input: { assetId: $id, model: "isnet-general-q8", wait: true }) { id } }`, {
        id: assetId,
      });
      // Six clients at once, each asking for another full-size depth of field (slow enough to overlap).
      const responses = await Promise.all(
        Array.from({ length: 6 }, (_, k) =>
          client.query(
            `query($id: ID!) { segmentation(id: $id) { effect(input: { depthOfField: { strength: ${0.2 + k * 0.1} } }, output: { format: PNG }) { id } } }`,
            { id: segmented.data.segmentAsset.id },
          ),
        ),
      );
      const codes = responses.flatMap((response) => (response.errors ?? []).map((error) => error.extensions?.code));
      const rendered = responses.filter((response) => response.data?.segmentation?.effect?.id).length;
      assert.equal(rendered + codes.length, 6, JSON.stringify(responses));
      assert.ok(codes.length >= 1 && codes.every((code) => code === 'BUSY'), `refusals ${JSON.stringify(codes)}`);
      assert.ok(rendered >= 2, `${rendered} rendered: one runs and one waits`);
      assert.equal((await fetch(`${gateway.url}/healthz`)).status, 200);
    } finally {
      await gateway.dispose();
    }
  });
});
