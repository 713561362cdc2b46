/**
 * The first bounds of fair share (issue 23, in part): WebSocket sockets per key and
 * operations per socket; client mistakes that used to be 500s (a variable of the wrong type
 * over the socket, a lone surrogate or a NUL anywhere in a string); and the quality-estimate
 * cache, which no longer tells one owner what another had estimated.
 */
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import sharp from 'sharp';
import WebSocket from 'ws';
import { Client, FIXTURES, uniqueJpeg } from '../helpers/client.js';
import { DATABASE_TARGETS } from '../helpers/database-targets.js';
import { startTestGateway, type TestGateway } from '../helpers/gateway.js';

/** A graphql-transport-ws socket, acknowledged; or the close code that refused it. */
async function openSocket(url: string, key: string): Promise<{ socket: WebSocket; messages: Record<string, unknown>[] } | number> {
  const socket = new WebSocket(url, 'graphql-transport-ws');
  const messages: Record<string, unknown>[] = [];
  return new Promise((resolve) => {
    socket.on('message', (data: Buffer) => {
      const message = JSON.parse(data.toString()) as Record<string, unknown>;
      messages.push(message);
      if (message.type === 'connection_ack') resolve({ socket, messages });
    });
    socket.once('close', (code) => resolve(code));
    socket.once('open', () => socket.send(JSON.stringify({ type: 'connection_init', payload: { authorization: `Bearer ${key}` } })));
  });
}

const waitFor = async <T>(find: () => T | undefined, what: string): Promise<T> => {
  for (let attempt = 0; attempt < 200; attempt += 1) {
    const found = find();
    if (found !== undefined) return found;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error(`no ${what}`);
};

describe('WebSocket bounds and client mistakes over the socket', { skip: DATABASE_TARGETS[1]!.skipReason }, () => {
  let gateway: TestGateway;
  let key: string;
  let ws: string;
  let segmentationId: string;
  const sockets: WebSocket[] = [];

  before(async () => {
    // An API process without workers: the segmentation stays QUEUED, its subscriptions open.
    gateway = await startTestGateway(DATABASE_TARGETS[1]!, { ROLE: 'api', MAX_SOCKETS_PER_KEY: '2', MAX_SUBSCRIPTIONS_PER_SOCKET: '3' });
    key = (await gateway.newOwner('chatty')).key;
    ws = `${gateway.url.replace('http', 'ws')}/graphql`;
    const client = new Client(gateway.url, key);
    const assetId = (await client.upload(await uniqueJpeg(), { selection: 'id' })).data!.uploadAsset.id;
    segmentationId = (await client.query('mutation($id: ID!) { segmentAsset(input: { assetId: $id }) { id } }', { id: assetId })).data.segmentAsset.id;
  });
  after(async () => {
    for (const socket of sockets) socket.close();
    await gateway?.dispose();
  });

  test('a key holds at most MAX_SOCKETS_PER_KEY sockets; a socket at most MAX_SUBSCRIPTIONS_PER_SOCKET operations', async () => {
    const first = await openSocket(ws, key);
    const second = await openSocket(ws, key);
    assert.ok(typeof first === 'object' && typeof second === 'object', 'two sockets are allowed');
    sockets.push(first.socket, second.socket);
    assert.equal(await openSocket(ws, key), 4429, 'the third is refused');
    const subscribe = (id: string) =>
      first.socket.send(
        JSON.stringify({
          id,
          type: 'subscribe',
          payload: { query: 'subscription($id: ID!) { segmentationUpdated(id: $id) { status } }', variables: { id: segmentationId } },
        }),
      );
    for (const id of ['a', 'b', 'c', 'd']) subscribe(id);
    const refused = await waitFor(() => first.messages.find((message) => message.id === 'd' && message.type === 'error'), 'error for d');
    assert.equal((refused.payload as { extensions: { code: string } }[])[0]!.extensions.code, 'BUSY');
    for (const id of ['a', 'b', 'c']) await waitFor(() => first.messages.find((message) => message.id === id && message.type === 'next'), `event for ${id}`);
    const followers = async () =>
      Number(/^maskgraph_event_followers\{[^}]*\} (\d+)/m.exec(await (await fetch(`${gateway.url}/metrics`)).text())?.[1] ?? Number.NaN);
    assert.equal(await followers(), 3, 'one listener per open subscription');
    // Completing one frees its place, and its listener at once (its row has not changed since).
    first.socket.send(JSON.stringify({ id: 'a', type: 'complete' }));
    await new Promise((resolve) => setTimeout(resolve, 100));
    assert.equal(await followers(), 2, "the completed subscription's listener is gone without waiting for an event");
    subscribe('e');
    await waitFor(() => first.messages.find((message) => message.id === 'e' && message.type === 'next'), 'event for e');
    // A closed socket frees its key's place.
    second.socket.close();
    await new Promise((resolve) => second.socket.once('close', resolve));
    await new Promise((resolve) => setTimeout(resolve, 100)); // the server's side of the close
    const again = await openSocket(ws, key);
    assert.equal(typeof again, 'object', 'a place is free again');
    if (typeof again === 'object') sockets.push(again.socket);
  });

  test('over the socket, a variable of the wrong type or a lone surrogate is BAD_USER_INPUT, not a 500', async () => {
    const socket = sockets.at(-1)!;
    const messages: Record<string, unknown>[] = [];
    socket.on('message', (data: Buffer) => messages.push(JSON.parse(data.toString()) as Record<string, unknown>));
    socket.send(
      JSON.stringify({
        id: 'typed',
        type: 'subscribe',
        payload: { query: 'subscription($id: ID!) { segmentationUpdated(id: $id) { status } }', variables: { id: 42.5 } },
      }),
    );
    socket.send(
      JSON.stringify({
        id: 'lone',
        type: 'subscribe',
        payload: { query: 'subscription($id: ID!) { segmentationUpdated(id: $id) { status } }', variables: { id: '\ud800' } },
      }),
    );
    for (const id of ['typed', 'lone']) {
      const error = await waitFor(() => messages.find((message) => message.id === id && message.type === 'error'), `error for ${id}`);
      assert.equal((error.payload as { extensions: { code: string } }[])[0]!.extensions.code, 'BAD_USER_INPUT', JSON.stringify(error));
    }
  });
});

