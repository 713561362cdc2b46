/**
 * Content-addressed blob storage. Blobs are keyed by the SHA-256 of their bytes, so
 * identical bytes are stored once. The interface is small on purpose: this file's local
 * files and the S3 store (s3-blob-store.ts) implement it, and callers never ask which.
 */
import { createHash, randomUUID } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, open, readdir, rename, rm, stat, utimes } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { Readable } from 'node:stream';

export interface BlobInfo {
  sha256: string;
  byteSize: number;
}

export interface ByteRange {
  start: number;
  end: number;
}

export interface BlobStore {
  /** Stores bytes; a no-op apart from refreshing its age when the blob already exists. */
  put(bytes: Uint8Array): Promise<BlobInfo>;
  /** Moves a finished temporary file (see `tempPath`) into the store under its known hash. */
  putFile(tempFile: string, sha256: string): Promise<void>;
  has(sha256: string): Promise<boolean>;
  /** The blob's bytes; with `range`, only bytes `start` to `end` (inclusive), for HTTP Range requests. */
  read(sha256: string, range?: ByteRange): Readable;
  size(sha256: string): Promise<number>;
  delete(sha256: string): Promise<void>;
  /** Every stored hash with its last-write time, for garbage collection. */
  list(): AsyncIterable<{ sha256: string; modifiedMs: number }>;
  /** A fresh path inside the store's volume for staging an incoming upload. */
  tempPath(): string;
  /** Removes staging files older than `olderThanMs` (left by a crash mid-upload). */
  removeStaleTempFiles(olderThanMs: number): Promise<number>;
}

const SHA256_PATTERN = /^[0-9a-f]{64}$/;

/** A whole blob in memory (images and masks; uploads stream instead). */
export async function readBlob(blobs: BlobStore, sha256: string): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of blobs.read(sha256)) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

export function sha256Hex(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/**
 * Blobs as files `<root>/ab/cd/<sha256>`. Writes go to `<root>/tmp`, are fsynced and
 * renamed into place, so a crash never leaves a partial blob under a valid name.
 */
export class FileBlobStore implements BlobStore {
  private readonly tmpDir: string;

  private constructor(private readonly root: string) {
    this.tmpDir = join(root, 'tmp');
  }

  static async open(root: string): Promise<FileBlobStore> {
    const store = new FileBlobStore(root);
    await mkdir(store.tmpDir, { recursive: true });
    return store;
  }

  private pathOf(sha256: string): string {
    if (!SHA256_PATTERN.test(sha256)) throw new Error(`Not a sha256 hex digest: ${sha256}`);
    return join(this.root, sha256.slice(0, 2), sha256.slice(2, 4), sha256);
  }

  tempPath(): string {
    return join(this.tmpDir, `${randomUUID()}.part`);
  }

  async put(bytes: Uint8Array): Promise<BlobInfo> {
    const sha256 = sha256Hex(bytes);
    if (await this.touchIfPresent(sha256)) return { sha256, byteSize: bytes.byteLength };
    const temp = this.tempPath();
    const handle = await open(temp, 'wx');
    try {
      await handle.writeFile(bytes);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await this.putFile(temp, sha256);
    return { sha256, byteSize: bytes.byteLength };
  }

  async putFile(tempFile: string, sha256: string): Promise<void> {
    if (await this.touchIfPresent(sha256)) {
      await rm(tempFile, { force: true });
      return;
    }
    const target = this.pathOf(sha256);
    await mkdir(dirname(target), { recursive: true });
    await rename(tempFile, target);
    await syncDirectory(dirname(target));
  }

  /** Refreshing the mtime tells garbage collection the blob is in use again. */
  private async touchIfPresent(sha256: string): Promise<boolean> {
    const now = new Date();
    try {
      await utimes(this.pathOf(sha256), now, now);
      return true;
    } catch {
      return false;
    }
  }

  async has(sha256: string): Promise<boolean> {
    return stat(this.pathOf(sha256)).then(
      () => true,
      () => false,
    );
  }

  read(sha256: string, range?: ByteRange): Readable {
    return createReadStream(this.pathOf(sha256), range);
  }

  async size(sha256: string): Promise<number> {
    return (await stat(this.pathOf(sha256))).size;
  }

  async delete(sha256: string): Promise<void> {
    await rm(this.pathOf(sha256), { force: true });
  }

  async *list(): AsyncIterable<{ sha256: string; modifiedMs: number }> {
    for (const level1 of await readdir(this.root)) {
      if (!/^[0-9a-f]{2}$/.test(level1)) continue;
      for (const level2 of await readdir(join(this.root, level1))) {
        const dir = join(this.root, level1, level2);
        for (const name of await readdir(dir)) {
          if (!SHA256_PATTERN.test(name)) continue;
          const info = await stat(join(dir, name)).catch(() => undefined);
          if (info) yield { sha256: name, modifiedMs: info.mtimeMs };
        }
      }
    }
  }

  removeStaleTempFiles(olderThanMs: number): Promise<number> {
    return removeFilesOlderThan(this.tmpDir, olderThanMs);
  }
}

/** Deletes the files in `dir` last written more than `olderThanMs` ago (staging left by a crash); how many. */
export async function removeFilesOlderThan(dir: string, olderThanMs: number, matches: (name: string) => boolean = () => true): Promise<number> {
  let removed = 0;
  for (const name of await readdir(dir).catch(() => [])) {
    if (!matches(name)) continue;
    const path = join(dir, name);
    const info = await stat(path).catch(() => undefined);
    if (info && Date.now() - info.mtimeMs > olderThanMs) {
      await rm(path, { force: true });
      removed += 1;
    }
  }
  return removed;
}

/** Makes a rename durable: the new directory entry is on disk when this resolves. */
async function syncDirectory(dir: string): Promise<void> {
  const handle = await open(dir, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}
