/**
 * Another origin in the user's browser, and other WebSocket abuse: a page on another origin
 * (or a rebound DNS name) gets nothing from a local gateway; WebSocket frames are bounded,
 * errors over the socket carry codes, a revoked key opens nothing more, and file URLs follow
 * the scheme the client used.
 */
import assert from 'node:assert/strict';
import { request as httpRequest } from 'node:http';
import { after, before, describe, test } from 'node:test';
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';
import { OwnerRepository } from '../../src/storage/repositories/owner.repository.js';
import { Client, errorCode, fixturePath } from '../helpers/client.js';
import { DATABASE_TARGETS } from '../helpers/database-targets.js';
import { startTestGateway, type TestGateway } from '../helpers/gateway.js';

/** A raw HTTP request with a chosen Host header (fetch will not send a forged one). */
function getWithHost(url: string, host: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const request = httpRequest(url, { headers: { host } }, (response) => {
      let body = '';
      response.on('data', (chunk: Buffer) => (body += chunk.toString()));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, body }));
    });
    request.on('error', reject);
    request.end();
  });
}

/** Opens a WebSocket with the given headers: 'open', or the HTTP status that refused it. */
function upgrade(url: string, headers: Record<string, string>): Promise<'open' | number> {
  return new Promise((resolve) => {
    const socket = new WebSocket(url, 'graphql-transport-ws', { headers });
    socket.once('open', () => {
      socket.close();
      resolve('open');
    });
    socket.once('unexpected-response', (_request, response) => resolve(response.statusCode ?? 0));
    socket.once('error', () => resolve(0));
  });
}

const target = DATABASE_TARGETS[0]!;

describe('a single-user gateway and pages on other origins', () => {
  let gateway: TestGateway;
  let ws: string;
  let origin: string;

  before(async () => {
    gateway = await startTestGateway(target, { AUTH_MODE: 'single-user', ALLOWED_ORIGINS: 'http://editor.example:8080' });
    ws = `${gateway.url.replace('http', 'ws')}/graphql`;
    origin = new URL(gateway.url).origin;
  });
  after(() => gateway?.dispose());

  test('answers HTTP under a loopback name and refuses a rebound one (DNS rebinding)', async () => {
    const { host, port } = new URL(gateway.url);
    for (const name of [host, `localhost:${port}`, `[::1]:${port}`]) assert.equal((await getWithHost(`${gateway.url}/healthz`, name)).status, 200, name);
    for (const name of [`evil.example:${port}`, 'evil.example', `127.0.0.1.evil.example:${port}`, `localhost.evil.example:${port}`]) {
      const refused = await getWithHost(`${gateway.url}/graphql?query=%7Bviewer%7Bid%7D%7D`, name);
      assert.equal(refused.status, 403, `Host ${JSON.stringify(name)}`);
      assert.match(refused.body, /FORBIDDEN/);
      assert.doesNotMatch(refused.body, /"viewer"/);
    }
  });

  test('refuses a WebSocket from another origin or under a rebound name, accepts its own and listed origins', async () => {
    assert.equal(await upgrade(ws, { origin: 'http://evil.example' }), 403);
    assert.equal(await upgrade(ws, { origin: 'null' }), 403, 'a sandboxed page');
    assert.equal(await upgrade(ws, { origin: `http://evil.example:${new URL(gateway.url).port}`, host: `evil.example:${new URL(gateway.url).port}` }), 403);
    assert.equal(await upgrade(ws, { origin }), 'open');
    assert.equal(await upgrade(ws, { origin: 'http://editor.example:8080' }), 'open', 'ALLOWED_ORIGINS');
    assert.equal(await upgrade(ws, {}), 'open', 'a non-browser client sends no Origin');
  });

  test('a subscription from the own origin works, so the check is not a blanket refusal', async () => {
    const client = createClient({
      url: ws,
      webSocketImpl: class extends WebSocket {
        constructor(address: string, protocols?: string | string[]) {
          super(address, protocols, { headers: { origin } });
        }
      },
      lazy: true,
      retryAttempts: 0,
    });
    try {
      const events = [];
      for await (const event of client.iterate({ query: 'subscription { segmentationUpdated(id: "not-an-id") { status } }' })) events.push(event);
      assert.equal(events[0]?.errors?.[0]?.extensions?.code, 'BAD_USER_INPUT', JSON.stringify(events));
    } catch (errors) {
      assert.equal((errors as { extensions?: { code?: string } }[])[0]?.extensions?.code, 'BAD_USER_INPUT', JSON.stringify(errors));
    } finally {
      await client.dispose();
    }
  });
});

