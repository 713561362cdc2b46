/**
 * Hostile and broken input: each case gets its error code, the server keeps serving,
 * and no row, blob or staging file is left behind.
 */
import assert from 'node:assert/strict';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { crc32 } from 'node:zlib';
import { after, before, describe, test } from 'node:test';
import { Client, errorCode, fixturePath, type GraphQLResponse } from '../helpers/client.js';
import { DATABASE_TARGETS } from '../helpers/database-targets.js';
import { listBlobFiles, startTestGateway, type TestGateway } from '../helpers/gateway.js';

/** A valid PNG header declaring width × height pixels, followed by a token of image data. */
function pngDeclaring(width: number, height: number): Buffer {
  const chunk = (type: string, data: Buffer) => {
    const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
    const length = Buffer.alloc(4);
    length.writeUInt32BE(data.length);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(body));
    return Buffer.concat([length, body, crc]);
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([8, 2, 0, 0, 0], 8); // 8-bit RGB, deflate, no filter, no interlace
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', Buffer.from([0x78, 0x9c, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01])),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

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
      await expectRefused('BAD_USER_INPUT', () => client.query('query($c: String) { assets(after: $c, orderBy: BYTE_SIZE_ASC) { totalCount } }', { c: cursor }));
      await expectRefused('BAD_USER_INPUT', () => client.query('{ assets(first: 1000) { totalCount } }'));
      await expectRefused('BAD_USER_INPUT', () => client.query('{ assets(first: 1) { edges { node { thumbnail(size: 100) } } } }'));
    });

    test('a variable of the wrong type is BAD_USER_INPUT (400) naming the variable', async () => {
      const response = await expectRefused('BAD_USER_INPUT', () => client.query('query($n: Int) { assets(first: $n) { totalCount } }', { n: 'x' }));
      assert.equal(response.status, 400);
      assert.match(response.errors![0]!.message, /\$n/);
    });

    test('a NUL byte or a control character in a filter is BAD_USER_INPUT naming the field', async () => {
      for (const [filter, field] of [['{ nameContains: $t }', 'filter.nameContains'], ['{ mimeType: $t }', 'filter.mimeType'], ['{ tags: [$t] }', 'filter.tags']] as const) {
        for (const text of ['a\u0000b', 'line\nbreak']) {
          const response = await expectRefused('BAD_USER_INPUT', () => client.query(`query($t: String!) { assets(filter: ${filter}) { totalCount } }`, { t: text }));
          assert.equal(response.errors![0]!.extensions!.details!.field, field);
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
        const response = await expectRefused('BAD_USER_INPUT', () => client.query(`query($c: String) { assets(after: $c, orderBy: ${order}) { totalCount } }`, { c: forge(order, value) }));
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
