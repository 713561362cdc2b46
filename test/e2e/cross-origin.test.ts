/**
 * Another origin in the user's browser: a page served from a second local origin tries
 * `fetch` and `WebSocket` against the gateway, in API-key mode and in single-user mode, and
 * a rebound DNS name (Chromium maps evil.test to 127.0.0.1) asks the single-user gateway
 * directly. None of them gets data.
 */
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import type { Browser } from 'playwright-core';
import { BROWSER_SKIP, launchChromium } from '../helpers/chromium.js';
import { Client, uniqueJpeg } from '../helpers/client.js';
import { DATABASE_TARGETS } from '../helpers/database-targets.js';
import { startTestGateway, type TestGateway } from '../helpers/gateway.js';

/** What the attacker's page runs: every way it has to read the library, each result recorded. */
const ATTACK = (gateway: string, key: string | undefined) => `
  window.attack = (async () => {
    const results = {};
    const body = JSON.stringify({ query: '{ assets { totalCount edges { node { name } } } }' });
    const headers = { 'content-type': 'application/json', ...(${JSON.stringify(key ?? null)} ? { authorization: 'Bearer ${key ?? ''}' } : {}) };
    const attempt = async (name, run) => {
      try { results[name] = await run(); } catch (error) { results[name] = 'blocked: ' + error.name; }
    };
    await attempt('fetch json', async () => (await (await fetch('${gateway}/graphql', { method: 'POST', headers, body })).text()));
    await attempt('fetch simple', async () => (await (await fetch('${gateway}/graphql', { method: 'POST', headers: { 'content-type': 'text/plain' }, body })).text()));
    await attempt('fetch get', async () => (await (await fetch('${gateway}/graphql?query=' + encodeURIComponent('{ assets { totalCount } }'))).text()));
    await attempt('fetch no-cors', async () => (await (await fetch('${gateway}/graphql', { method: 'POST', mode: 'no-cors', body })).text()));
    await attempt('websocket', () => new Promise((resolve) => {
      const socket = new WebSocket('${gateway.replace('http', 'ws')}/graphql', 'graphql-transport-ws');
      let received = '';
      socket.onopen = () => socket.send(JSON.stringify({ type: 'connection_init', payload: ${key ? `{ authorization: 'Bearer ${key}' }` : '{}'} }));
      socket.onmessage = (event) => {
        received += event.data;
        const message = JSON.parse(event.data);
        if (message.type === 'connection_ack') socket.send(JSON.stringify({ id: '1', type: 'subscribe', payload: { query: 'query { assets { totalCount } }' } }));
      };
      socket.onclose = () => resolve('closed; received: ' + received);
      setTimeout(() => { socket.close(); resolve('timed out; received: ' + received); }, 5000);
    }));
    return results;
  })();`;

const target = DATABASE_TARGETS[0]!;

describe('pages on other origins in Chromium', { skip: BROWSER_SKIP }, () => {
  let browser: Browser;
  let attacker: Server;
  let attackerOrigin: string;
  let page = '';

  before(async () => {
    browser = await launchChromium(['--host-resolver-rules=MAP evil.test 127.0.0.1']);
    attacker = createServer((_request, response) => response.writeHead(200, { 'content-type': 'text/html' }).end(`<!doctype html><script>${page}</script>`));
    await new Promise<void>((resolve) => attacker.listen(0, '127.0.0.1', resolve));
    attackerOrigin = `http://127.0.0.1:${(attacker.address() as AddressInfo).port}`;
  });
  after(async () => {
    await browser?.close();
    await new Promise((resolve) => attacker?.close(resolve));
  });

  /** Runs the attack page against `gateway` and returns what each attempt got. */
  async function attackFrom(origin: string, gateway: string, key: string | undefined): Promise<Record<string, string>> {
    page = ATTACK(gateway, key);
    const context = await browser.newContext();
    try {
      const tab = await context.newPage();
      await tab.goto(`${origin}/`);
      return await tab.evaluate<Record<string, string>>('window.attack');
    } finally {
      await context.close();
    }
  }

  for (const mode of ['api-key', 'single-user'] as const) {
    describe(`a gateway in ${mode} mode`, () => {
      let gateway: TestGateway;
      let key: string | undefined;

      before(async () => {
        gateway = await startTestGateway(target, mode === 'single-user' ? { AUTH_MODE: 'single-user' } : {});
        // A library with something to steal, named so a leak is easy to spot.
        const owner = mode === 'api-key' ? (await gateway.newOwner('victim')).key : undefined;
        key = owner;
        const uploaded = await new Client(gateway.url, owner).upload(await uniqueJpeg(), { name: 'secret-holiday.jpg', selection: 'id' });
        assert.equal(uploaded.errors, undefined, JSON.stringify(uploaded.errors));
      });
      after(() => gateway?.dispose());

      test('a page on another origin reads nothing, with or without the key', async () => {
        // Even a page that somehow knows the key (the worst case) must not read through the browser.
        for (const guessed of mode === 'api-key' ? [undefined, key] : [undefined]) {
          const results = await attackFrom(attackerOrigin, gateway.url, guessed);
          assert.equal(Object.keys(results).length, 5, JSON.stringify(results));
          for (const [attempt, result] of Object.entries(results)) {
            assert.doesNotMatch(result, /secret-holiday|totalCount/, `${attempt} leaked: ${result}`);
          }
          assert.match(results.websocket!, /^closed; received: $/, 'the WebSocket upgrade is refused');
        }
      });

      if (mode === 'single-user') {
        test('a rebound DNS name gets 403 for the page, the API and the WebSocket', async () => {
          const rebound = `http://evil.test:${new URL(gateway.url).port}`;
          const context = await browser.newContext();
          try {
            const tab = await context.newPage();
            const response = await tab.goto(`${rebound}/graphql?query=${encodeURIComponent('{ assets { totalCount edges { node { name } } } }')}`);
            assert.equal(response?.status(), 403);
            assert.doesNotMatch(await tab.content(), /secret-holiday/);
          } finally {
            await context.close();
          }
          // The attacker's page under the rebound name, same origin as the gateway would be.
          const results = await attackFrom(attackerOrigin, rebound, undefined);
          for (const [attempt, result] of Object.entries(results)) assert.doesNotMatch(result, /secret-holiday|totalCount/, `${attempt} leaked: ${result}`);
        });
      }
    });
  }
});
