/**
 * Presets, focal points, placeholders and secret rotation through GraphQL: what an owner can
 * define and what it is refused; a redefined preset or a moved focal point gives new URLs
 * (old ones redirect); placeholders and colours arrive off the event loop; URLs signed with
 * the previous secret keep working while URL_SIGNING_SECRET_PREVIOUS names it; urql works
 * with the settings the README gives and fails without them.
 */
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { Client as UrqlClient, fetchExchange } from '@urql/core';
import { thumbHashToRGBA } from 'thumbhash';
import { Client, FIXTURES } from '../helpers/client.js';
import { DATABASE_TARGETS } from '../helpers/database-targets.js';
import { startTestGateway, TEST_SIGNING_SECRET, type TestGateway } from '../helpers/gateway.js';

const target = DATABASE_TARGETS[0]!;

describe('presets, focal points and placeholders', () => {
  let gateway: TestGateway;
  let client: Client;
  let key: string;
  let assetId: string;

  before(async () => {
    gateway = await startTestGateway(target);
    key = (await gateway.newOwner('designer')).key;
    client = new Client(gateway.url, key);
    const uploaded = await client.upload(await readFile(join(FIXTURES, 'composites/c2-person-forest-portrait.jpg')), { selection: 'id' });
    assetId = uploaded.data!.uploadAsset.id;
    const segmented = await client.query('mutation($id: ID!) { segmentAsset(input: { assetId: $id, wait: true }) { status } }', { id: assetId });
    assert.equal(segmented.data?.segmentAsset.status, 'SUCCEEDED', JSON.stringify(segmented));
  });
  after(() => gateway?.dispose());

  const create = (input: Record<string, unknown>) =>
    client.query(
      'mutation($input: PresetInput!) { createPreset(input: $input) { name revision format quality widths effect effectParameters crop { aspectRatio gravity paddingPercent } } }',
      {
        input,
      },
    );

  test('createPreset refuses bad input with the field named, and lists the owner’s presets after the built-ins', async () => {
    const refusals: [Record<string, unknown>, string][] = [
      [{ name: 'Bad Name', widths: [100] }, 'input.name'],
      [{ name: 'thumbnail', widths: [100] }, 'input.name'],
      [{ name: 'ok', widths: [] }, 'input.widths'],
      [{ name: 'ok', widths: [8] }, 'input.widths'],
      [{ name: 'ok', widths: [100], crop: { aspectRatio: 50 } }, 'input.crop.aspectRatio'],
      [{ name: 'ok', widths: [100], effect: { cutout: {} }, output: { format: 'JPEG' } }, 'input.output.format'],
      [{ name: 'ok', widths: [100], output: { maxWidth: 100 } }, 'input.output.maxWidth'],
      [{ name: 'ok', widths: [100], effect: { hcePoints: {} } }, 'input.effect'],
    ];
    for (const [input, field] of refusals) {
      const refused = await create(input);
      assert.equal(refused.errors?.[0]?.extensions?.code, 'BAD_USER_INPUT', JSON.stringify(input));
      assert.equal(refused.errors?.[0]?.extensions?.details?.field, field, JSON.stringify(refused.errors));
    }
    const made = await create({ name: 'hero', effect: { backgroundBlur: { strength: 0.7 } }, crop: { aspectRatio: 2, paddingPercent: 5 }, widths: [800, 400] });
    assert.deepEqual(made.data?.createPreset, {
      name: 'hero',
      revision: 1,
      format: 'AUTO',
      quality: 75,
      widths: [400, 800],
      effect: 'backgroundBlur',
      effectParameters: JSON.stringify({ strength: 0.7, featherPx: 0 }),
      crop: { aspectRatio: 2, gravity: 'SUBJECT', paddingPercent: 5 },
    });
    assert.equal((await create({ name: 'hero', widths: [100] })).errors?.[0]?.extensions?.details?.field, 'input.name', 'a taken name');
    const listed = await client.query('{ presets { name builtIn } }');
    assert.deepEqual(
      listed.data.presets.map((preset: { name: string }) => preset.name),
      ['thumbnail', 'card', 'story', 'photo', 'cutout', 'hero'],
    );
    const effect = await client.query(
      'mutation($id: ID!) { segmentAsset(input: { assetId: $id }) { effect(input: { cutout: {} }, output: { format: AUTO }) { url } } }',
      { id: assetId },
    );
    assert.equal(effect.errors?.[0]?.extensions?.code, 'BAD_USER_INPUT', 'AUTO is for presets only');
  });

  test('updatePreset raises the revision and gives new URLs; the old URL redirects to the new one', async () => {
    const before = await client.query('query($id: ID!) { asset(id: $id) { image(preset: "hero", width: 400) { url } } }', { id: assetId });
    const updated = await client.query(
      'mutation { updatePreset(input: { name: "hero", effect: { colorSplash: {} }, crop: { aspectRatio: 2 }, widths: [400] }) { revision effect } }',
    );
    assert.deepEqual(updated.data?.updatePreset, { revision: 2, effect: 'colorSplash' });
    const after = await client.query('query($id: ID!) { asset(id: $id) { image(preset: "hero", width: 400) { url } } }', { id: assetId });
    assert.notEqual(after.data.asset.image.url, before.data.asset.image.url);
    const redirected = await fetch(before.data.asset.image.url, { redirect: 'manual' });
    assert.equal(redirected.status, 302);
    assert.equal(new URL(redirected.headers.get('location')!, gateway.url).href, after.data.asset.image.url);
    assert.equal((await fetch(after.data.asset.image.url)).status, 200);
    const missing = await client.query('mutation { updatePreset(input: { name: "nope", widths: [100] }) { revision } }');
    assert.equal(missing.errors?.[0]?.extensions?.code, 'NOT_FOUND');
  });

  test('the focal point comes from the mask, can be set and reset, and moves crops and URLs with it', async () => {
    const read = async () =>
      (
        await client.query(
          'query($id: ID!) { asset(id: $id) { focalPoint { x y source } image(preset: "card", width: 320) { url crop { x y width height } } } }',
          {
            id: assetId,
          },
        )
      ).data.asset;
    const fromMask = await read();
    assert.equal(fromMask.focalPoint.source, 'MASK');
    // The person stands in the left half of the 800 × 1200 portrait (x 133–471).
    assert.ok(fromMask.focalPoint.x > 0.15 && fromMask.focalPoint.x < 0.6, JSON.stringify(fromMask.focalPoint));
    const set = await client.query('mutation($id: ID!) { setFocalPoint(assetId: $id, point: { x: 0.5, y: 0.05 }) { focalPoint { x y source } } }', {
      id: assetId,
    });
    assert.deepEqual(set.data.setFocalPoint.focalPoint, { x: 0.5, y: 0.05, source: 'USER' });
    const moved = await read();
    assert.notEqual(moved.image.url, fromMask.image.url, 'a new focal point is new content');
    const refused = await client.query('mutation($id: ID!) { setFocalPoint(assetId: $id, point: { x: 1.5, y: 0 }) { id } }', { id: assetId });
    assert.equal(refused.errors?.[0]?.extensions?.details?.field, 'point.x');
    await client.query('mutation($id: ID!) { setFocalPoint(assetId: $id, point: null) { id } }', { id: assetId });
    assert.deepEqual((await read()).focalPoint, fromMask.focalPoint);
  });

  test('placeholders and colours arrive off the event loop: a portrait ThumbHash of the photo, subject and background colours apart', async () => {
    const query = 'query($id: ID!) { asset(id: $id) { placeholder { thumbhash dataUrl } colors { dominant foreground background } } }';
    let asset: {
      placeholder: { thumbhash: string; dataUrl: string } | null;
      colors: { dominant: string; foreground: string | null; background: string | null } | null;
    } | null = null;
    for (let attempt = 0; attempt < 100; attempt += 1) {
      asset = (await client.query(query, { id: assetId })).data.asset;
      if (asset?.colors?.foreground) break;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    assert.ok(asset?.placeholder && asset.colors, JSON.stringify(asset));
    const decoded = thumbHashToRGBA(Buffer.from(asset.placeholder.thumbhash, 'base64'));
    assert.ok(decoded.w > 0 && decoded.h > decoded.w, `a portrait placeholder: ${decoded.w} × ${decoded.h}`);
    assert.match(asset.placeholder.dataUrl, /^data:image\/png;base64,/);
    for (const colour of [asset.colors.dominant, asset.colors.foreground, asset.colors.background]) assert.match(colour ?? '', /^#[0-9a-f]{6}$/);
    assert.notEqual(asset.colors.foreground, asset.colors.background);
  });

  test('urql: its default GET is refused by the CSRF rule; with the README’s settings it works', async () => {
    const query = '{ viewer { name } }';
    const plain = new UrqlClient({ url: `${gateway.url}/graphql`, exchanges: [fetchExchange], fetchOptions: { headers: { authorization: `Bearer ${key}` } } });
    const refused = await plain.query(query, {}).toPromise();
    assert.ok(refused.error, 'a GET without the CSRF header');
    const configured = new UrqlClient({
      url: `${gateway.url}/graphql`,
      exchanges: [fetchExchange],
      preferGetMethod: 'within-url-limit',
      fetchOptions: { headers: { authorization: `Bearer ${key}`, 'apollo-require-preflight': 'true' } },
    });
    const answered = await configured.query(query, {}).toPromise();
    assert.equal(answered.error, undefined, String(answered.error));
    assert.deepEqual(answered.data, { viewer: { name: 'designer' } });
  });
});

describe('rotating the URL-signing secret', () => {
  let gateway: TestGateway;
  after(() => gateway?.dispose());

  test('image URLs signed with the previous secret keep working while URL_SIGNING_SECRET_PREVIOUS names it, and stop after', async () => {
    gateway = await startTestGateway(target);
    const client = new Client(gateway.url, (await gateway.newOwner('rotating')).key);
    const uploaded = await client.upload(await readFile(join(FIXTURES, 'images/flower.jpg')), { selection: 'id' });
    const photo = await client.query('query($id: ID!) { asset(id: $id) { image(preset: "photo", width: 320) { url } } }', {
      id: uploaded.data!.uploadAsset.id,
    });
    const url = photo.data.asset.image.url as string;
    assert.equal((await fetch(url)).status, 200);
    const NEW_SECRET = 'a-new-secret-a-new-secret-a-new-secret-01';
    gateway = await gateway.restart({ URL_SIGNING_SECRET: NEW_SECRET, URL_SIGNING_SECRET_PREVIOUS: TEST_SIGNING_SECRET });
    const port = (u: string) => new URL(u).pathname;
    assert.equal((await fetch(new URL(port(url), gateway.url))).status, 200, 'the previous secret still verifies');
    gateway = await gateway.restart({ URL_SIGNING_SECRET: NEW_SECRET, URL_SIGNING_SECRET_PREVIOUS: '' });
    assert.equal((await fetch(new URL(port(url), gateway.url))).status, 403, 'once the previous secret is dropped');
  });
});