describe('strings and the estimate cache over HTTP', () => {
  let gateway: TestGateway;
  let alice: Client;
  let bob: Client;

  before(async () => {
    gateway = await startTestGateway(DATABASE_TARGETS[0]!);
    alice = new Client(gateway.url, (await gateway.newOwner('alice')).key);
    bob = new Client(gateway.url, (await gateway.newOwner('bob')).key);
  });
  after(() => gateway?.dispose());

  test('a lone surrogate or a NUL in a tag, a name or a filter is BAD_USER_INPUT naming where, in variables and in literals', async () => {
    const assetId = (await alice.upload(await uniqueJpeg(), { selection: 'id' })).data!.uploadAsset.id;
    for (const tag of ['\udc00x', 'a\u0000b', 'x\ud83d']) {
      const viaVariables = await alice.query('mutation($id: ID!, $tags: [String!]) { updateAsset(id: $id, input: { tags: $tags }) { id } }', {
        id: assetId,
        tags: ['ok', tag],
      });
      assert.equal(viaVariables.status, 400, JSON.stringify(viaVariables));
      assert.equal(viaVariables.errors?.[0]?.extensions?.code, 'BAD_USER_INPUT');
      assert.equal(viaVariables.errors?.[0]?.extensions?.details?.field, 'variables.tags[1]');
    }
    const literal = await alice.query(`{ assets(filter: { nameContains: ${JSON.stringify('x\u0000')} }) { totalCount } }`);
    assert.equal(literal.errors?.[0]?.extensions?.code, 'BAD_USER_INPUT', JSON.stringify(literal));
    // An escaped lone surrogate in the document does not even parse: a client error too.
    const unparsable = await alice.query(`{ assets(filter: { nameContains: ${JSON.stringify('x\ud800')} }) { totalCount } }`);
    assert.equal(unparsable.errors?.[0]?.extensions?.code, 'GRAPHQL_PARSE_FAILED', JSON.stringify(unparsable));
    const upload = await alice.upload(await uniqueJpeg(), { tags: ['\ud800'], selection: 'id' });
    assert.equal(upload.errors?.[0]?.extensions?.code, 'BAD_USER_INPUT', JSON.stringify(upload));
    // A paired surrogate (an emoji) is text like any other.
    const emoji = await alice.query('mutation($id: ID!) { updateAsset(id: $id, input: { tags: ["🐻"] }) { tags } }', { id: assetId });
    assert.deepEqual(emoji.data?.updateAsset.tags, ['🐻']);
  });

  test('an estimate another owner computed on the same bytes is computed again for this owner (no timing oracle)', async () => {
    const computed = async () =>
      Number(/^maskgraph_quality_estimates_computed_total\{[^}]*\} (\d+)/m.exec(await (await fetch(`${gateway.url}/metrics`)).text())?.[1] ?? 0);
    const photo = await readFile(join(FIXTURES, 'images/flower.jpg'));
    const estimate = async (client: Client) => {
      const assetId = (await client.upload(photo, { selection: 'id' })).data!.uploadAsset.id;
      const done = await client.query('mutation($id: ID!) { segmentAsset(input: { assetId: $id, wait: true }) { id } }', { id: assetId });
      const answer = await client.query('query($id: ID!) { segmentation(id: $id) { qualityEstimate { fragments holes } } }', { id: done.data.segmentAsset.id });
      assert.ok(answer.data?.segmentation.qualityEstimate, JSON.stringify(answer));
    };
    const start = await computed();
    await estimate(alice);
    assert.equal((await computed()) - start, 1);
    await estimate(alice);
    assert.equal((await computed()) - start, 1, 'the same owner, the same masks: from the cache');
    await estimate(bob);
    assert.equal((await computed()) - start, 2, 'another owner: computed anew');
  });

  test('a rendition larger than its format can hold is BAD_USER_INPUT before any work, naming the limit; renderEffect never says RENDERING', async () => {
    // A 16 400 × 16 panorama: within MAX_INPUT_PIXELS, wider than WebP (16 383) and AVIF (16 384) allow.
    const panorama = await sharp({ create: { width: 16_400, height: 16, channels: 3, background: '#3a7' } })
      .png()
      .toBuffer();
    const assetId = (await alice.upload(panorama, { selection: 'id' })).data!.uploadAsset.id;
    const done = await alice.query('mutation($id: ID!) { segmentAsset(input: { assetId: $id, wait: true }) { id status } }', { id: assetId });
    assert.equal(done.data?.segmentAsset.status, 'SUCCEEDED', JSON.stringify(done));
    const id = done.data.segmentAsset.id;
    for (const format of ['WEBP', 'AVIF']) {
      const refused = await alice.query(`query($id: ID!) { segmentation(id: $id) { effect(input: { mask: {} }, output: { format: ${format} }) { url } } }`, {
        id,
      });
      assert.equal(refused.errors?.[0]?.extensions?.code, 'BAD_USER_INPUT', JSON.stringify(refused));
      assert.equal(refused.errors?.[0]?.extensions?.details?.field, 'output.maxWidth');
      assert.match(refused.errors![0]!.message, /16 ?38[34]/);
      const queued = await alice.query(
        `mutation($id: ID!) { renderEffect(segmentationId: $id, input: { mask: {} }, output: { format: ${format} }) { status } }`,
        { id },
      );
      assert.equal(queued.errors?.[0]?.extensions?.code, 'BAD_USER_INPUT', JSON.stringify(queued));
    }
    const fits = await alice.query(
      'query($id: ID!) { segmentation(id: $id) { effect(input: { mask: {} }, output: { format: WEBP, maxWidth: 16383 }) { width } } }',
      { id },
    );
    assert.equal(fits.data?.segmentation.effect.width, 16_383, JSON.stringify(fits.errors));
  });

  test('an 8-effect fragment under 3 aliases starts at most 8 renders; the rest are refused, cache hits are free', async () => {
    const photo = await uniqueJpeg(160, 120);
    const ids: string[] = [];
    for (let index = 0; index < 3; index += 1) {
      const assetId = (await alice.upload(photo, { selection: 'id' })).data!.uploadAsset.id;
      ids.push((await alice.query('mutation($id: ID!) { segmentAsset(input: { assetId: $id, wait: true }) { id } }', { id: assetId })).data.segmentAsset.id);
    }
    const renders = async () =>
      [...(await (await fetch(`${gateway.url}/metrics`)).text()).matchAll(/^maskgraph_render_duration_seconds_count\{[^}]*\} (\d+)/gm)].reduce(
        (sum, match) => sum + Number(match[1]),
        0,
      );
    const out = 'output: { format: PNG, maxWidth: 64 }';
    const fragment = `fragment Eight on Segmentation {
      e1: effect(input: { mask: {} }, ${out}) { id } e2: effect(input: { cutout: {} }, ${out}) { id }
      e3: effect(input: { backgroundBlur: {} }, ${out}) { id } e4: effect(input: { colorSplash: {} }, ${out}) { id }
      e5: effect(input: { maskOverlay: {} }, ${out}) { id } e6: effect(input: { outline: {} }, ${out}) { id }
      e7: effect(input: { depthOfField: {} }, ${out}) { id } e8: effect(input: { backgroundReplace: {} }, ${out}) { id } }`;
    const query = `query($a: ID!, $b: ID!, $c: ID!) { a: segmentation(id: $a) { ...Eight } b: segmentation(id: $b) { ...Eight } c: segmentation(id: $c) { ...Eight } } ${fragment}`;
    // Count renders once settled: a render that started finishes even if its answer were lost.
    const settled = async () => {
      let last = -1;
      for (let count = await renders(); count !== last; count = await renders()) {
        last = count;
        await new Promise((resolve) => setTimeout(resolve, 1500));
      }
      return last;
    };
    const before = await settled();
    const answer = await alice.query(query, { a: ids[0], b: ids[1], c: ids[2] });
    assert.equal(answer.errors?.[0]?.extensions?.code, 'QUERY_TOO_COMPLEX', JSON.stringify(answer.errors));
    assert.equal((await settled()) - before, 8, 'eight renders ran, not 24');
    // The refusals null only their own fields: the eight renders that ran are in the answer.
    const effects = ['a', 'b', 'c'].flatMap((alias) =>
      Object.values((answer.data as Record<string, Record<string, unknown> | null> | undefined)?.[alias] ?? {}),
    );
    assert.equal(effects.filter((effect) => effect !== null).length, 8, `eight effects answered: ${JSON.stringify(answer.data)}`);
    assert.equal(answer.errors?.length, 16, 'one error per refused effect, at its path');
    // Asked again: the eight rendered ones are cache hits (free), eight more render.
    const again = await alice.query(query, { a: ids[0], b: ids[1], c: ids[2] });
    assert.equal(again.errors?.[0]?.extensions?.code, 'QUERY_TOO_COMPLEX');
    assert.equal((await settled()) - before, 16);
  });
});
