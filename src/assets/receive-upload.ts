/**
 * Streams an incoming upload to a staging file while hashing it and counting bytes,
 * so a multi-megabyte image is never held in memory and the cap is enforced as it arrives.
 */
import { createHash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { Transform, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { AppError } from '../errors.js';

export interface ReceivedFile {
  sha256: string;
  byteSize: number;
}

/** True for the errors graphql-upload and busboy raise when a file exceeds maxFileSize. */
function isSizeLimitError(error: unknown): boolean {
  return (
    typeof error === 'object' &&
    error !== null &&
    (('status' in error && error.status === 413) || ('message' in error && /exceeds .*size limit/i.test(String(error.message))))
  );
}

/** Errors of the server's own disk (full, over quota, failing, read-only): never the client's fault. */
const SERVER_DISK_ERRORS = new Set(['ENOSPC', 'EDQUOT', 'EIO', 'EROFS']);

function serverDiskError(error: unknown): string | undefined {
  const code = typeof error === 'object' && error !== null && 'code' in error ? String(error.code) : undefined;
  return code && SERVER_DISK_ERRORS.has(code) ? code : undefined;
}

/**
 * Writes `source` to `path` (fsynced), returning its SHA-256 and size.
 * @throws AppError PAYLOAD_TOO_LARGE past `maxBytes`; STORAGE_UNAVAILABLE when the server's disk
 *   fails (ENOSPC and the like, on our staging file or graphql-upload's); BAD_USER_INPUT if the upload breaks off.
 */
export async function receiveUpload(source: Readable, path: string, maxBytes: number): Promise<ReceivedFile> {
  const hash = createHash('sha256');
  let byteSize = 0;
  const meter = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      byteSize += chunk.length;
      if (byteSize > maxBytes) {
        done(new AppError('PAYLOAD_TOO_LARGE', `Expected at most ${maxBytes} bytes but the upload is larger`, { details: { maxUploadBytes: maxBytes } }));
        return;
      }
      hash.update(chunk);
      done(null, chunk);
    },
  });
  try {
    await pipeline(source, meter, createWriteStream(path, { flags: 'wx' }));
  } catch (error) {
    if (error instanceof AppError) throw error;
    if (isSizeLimitError(error)) {
      throw new AppError('PAYLOAD_TOO_LARGE', `Expected at most ${maxBytes} bytes but the upload is larger`, {
        details: { maxUploadBytes: maxBytes },
        cause: error,
      });
    }
    const disk = serverDiskError(error);
    if (disk)
      throw new AppError('STORAGE_UNAVAILABLE', `The server could not store the upload (${disk}); try again later`, { details: { errno: disk }, cause: error });
    throw new AppError('BAD_USER_INPUT', 'The upload was interrupted before the file was complete', { cause: error });
  }
  const handle = await open(path, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
  return { sha256: hash.digest('hex'), byteSize };
}
