import assert from 'node:assert/strict';
import { mkdtemp, readdir, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { FileBlobStore, sha256Hex } from '../../../src/storage/blob-store.js';

async function readAll(stream: NodeJS.ReadableStream): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

describe('FileBlobStore', () => {
  test('stores bytes under their sha256 once, and reads them back', async () => {
    const root = await mkdtemp(join(tmpdir(), 'blobs-'));
    const store = await FileBlobStore.open(root);
    const bytes = Buffer.from('the same bytes');
    const first = await store.put(bytes);
    const second = await store.put(Buffer.from(bytes));
    assert.deepEqual(first, { sha256: sha256Hex(bytes), byteSize: bytes.length });
    assert.deepEqual(second, first);
    assert.deepEqual(await readAll(store.read(first.sha256)), bytes);
    assert.equal(await store.size(first.sha256), bytes.length);
    const listed = [];
    for await (const blob of store.list()) listed.push(blob.sha256);
    assert.deepEqual(listed, [first.sha256]);
    assert.deepEqual(await readdir(join(root, 'tmp')), [], 'no staging file remains');
  });

  test('moves a staged file into place and drops the duplicate staging copy', async () => {
    const store = await FileBlobStore.open(await mkdtemp(join(tmpdir(), 'blobs-')));
    const bytes = Buffer.from('staged');
    for (let i = 0; i < 2; i += 1) {
      const staged = store.tempPath();
      await writeFile(staged, bytes);
      await store.putFile(staged, sha256Hex(bytes));
    }
    assert.equal(await store.has(sha256Hex(bytes)), true);
    await store.delete(sha256Hex(bytes));
    assert.equal(await store.has(sha256Hex(bytes)), false);
  });

  test('refuses names that are not a sha256, so no path can escape the store', async () => {
    const store = await FileBlobStore.open(await mkdtemp(join(tmpdir(), 'blobs-')));
    assert.throws(() => store.read('../../etc/passwd'), /Not a sha256/);
  });

  test('removes only staging files older than the given age', async () => {
    const root = await mkdtemp(join(tmpdir(), 'blobs-'));
    const store = await FileBlobStore.open(root);
    const old = store.tempPath();
    const fresh = store.tempPath();
    await writeFile(old, 'x');
    await writeFile(fresh, 'y');
    const hourAgo = new Date(Date.now() - 3_600_000);
    await utimes(old, hourAgo, hourAgo);
    assert.equal(await store.removeStaleTempFiles(60_000), 1);
    assert.deepEqual(await readdir(join(root, 'tmp')), [fresh.split('/').pop()]);
  });
});
