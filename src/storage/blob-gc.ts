/**
 * Mark and sweep for blobs: deletes stored blobs that no row references, proxies whose
 * source no row references, and staging files left by an interrupted upload. Only files older than the grace period are
 * touched, so an upload in flight (blob written, row not yet inserted) is never swept.
 * Each delete happens under the blob's lock (the one every writer that reuses a blob holds
 * while it inserts its row), after checking the references again: a blob that a row came
 * to reference since the batch was read is kept.
 */
import type { BlobLocks } from './blob-locks.js';
import { tmpdir } from 'node:os';
import { removeFilesOlderThan, type BlobStore } from './blob-store.js';
import type { BlobReferenceRepository } from './repositories/blob-reference.repository.js';
import { releaseUnreferenced } from './blob-release.js';

export interface GarbageReport {
  scanned: number;
  deletedBlobs: number;
  deletedTempFiles: number;
}

const BATCH = 500;

/**
 * graphql-upload buffers each incoming file in the OS temp folder (fs-capacitor's
 * `capacitor-<hex>.tmp`) and removes it when the request ends; a crash leaves it there for
 * good. Swept like staging files, past the same grace period. `dir`: for tests.
 */
export function removeStaleUploadBuffers(graceMs: number, dir = tmpdir()): Promise<number> {
  return removeFilesOlderThan(dir, graceMs, (name) => /^capacitor-[0-9a-f]+\.tmp$/.test(name));
}

export async function collectBlobGarbage(
  blobs: BlobStore,
  references: BlobReferenceRepository,
  graceMs: number,
  blobLocks: BlobLocks,
  nowMs = Date.now(),
): Promise<GarbageReport> {
  const report: GarbageReport = { scanned: 0, deletedBlobs: 0, deletedTempFiles: 0 };
  // A proxy made while its source was being deleted outlives it: its row goes now, with its blob.
  const proxySources = await references.proxySourcesBefore(new Date(nowMs - graceMs));
  const sourcesInUse = await references.referenced(proxySources);
  for (const source of proxySources.filter((sha256) => !sourcesInUse.has(sha256))) {
    report.deletedBlobs += (await blobLocks.run(source, () => releaseUnreferenced(references, blobs, [source]))).length;
  }
  let batch: string[] = [];
  const sweep = async (): Promise<void> => {
    const used = await references.referenced(batch);
    for (const sha256 of batch) {
      if (used.has(sha256)) continue;
      // Checked again under the lock: a row may have taken it since the batch's look.
      const deleted = await blobLocks.run(sha256, () => releaseUnreferenced(references, blobs, [sha256]));
      report.deletedBlobs += deleted.length;
    }
    batch = [];
  };
  for await (const blob of blobs.list()) {
    report.scanned += 1;
    if (nowMs - blob.modifiedMs < graceMs) continue;
    batch.push(blob.sha256);
    if (batch.length >= BATCH) await sweep();
  }
  if (batch.length > 0) await sweep();
  report.deletedTempFiles = (await blobs.removeStaleTempFiles(graceMs)) + (await removeStaleUploadBuffers(graceMs));
  return report;
}
