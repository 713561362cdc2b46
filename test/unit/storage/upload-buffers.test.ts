import assert from 'node:assert/strict';
import { mkdtemp, readdir, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { removeStaleUploadBuffers } from '../../../src/storage/blob-gc.js';

test("graphql-upload's buffer files left by a crash are swept after the grace period; fresh ones and other files stay", async () => {
  const dir = await mkdtemp(join(tmpdir(), 'maskgraph-buffers-'));
  try {
    const hourAgo = new Date(Date.now() - 2 * 3600_000);
    for (const name of ['capacitor-0a1b2c.tmp', 'capacitor-ff00.tmp', 'notes.tmp', 'capacitor-0fe501.tmp']) await writeFile(join(dir, name), 'bytes');
    for (const name of ['capacitor-0a1b2c.tmp', 'capacitor-ff00.tmp', 'notes.tmp']) await utimes(join(dir, name), hourAgo, hourAgo);
    assert.equal(await removeStaleUploadBuffers(3600_000, dir), 2, 'the two old buffers');
    assert.deepEqual((await readdir(dir)).sort(), ['capacitor-0fe501.tmp', 'notes.tmp'], 'a buffer in use and a file that is not a buffer stay');
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
