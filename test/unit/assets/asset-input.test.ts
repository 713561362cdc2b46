import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { decodeCursor, encodeCursor, parseAssetId, parseAssetName, parsePageSize, parseTags, parseThumbnailSize } from '../../../src/assets/asset-input.js';
import { AppError } from '../../../src/errors.js';

const ID = '01a213bc-f650-7154-8473-2f1937ab129f';

function rejects(run: () => unknown, field: string) {
  assert.throws(
    run,
    (error: unknown) =>
      error instanceof AppError && error.code === 'BAD_USER_INPUT' && error.details?.field === field && /Expected .* but received/.test(error.message),
  );
}

describe('asset input parsers', () => {
  test('ids must be UUIDs and are normalised to lower case', () => {
    assert.equal(parseAssetId(ID.toUpperCase()), ID);
    for (const bad of ['', '42', `${ID}x`, "' OR 1=1 --"]) rejects(() => parseAssetId(bad), 'id');
  });

  test('names are trimmed, 1–200 printable characters', () => {
    assert.equal(parseAssetName('  cat  '), 'cat');
    for (const bad of ['', '   ', 'x'.repeat(201), 'line\nbreak', 'nul\u0000']) rejects(() => parseAssetName(bad), 'name');
  });

  test('tags are trimmed and de-duplicated, at most 32 of 1–64 characters', () => {
    assert.deepEqual(parseTags([' a', 'b', 'a ', 'b']), ['a', 'b']);
    rejects(() => parseTags(Array.from({ length: 33 }, (_, i) => `t${i}`)), 'tags');
    rejects(() => parseTags(['']), 'tags');
    rejects(() => parseTags(['x'.repeat(65)]), 'tags');
    rejects(() => parseTags(['ok'], 'filter.tags').concat(parseTags(['\t'], 'filter.tags')), 'filter.tags');
  });

  test('page and thumbnail sizes are range-checked', () => {
    assert.equal(parsePageSize(100), 100);
    for (const bad of [0, 101, 2.5, -1]) rejects(() => parsePageSize(bad), 'first');
    assert.equal(parseThumbnailSize(512), 512);
    for (const bad of [0, 100, 2048]) rejects(() => parseThumbnailSize(bad), 'size');
  });

  test('a cursor round-trips its order, key and id', () => {
    const at = new Date('2026-11-25T10:00:00.123Z');
    assert.deepEqual(decodeCursor(encodeCursor('CREATED_AT_DESC', at, ID), 'CREATED_AT_DESC'), { order: 'CREATED_AT_DESC', value: at, id: ID });
    assert.deepEqual(decodeCursor(encodeCursor('BYTE_SIZE_ASC', 1234, ID), 'BYTE_SIZE_ASC').value, 1234);
    assert.deepEqual(decodeCursor(encodeCursor('NAME_ASC', 'cat', ID), 'NAME_ASC').value, 'cat');
  });

  test('malformed, foreign-order or type-confused cursors are refused', () => {
    const cursorFor = (payload: unknown) => Buffer.from(JSON.stringify(payload)).toString('base64url');
    rejects(() => decodeCursor('%%%', 'NAME_ASC'), 'after');
    rejects(() => decodeCursor(cursorFor({ o: 'NAME_ASC', v: 'a', id: 'nope' }), 'NAME_ASC'), 'after');
    rejects(() => decodeCursor(encodeCursor('NAME_ASC', 'cat', ID), 'NAME_DESC'), 'after');
    rejects(() => decodeCursor(cursorFor({ o: 'BYTE_SIZE_ASC', v: 'big', id: ID }), 'BYTE_SIZE_ASC'), 'after');
    rejects(() => decodeCursor(cursorFor({ o: 'CREATED_AT_ASC', v: 'yesterday', id: ID }), 'CREATED_AT_ASC'), 'after');
  });
});