describe('the WebSocket path with API keys', () => {
  let gateway: TestGateway;
  let ws: string;

  before(async () => {
    gateway = await startTestGateway(target);
    ws = `${gateway.url.replace('http', 'ws')}/graphql`;
  });
  after(() => gateway?.dispose());

  test('closes a socket that sends a frame over 64 KiB (1009), and keeps serving', async () => {
    const socket = new WebSocket(ws, 'graphql-transport-ws');
    await new Promise((resolve) => socket.once('open', resolve));
    const closed = new Promise<number>((resolve) => socket.once('close', (code) => resolve(code)));
    socket.send(JSON.stringify({ type: 'connection_init', payload: { padding: 'x'.repeat(100 * 1024) } }));
    assert.equal(await closed, 1009);
    assert.equal((await fetch(`${gateway.url}/healthz`)).status, 200);
  });

  test('a key revoked after connecting opens no further subscription; errors carry codes', async () => {
    const { ownerId, key } = await gateway.newOwner('revoked');
    const owners = new OwnerRepository(gateway.database.prisma);
    // lazy: false keeps one socket open across both subscriptions (a lazy client would
    // reconnect, and the new connection would be refused at connect instead).
    let connections = 0;
    const client = createClient({
      url: ws,
      webSocketImpl: WebSocket,
      connectionParams: { authorization: `Bearer ${key}` },
      retryAttempts: 0,
      lazy: false,
      on: { connected: () => (connections += 1) },
    });
    const run = async () => {
      try {
        for await (const event of client.iterate({ query: 'subscription { segmentationUpdated(id: "01234567-89ab-7def-8123-456789abcdef") { status } }' }))
          return event.errors;
      } catch (errors) {
        return errors as { extensions?: { code?: string } }[];
      }
      return undefined;
    };
    try {
      assert.equal((await run())?.[0]?.extensions?.code, 'NOT_FOUND', 'a coded error over the socket while the key is valid');
      const [apiKey] = (await owners.listApiKeys()).filter((candidate) => candidate.ownerId === ownerId);
      assert.ok(await owners.revokeApiKey(apiKey!.id), 'expected: await owners.revokeApiKey(apiKey!.id)');
      assert.equal((await run())?.[0]?.extensions?.code, 'UNAUTHENTICATED', 'the same socket, after revocation');
      assert.equal(connections, 1, 'one socket throughout');
    } finally {
      await client.dispose();
    }
  });

  test('closes an open socket (4403) once its key is revoked', { timeout: 30_000 }, async () => {
    // A gateway of its own that checks keys every second (the default is 30 s).
    const checking = await startTestGateway(target, { KEY_RECHECK_SECONDS: '1' });
    try {
      await closesOnRevocation(checking);
    } finally {
      await checking.dispose();
    }
  });

  async function closesOnRevocation(gateway: TestGateway): Promise<void> {
    const { ownerId, key } = await gateway.newOwner('revoked-while-open');
    const socket = new WebSocket(`${gateway.url.replace('http', 'ws')}/graphql`, 'graphql-transport-ws');
    const messages: string[] = [];
    socket.on('message', (data) => messages.push(String(data)));
    await new Promise((resolve) => socket.once('open', resolve));
    socket.send(JSON.stringify({ type: 'connection_init', payload: { authorization: `Bearer ${key}` } }));
    while (!messages.some((message) => message.includes('connection_ack'))) await new Promise((resolve) => setTimeout(resolve, 20));
    const closed = new Promise<number>((resolve) => socket.once('close', (code) => resolve(code)));
    try {
      const owners = new OwnerRepository(gateway.database.prisma);
      const [apiKey] = (await owners.listApiKeys()).filter((candidate) => candidate.ownerId === ownerId);
      await owners.revokeApiKey(apiKey!.id);
      // Three recheck periods at most.
      const code = await Promise.race([closed, new Promise<string>((resolve) => setTimeout(() => resolve('still open after 3 s'), 3_000))]);
      assert.equal(code, 4403);
    } finally {
      socket.terminate();
    }
  }

  test('a malformed, invalid or too deep subscription gets the same client codes as over HTTP', async () => {
    const { key } = await gateway.newOwner('sloppy');
    const client = createClient({ url: ws, webSocketImpl: WebSocket, connectionParams: { authorization: `Bearer ${key}` }, retryAttempts: 0, lazy: false });
    const deep = `subscription { segmentationUpdated(id: "x") { ${'asset { segmentations { '.repeat(6)} id ${'} } '.repeat(6)} } }`;
    try {
      for (const [query, code] of [
        ['subscription { segmentationUpdated(', 'GRAPHQL_PARSE_FAILED'],
        ['subscription { nope }', 'GRAPHQL_VALIDATION_FAILED'],
        [deep, 'QUERY_TOO_COMPLEX'],
      ] as const) {
        let errors: { message?: string; extensions?: { code?: string } }[] | undefined;
        try {
          for await (const event of client.iterate({ query })) errors = event.errors as typeof errors;
        } catch (failure) {
          errors = failure as typeof errors;
        }
        assert.equal(errors?.[0]?.extensions?.code, code, `${query.slice(0, 40)}: ${JSON.stringify(errors)}`);
      }
    } finally {
      await client.dispose();
    }
  });

  test('file URLs issued over a socket behind a TLS proxy are https', async () => {
    const { key } = await gateway.newOwner('tls');
    const http = new Client(gateway.url, key);
    const assetId = (await http.upload(fixturePath('cat-chelsea.png'), { selection: 'id' })).data!.uploadAsset.id;
    const segmented = await http.query('mutation($id: ID!) { segmentAsset(input: { assetId: $id, model: "isnet-general-q8", wait: true }) { id status } }', {
      id: assetId,
    });
    assert.equal(segmented.data.segmentAsset.status, 'SUCCEEDED', JSON.stringify(segmented));
    const proxied = class extends WebSocket {
      constructor(address: string, protocols?: string | string[]) {
        super(address, protocols, { headers: { 'x-forwarded-proto': 'https' } });
      }
    };
    const client = createClient({ url: ws, webSocketImpl: proxied, connectionParams: { authorization: `Bearer ${key}` }, retryAttempts: 0 });
    try {
      for await (const event of client.iterate<{ segmentationUpdated: { mask: { url: string } } }>({
        query: `subscription { segmentationUpdated(id: "${segmented.data.segmentAsset.id}") { mask { url } } }`,
      })) {
        assert.match(event.data!.segmentationUpdated.mask.url, /^https:\/\//);
      }
    } finally {
      await client.dispose();
    }
    assert.equal(errorCode(await http.query('{ viewer { id } }')), undefined);
  });
});
