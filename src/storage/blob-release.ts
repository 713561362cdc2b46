/**
 * Deletes those of `hashes` that no row references any more (blobs are shared by content),
 * and returns the ones it deleted. The caller holds their blob locks, so no writer can add
 * a reference between the check and the delete.
 */
import type { BlobStore } from './blob-store.js';
import type { BlobReferenceRepository } from './repositories/blob-reference.repository.js';

export async function releaseUnreferenced(references: BlobReferenceRepository, blobs: BlobStore, hashes: string[]): Promise<string[]> {
  const stillUsed = await references.referenced(hashes);
  const unused = hashes.filter((hash) => !stillUsed.has(hash));
  await Promise.all(unused.map((hash) => blobs.delete(hash)));
  return unused;
}
