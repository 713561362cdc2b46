/**
 * What a frontend on another origin meets: CORS on /graphql and file routes for listed
 * origins only (preflights included), queries over GET with the CSRF header, mutations never
 * over GET, and Apollo's automatic persisted queries over GET.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { Client, uniqueJpeg } from '../helpers/client.js';
import { DATABASE_TARGETS } from '../helpers/database-targets.js';
import { startTestGateway, type TestGateway } from '../helpers/gateway.js';

const LISTED = 'http://app.example:5173';
const UNLISTED = 'http://evil.example';

describe('CORS and GET for frontends', () => {
  let gateway: TestGateway;
  let key: string;

  before(async () => {
    gateway = await startTestGateway(DATABASE_TARGETS[0]!, { ALLOWED_ORIGINS: LISTED });
    key = (await gateway.newOwner('frontend')).key;
  });
  after(() => gateway?.dispose());

  const preflight = (path: string, origin: string, method = 'POST') =>
    fetch(`${gateway.url}${path}`, {
      method: 'OPTIONS',
      headers: { origin, 'access-control-request-method': method, 'access-control-request-headers': 'authorization,content-type,apollo-require-preflight' },
    });

  test('a listed origin passes the preflight of POST /graphql with the headers a client sends', async () => {
    const response = await preflight('/graphql', LISTED);
    assert.equal(response.status, 204);
    assert.equal(response.headers.get('access-control-allow-origin'), LISTED);
    assert.match(response.headers.get('access-control-allow-headers') ?? '', /Authorization/);
    assert.match(response.headers.get('access-control-allow-headers') ?? '', /Apollo-Require-Preflight/);
    assert.equal(response.headers.get('access-control-allow-credentials'), null, 'bearer keys need no credentials mode');
    assert.match(response.headers.get('vary') ?? '', /Origin/);
  });

  test('an unlisted origin gets no grant: preflight 403, and no Access-Control-Allow-Origin on answers', async () => {
    const refused = await preflight('/graphql', UNLISTED);
    assert.equal(refused.status, 403);
    assert.equal(refused.headers.get('access-control-allow-origin'), null);
    const answered = await fetch(`${gateway.url}/graphql`, {
      method: 'POST',
      headers: { origin: UNLISTED, 'content-type': 'application/json', authorization: `Bearer ${key}` },
      body: JSON.stringify({ query: '{ viewer { id } }' }),
    });
    assert.equal(answered.headers.get('access-control-allow-origin'), null, 'the browser will not hand the answer to the page');
  });

  test('file URLs answer CORS to a listed origin, so a canvas that draws them is not tainted', async () => {
    const client = new Client(gateway.url, key);
    const uploaded = await client.upload(await uniqueJpeg(), { selection: 'id thumbnail(size: 64)' });
    const url = (uploaded.data!.uploadAsset as { thumbnail: string }).thumbnail;
    const listed = await fetch(url, { headers: { origin: LISTED } });
    assert.equal(listed.status, 200);
    assert.equal(listed.headers.get('access-control-allow-origin'), LISTED);
    const unlisted = await fetch(url, { headers: { origin: UNLISTED } });
    assert.equal(unlisted.headers.get('access-control-allow-origin'), null);
    assert.equal((await preflight(new URL(url).pathname + new URL(url).search, LISTED, 'GET')).status, 204);
  });

  test('queries run over GET with the CSRF header, are refused without it, and mutations never run over GET', async () => {
    const get = (query: string, headers: Record<string, string>) =>
      fetch(`${gateway.url}/graphql?query=${encodeURIComponent(query)}`, { headers: { authorization: `Bearer ${key}`, origin: LISTED, ...headers } });
    const allowed = await get('{ viewer { name } }', { 'apollo-require-preflight': 'true' });
    assert.equal(allowed.status, 200);
    assert.deepEqual(await allowed.json(), { data: { viewer: { name: 'frontend' } } });
    assert.equal(allowed.headers.get('access-control-allow-origin'), LISTED);
    const blocked = await get('{ viewer { name } }', {});
    assert.equal(blocked.status, 400, 'a GET without the header could come from any page (CSRF)');
    const mutation = await get('mutation { deleteAsset(id: "00000000-0000-0000-0000-000000000000") { id } }', { 'apollo-require-preflight': 'true' });
    assert.equal(mutation.status, 405);
  });

  test('automatic persisted queries over GET: unknown hash, then registered, then by hash alone', async () => {
    const query = '{ limits { maxUploadBytes } }';
    const extensions = JSON.stringify({ persistedQuery: { version: 1, sha256Hash: createHash('sha256').update(query).digest('hex') } });
    const byHash = () =>
      fetch(`${gateway.url}/graphql?extensions=${encodeURIComponent(extensions)}`, {
        headers: { authorization: `Bearer ${key}`, 'apollo-require-preflight': 'true' },
      }).then((response) => response.json() as Promise<{ data?: unknown; errors?: { extensions: { code: string } }[] }>);
    assert.equal((await byHash()).errors?.[0]?.extensions.code, 'PERSISTED_QUERY_NOT_FOUND');
    const registered = await fetch(`${gateway.url}/graphql?query=${encodeURIComponent(query)}&extensions=${encodeURIComponent(extensions)}`, {
      headers: { authorization: `Bearer ${key}`, 'apollo-require-preflight': 'true' },
    });
    assert.equal(registered.status, 200);
    const answered = await byHash();
    assert.equal(answered.errors, undefined, JSON.stringify(answered));
    assert.deepEqual(answered.data, { limits: { maxUploadBytes: gateway.config.maxUploadBytes } });
  });
});

describe('CORS in single-user mode', () => {
  let gateway: TestGateway;
  before(async () => (gateway = await startTestGateway(DATABASE_TARGETS[0]!, { AUTH_MODE: 'single-user' })));
  after(() => gateway?.dispose());

  test('grants no other origin', async () => {
    const response = await fetch(`${gateway.url}/graphql`, {
      method: 'OPTIONS',
      headers: { origin: UNLISTED, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type' },
    });
    assert.equal(response.status, 403);
    assert.equal(response.headers.get('access-control-allow-origin'), null);
  });
});
