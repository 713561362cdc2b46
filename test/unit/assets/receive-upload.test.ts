import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { test } from 'node:test';
import { receiveUpload } from '../../../src/assets/receive-upload.js';
import { isAppError } from '../../../src/errors.js';

/** A stream that sends some bytes, then fails as graphql-upload's buffer file does when its write fails. */
function failingUpload(error: Error): Readable {
  let sent = false;
  return new Readable({
    read() {
      if (sent) this.destroy(error);
      else {
        sent = true;
        this.push(Buffer.alloc(1024, 7));
      }
    },
  });
}

test('a full disk is the server’s condition (STORAGE_UNAVAILABLE naming ENOSPC), a client that breaks off is BAD_USER_INPUT', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'maskgraph-receive-'));
  try {
    const full = Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
    await assert.rejects(
      receiveUpload(failingUpload(full), join(dir, 'a.part'), 1_000_000),
      (error) => isAppError(error) && error.code === 'STORAGE_UNAVAILABLE' && /ENOSPC/.test(error.message),
      'STORAGE_UNAVAILABLE naming ENOSPC',
    );
    const aborted = Object.assign(new Error('Request disconnected during file upload stream parsing.'), { code: 'ECONNRESET' });
    await assert.rejects(
      receiveUpload(failingUpload(aborted), join(dir, 'b.part'), 1_000_000),
      (error) => isAppError(error) && error.code === 'BAD_USER_INPUT',
      'BAD_USER_INPUT for a broken-off upload',
    );
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
