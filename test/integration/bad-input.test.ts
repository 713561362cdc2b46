/**
 * Hostile and broken input: each case gets its error code, the server keeps serving,
 * and no row, blob or staging file is left behind.
 */
import assert from 'node:assert/strict';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { Client, errorCode, fixturePath, sendFile, type GraphQLResponse } from '../helpers/client.js';
import { DATABASE_TARGETS } from '../helpers/database-targets.js';
import { listBlobFiles, startTestGateway, type TestGateway } from '../helpers/gateway.js';
import { pngDeclaring } from '../helpers/masks.js';

const MAX_UPLOAD_BYTES = 400_000;

for (const target of DATABASE_TARGETS) {
  describe(`bad input on ${target.name}`, { skip: target.skipReason }, () => {
    let gateway: TestGateway;
    let client: Client;

    before(async () => {
      gateway = await startTestGateway(target, { MAX_UPLOAD_BYTES: String(MAX_UPLOAD_BYTES), MAX_INPUT_PIXELS: '40000000' });
      client = new Client(gateway.url, (await gateway.newOwner('mallory')).key);
      const seeded = await client.upload(fixturePath('cat-chelsea.png'));
      assert.equal(seeded.errors, undefined);
    });
    after(() => gateway?.dispose());

    /** Runs a bad request and checks its code and that storage is exactly as before. */
    async function expectRefused(code: string, send: () => Promise<GraphQLResponse>): Promise<GraphQLResponse> {
      const count = async () => (await client.query('{ assets { totalCount } }')).data.assets.totalCount as number;
      const rowsBefore = await count();
      const blobsBefore = await listBlobFiles(gateway.config);
      const response = await send();
      assert.equal(errorCode(response), code, JSON.stringify(response));
      assert.ok(response.errors![0]!.message.length > 10, 'a readable message');
      assert.equal(await count(), rowsBefore, 'no row added');
      assert.deepEqual(await listBlobFiles(gateway.config), blobsBefore, 'no blob added or removed');
      assert.deepEqual(await readdir(join(gateway.config.blobDir, 'tmp')), [], 'no staging file left');
      const health = await fetch(`${gateway.url}/healthz`);
      assert.equal(health.status, 200, 'still serving');
      return response;
    }

    /** A raw POST to /graphql with this key, answered in the GraphQLResponse shape. */
    async function post(body: string | FormData, headers: Record<string, string> = { 'content-type': 'application/json' }): Promise<GraphQLResponse> {
      const response = await fetch(`${gateway.url}/graphql`, { method: 'POST', headers: { authorization: `Bearer ${client.key}`, ...headers }, body });
      return { status: response.status, ...((await response.json()) as object) };
    }
    /** The CLI's control route (embedded gateways only): a caller without the token from DATA_DIR. */
    const control = async (body: string, authorization?: string): Promise<GraphQLResponse> => {
      const response = await fetch(`${gateway.url}/control/keys`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(authorization ? { authorization } : {}) },
        body,
      });
      return { status: response.status, ...((await response.json()) as object) };
    };
    const controlRefusal: [string, number] = target.name === 'pglite' ? ['FORBIDDEN', 403] : ['NOT_FOUND', 404];
    const multipart = (map: string, files: number) => {
      const form = new FormData();
      form.append('operations', JSON.stringify({ query: 'mutation($f: Upload!) { uploadAsset(file: $f) { id } }', variables: { f: null } }));
      form.append('map', map);
      for (let k = 0; k < files; k += 1) form.append(String(k), new Blob([Buffer.from('not an image')]), `${k}.png`);
      return post(form, { 'apollo-require-preflight': 'true' });
    };
    const unknownId = '01234567-89ab-7def-8123-456789abcdef';

    /** Malformed GraphQL, forged arguments and abusive bodies: [what, expected code, HTTP status, request]. */
    const HOSTILE: [string, string, number, () => Promise<GraphQLResponse>][] = [
      ['an empty body', 'BAD_REQUEST', 400, () => post('')],
      ['a body that is not JSON', 'BAD_USER_INPUT', 400, () => post('{nope')],
      ['a batch (array of operations)', 'BAD_REQUEST', 400, () => post(JSON.stringify([{ query: '{ viewer { id } }' }, { query: '{ viewer { id } }' }]))],
      ['a query that is a number', 'BAD_REQUEST', 400, () => post(JSON.stringify({ query: 42 }))],
      ['variables as a string', 'BAD_REQUEST', 400, () => post(JSON.stringify({ query: '{ viewer { id } }', variables: '{}' }))],
      ['an unknown operationName', 'OPERATION_RESOLUTION_FAILURE', 400, () => post(JSON.stringify({ query: 'query A { viewer { id } }', operationName: 'B' }))],
      [
        'two operations and no name',
        'OPERATION_RESOLUTION_FAILURE',
        400,
        () => post(JSON.stringify({ query: 'query A { viewer { id } } query B { viewer { id } }' })),
      ],
      [
        'a text/plain body (a cross-site form)',
        'BAD_REQUEST',
        400,
        () => post(JSON.stringify({ query: '{ viewer { id } }' }), { 'content-type': 'text/plain' }),
      ],
      ['a 2 MB JSON body', 'PAYLOAD_TOO_LARGE', 413, () => post(JSON.stringify({ query: '{ viewer { id } }', variables: { x: 'y'.repeat(2_000_000) } }))],
      ['a syntax error', 'GRAPHQL_PARSE_FAILED', 400, () => client.query('{ viewer { id }')],
      ['a float for an Int', 'GRAPHQL_VALIDATION_FAILED', 400, () => client.query('{ assets(first: 1.5) { totalCount } }')],
      ['an unknown enum value', 'GRAPHQL_VALIDATION_FAILED', 400, () => client.query('{ assets(orderBy: NOPE) { totalCount } }')],
      ['a negative page size', 'BAD_USER_INPUT', 200, () => client.query('{ assets(first: -1) { totalCount } }')],
      ['a page size of 0', 'BAD_USER_INPUT', 200, () => client.query('{ assets(first: 0) { totalCount } }')],
      ['a page size past Int (cost)', 'QUERY_TOO_COMPLEX', 400, () => client.query('{ assets(first: 99999999999) { totalCount } }')],
      [
        'a 100 kB filter string',
        'BAD_USER_INPUT',
        200,
        () => client.query('query($n: String) { assets(filter: { nameContains: $n }) { totalCount } }', { n: 'x'.repeat(100_000) }),
      ],
      ['a path as a segmentation id', 'BAD_USER_INPUT', 200, () => client.query('{ segmentation(id: "../../etc/passwd") { id } }')],
      ['an unknown segmentation', 'NOT_FOUND', 200, () => client.query(`{ segmentation(id: "${unknownId}") { id } }`)],
      [
        'an effect of an unknown segmentation',
        'NOT_FOUND',
        200,
        () => client.query(`{ segmentation(id: "${unknownId}") { effect(input: { mask: {} }) { id } } }`),
      ],
      [
        'NaN as a strength',
        'BAD_USER_INPUT',
        400,
        () =>
          client.query(`query($s: Float) { segmentation(id: "${unknownId}") { effect(input: { backgroundBlur: { strength: $s } }) { id } } }`, { s: 'NaN' }),
      ],
      ['an empty name', 'BAD_USER_INPUT', 200, () => client.query(`mutation { updateAsset(id: "${unknownId}", input: { name: "" }) { id } }`)],
      [
        'a two-minute-plus wait',
        'BAD_USER_INPUT',
        200,
        () => client.query(`mutation { segmentAsset(input: { assetId: "${unknownId}", wait: true, waitTimeoutMs: 99999999 }) { id } }`),
      ],
      [
        'the flat effect input of 0.1 (kind: …)',
        'GRAPHQL_VALIDATION_FAILED',
        400,
        () => client.query(`{ segmentation(id: "${unknownId}") { effect(input: { kind: BACKGROUND_BLUR, strength: 0.5 }) { id } } }`),
      ],
      [
        'two effect kinds in one input',
        'GRAPHQL_VALIDATION_FAILED',
        400,
        () => client.query(`{ segmentation(id: "${unknownId}") { effect(input: { mask: {}, cutout: {} }) { id } } }`),
      ],
      [
        'an effect kind given as null',
        'BAD_USER_INPUT',
        400,
        () => client.query(`query($e: EffectInput!) { segmentation(id: "${unknownId}") { effect(input: $e) { id } } }`, { e: { mask: null } }),
      ],
      [
        'a renderEffect for an unknown segmentation',
        'NOT_FOUND',
        200,
        () => client.query(`mutation { renderEffect(segmentationId: "${unknownId}", input: { cutout: {} }) { status } }`),
      ],
      [
        'a ground truth for an unknown asset',
        'NOT_FOUND',
        200,
        () => sendFile(client, 'mutation($id: ID!, $m: Upload!) { setGroundTruth(assetId: $id, mask: $m) { id } }', { id: unknownId }, 'm', Buffer.from('x')),
      ],
      ['a multipart map to a variable that does not exist', 'BAD_USER_INPUT', 400, () => multipart('{"0":["variables.nope"]}', 1)],
      ['a multipart map without its file', 'BAD_USER_INPUT', 200, () => multipart('{"0":["variables.f"]}', 0)],
      ['two files for one upload', 'PAYLOAD_TOO_LARGE', 413, () => multipart('{"0":["variables.f"],"1":["variables.f"]}', 2)],
      ['a multipart map that is not JSON', 'BAD_USER_INPUT', 400, () => multipart('{nope', 1)],
      ['a key request to the control route without its token', ...controlRefusal, () => control(JSON.stringify({ action: 'create', name: 'intruder' }))],
      ['a key request with an API key as its token', ...controlRefusal, () => control(JSON.stringify({ action: 'list' }), `Bearer ${client.key}`)],
      ['a key request with a forged control token', ...controlRefusal, () => control(JSON.stringify({ action: 'list' }), `Control ${'A'.repeat(43)}`)],
      [
        'a 2 MB body to the control route (refused before it is read)',
        ...controlRefusal,
        () => control(JSON.stringify({ action: 'create', name: 'x'.repeat(2_000_000) })),
      ],
    ];

    test(`${HOSTILE.length} hostile requests each get their client code, leave nothing behind, and memory stays bounded`, async () => {
      const rssBefore = process.memoryUsage().rss;
      for (const [what, code, status, send] of HOSTILE) {
        const response = await expectRefused(code, send).catch((error: Error) => {
          throw new Error(`${what}: ${error.message}`);
        });
        assert.equal(response.status, status, `${what}: HTTP ${response.status}`);
      }
      const grownMb = (process.memoryUsage().rss - rssBefore) / 1e6;
      assert.ok(grownMb < 200, `the process grew ${grownMb.toFixed(0)} MB over the hostile requests`);
    });

    test('a truncated JPEG is UNSUPPORTED_MEDIA_TYPE', async () => {
      const jpeg = await readFile(fixturePath('flower.jpg'));
      await expectRefused('UNSUPPORTED_MEDIA_TYPE', () => client.upload(jpeg.subarray(0, Math.floor(jpeg.length / 2)), { filename: 'half.jpg' }));
    });

    test('a corrupt JPEG body is UNSUPPORTED_MEDIA_TYPE', async () => {
      const jpeg = Buffer.from(await readFile(fixturePath('rocket.jpg')));
      jpeg.fill(0xff, 2000, 60_000);
      await expectRefused('UNSUPPORTED_MEDIA_TYPE', () => client.upload(jpeg, { filename: 'corrupt.jpg' }));
    });

    test('a text file named .jpg is UNSUPPORTED_MEDIA_TYPE', async () => {
      await expectRefused('UNSUPPORTED_MEDIA_TYPE', () => client.upload(Buffer.from('hello, I am not a photo\n'.repeat(50)), { filename: 'photo.jpg' }));
    });

    test('an SVG (a format sharp reads but we do not accept) is UNSUPPORTED_MEDIA_TYPE', async () => {
      const svg = Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" width="64" height="64"><rect width="64" height="64"/></svg>');
      await expectRefused('UNSUPPORTED_MEDIA_TYPE', () => client.upload(svg, { filename: 'x.png' }));
    });

    test('an empty file is UNSUPPORTED_MEDIA_TYPE', async () => {
      await expectRefused('UNSUPPORTED_MEDIA_TYPE', () => client.upload(Buffer.alloc(0), { filename: 'empty.jpg' }));
    });

    test('a PNG declaring 100000×100000 pixels is PAYLOAD_TOO_LARGE', async () => {
      const response = await expectRefused('PAYLOAD_TOO_LARGE', () => client.upload(pngDeclaring(100_000, 100_000), { filename: 'bomb.png' }));
      assert.match(response.errors![0]!.message, /100000×100000/);
    });

    test('an upload over MAX_UPLOAD_BYTES is PAYLOAD_TOO_LARGE', async () => {
      await expectRefused('PAYLOAD_TOO_LARGE', () => client.upload(fixturePath('astronaut.png')));
    });

    test('an upload without the CSRF preflight header is refused before it is read', async () => {
      const response = await expectRefused('BAD_USER_INPUT', () => client.upload(fixturePath('flower.jpg'), { headers: {} }));
      assert.equal(response.status, 400);
      assert.match(response.errors![0]!.message, /Apollo-Require-Preflight/);
    });

    test('invalid tags and names are BAD_USER_INPUT naming the field', async () => {
      const tooMany = Array.from({ length: 40 }, (_, index) => `t${index}`);
      const response = await expectRefused('BAD_USER_INPUT', () => client.upload(fixturePath('flower.jpg'), { tags: tooMany }));
      assert.equal(response.errors![0]!.extensions!.details!.field, 'tags');
      await expectRefused('BAD_USER_INPUT', () => client.upload(fixturePath('flower.jpg'), { name: '   ' }));
      await expectRefused('BAD_USER_INPUT', () => client.upload(fixturePath('flower.jpg'), { tags: ['x'.repeat(65)] }));
    });

    test('a missing or wrong API key is UNAUTHENTICATED', async () => {
      const anonymous = client.withKey(undefined);
      const missing = await expectRefused('UNAUTHENTICATED', () => anonymous.query('{ viewer { id } }'));
      assert.equal(missing.status, 401);
      await expectRefused('UNAUTHENTICATED', () => client.withKey(`mg_${'A'.repeat(43)}`).query('{ viewer { id } }'));
      await expectRefused('UNAUTHENTICATED', () => client.withKey('not-a-key').upload(fixturePath('flower.jpg')));
    });

    test('unknown ids are NOT_FOUND and malformed ids BAD_USER_INPUT', async () => {
      const unknown = '01234567-89ab-7def-8123-456789abcdef';
      await expectRefused('NOT_FOUND', () => client.query('query($id: ID!) { asset(id: $id) { id } }', { id: unknown }));
      await expectRefused('NOT_FOUND', () => client.query('mutation($id: ID!) { updateAsset(id: $id, input: { name: "x" }) { id } }', { id: unknown }));
      await expectRefused('NOT_FOUND', () => client.query('mutation($id: ID!) { deleteAsset(id: $id) { id } }', { id: unknown }));
      await expectRefused('BAD_USER_INPUT', () => client.query('{ asset(id: "42; DROP TABLE") { id } }'));
    });

    test('malformed cursors, page sizes and thumbnail sizes are BAD_USER_INPUT', async () => {
      await expectRefused('BAD_USER_INPUT', () => client.query('{ assets(after: "bm90IGEgY3Vyc29y") { totalCount } }'));
      await expectRefused('BAD_USER_INPUT', () => client.query('{ assets(after: "%%%") { totalCount } }'));
      const page = await client.query('{ assets(first: 1, orderBy: NAME_ASC) { pageInfo { endCursor } } }');
      const cursor = page.data.assets.pageInfo.endCursor;
      await expectRefused('BAD_USER_INPUT', () =>
        client.query('query($c: String) { assets(after: $c, orderBy: BYTE_SIZE_ASC) { totalCount } }', { c: cursor }),
      );
      await expectRefused('BAD_USER_INPUT', () => client.query('{ assets(first: 1000) { totalCount } }'));
      await expectRefused('BAD_USER_INPUT', () => client.query('{ assets(first: 1) { edges { node { thumbnail(size: 100) } } } }'));
    });

    test('a variable of the wrong type is BAD_USER_INPUT (400) naming the variable', async () => {
      const response = await expectRefused('BAD_USER_INPUT', () => client.query('query($n: Int) { assets(first: $n) { totalCount } }', { n: 'x' }));
      assert.equal(response.status, 400);
      assert.match(response.errors![0]!.message, /\$n/);
    });

    test('a NUL byte or a control character in a filter is BAD_USER_INPUT naming the field, wherever an AssetFilter is taken', async () => {
      const takers = [
        (filter: string) => `query($t: String!) { assets(filter: ${filter}) { totalCount } }`,
        (filter: string) => `query($t: String!) { correctionStats(filter: ${filter}) { model } }`,
        (filter: string) => `mutation($t: String!) { evaluateModels(input: { models: ["isnet-general-q8"], filter: ${filter} }) { id } }`,
      ];
      for (const [index, taker] of takers.entries()) {
        const prefix = index === 2 ? 'input.' : '';
        for (const [filter, field] of [
          ['{ nameContains: $t }', 'filter.nameContains'],
          ['{ mimeType: $t }', 'filter.mimeType'],
          ['{ tags: [$t] }', 'filter.tags'],
        ] as const) {
          // A NUL is refused at the edge, in whichever variable it came (string-hygiene.ts); other
          // control characters by the filter's own check, which names the argument.
          for (const [text, named] of [
            ['a\u0000b', 'variables.t'],
            ['line\nbreak', prefix + field],
          ]) {
            const response = await expectRefused('BAD_USER_INPUT', () => client.query(taker(filter), { t: text }));
            assert.equal(response.errors![0]!.extensions!.details!.field, named, taker(filter));
          }
        }
      }
    });

    test('forged cursors with values no row can have are BAD_USER_INPUT naming after', async () => {
      const id = '01234567-89ab-7def-8123-456789abcdef';
      const forge = (o: string, v: unknown) => Buffer.from(JSON.stringify({ o, v, id })).toString('base64url');
      for (const [order, value] of [
        ['BYTE_SIZE_ASC', 1e300],
        ['BYTE_SIZE_DESC', 2 ** 31],
        ['BYTE_SIZE_ASC', -1],
        ['CREATED_AT_DESC', '+275760-09-13T00:00:00.000Z'],
        ['CREATED_AT_ASC', '-000001-01-01T00:00:00.000Z'],
        ['NAME_ASC', 'a\u0000b'],
        ['NAME_DESC', 'x'.repeat(5000)],
      ] as const) {
        const response = await expectRefused('BAD_USER_INPUT', () =>
          client.query(`query($c: String) { assets(after: $c, orderBy: ${order}) { totalCount } }`, { c: forge(order, value) }),
        );
        assert.equal(response.errors![0]!.extensions!.details!.field, 'after', `${order} ${String(value).slice(0, 20)}`);
      }
    });

    test('wrong argument types are GRAPHQL_VALIDATION_FAILED', async () => {
      await expectRefused('GRAPHQL_VALIDATION_FAILED', () => client.query('{ assets(first: "ten") { totalCount } }'));
      await expectRefused('GRAPHQL_VALIDATION_FAILED', () => client.query('{ assets { nope } }'));
    });

    test('a query nested 50 levels deep is QUERY_TOO_COMPLEX', async () => {
      // The schema has no cycles, so a hostile deep query is also invalid; the depth
      // limit must still be what answers it, before any field is looked at.
      const query = `{ ${'assets { edges { node { '.repeat(17)} id ${'} } } '.repeat(17)} }`;
      const response = await expectRefused('QUERY_TOO_COMPLEX', () => client.query(query));
      assert.match(response.errors![0]!.message, /depth/i);
    });

    test('a query with 1000 aliases is QUERY_TOO_COMPLEX', async () => {
      const aliases = Array.from({ length: 1000 }, (_, index) => `a${index}: viewer { id }`).join(' ');
      await expectRefused('QUERY_TOO_COMPLEX', () => client.query(`{ ${aliases} }`));
      const fewerButMany = Array.from({ length: 40 }, (_, index) => `a${index}: viewer { id }`).join(' ');
      await expectRefused('QUERY_TOO_COMPLEX', () => client.query(`{ ${fewerButMany} }`));
    });
  });
}
