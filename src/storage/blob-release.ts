/**
 * Deletes those of `hashes` that no row references any more (blobs are shared by content),
 * and returns the ones it deleted. The caller holds their blob locks, so no writer can add
 * a reference between the check and the delete. A delete the store cannot do now
 * (STORAGE_UNAVAILABLE) is left to garbage collection: the rows are gone, so the operation
 * that removed them has succeeded, and the orphan is swept after the grace period.
 */
import { isAppError } from '../errors.js';
import type { BlobLocks } from './blob-locks.js';
import { sha256Hex, type BlobStore } from './blob-store.js';
import type { BlobReferenceRepository } from './repositories/blob-reference.repository.js';

export async function releaseUnreferenced(references: BlobReferenceRepository, blobs: BlobStore, hashes: string[]): Promise<string[]> {
  const stillUsed = await references.referenced(hashes);
  const unused = hashes.filter((hash) => !stillUsed.has(hash));
  // A proxy goes with its source. Its own blob is deleted here unless another row uses it;
  // not under its lock (the caller holds the sources' locks), so in the rare race with a
  // proxy of the same bytes being made, that proxy's row can outlive its blob: the proxy
  // service then makes it again, and fsck reports it.
  const proxies = await references.dropProxiesOf(unused);
  const proxiesStillUsed = await references.referenced(proxies);
  unused.push(...proxies.filter((hash) => !proxiesStillUsed.has(hash)));
  const deleted = await Promise.all(
    unused.map((hash) =>
      blobs.delete(hash).then(
        () => hash,
        (error: unknown) => {
          if (isAppError(error) && error.code === 'STORAGE_UNAVAILABLE') return undefined;
          throw error;
        },
      ),
    ),
  );
  return deleted.filter((hash) => hash !== undefined);
}

/**
 * Stores `bytes` as a blob and inserts the row that references it, under the blob's lock;
 * when the insert fails (its parent row was deleted meanwhile), the blob goes unless another
 * row uses it. Returns the row.
 */
export async function putWithRow<Row>(
  deps: { blobs: BlobStore; blobLocks: BlobLocks; references: BlobReferenceRepository },
  bytes: Buffer,
  insert: (sha256: string) => Promise<Row>,
): Promise<Row> {
  const sha256 = sha256Hex(bytes);
  return deps.blobLocks.run(sha256, async () => {
    await deps.blobs.put(bytes);
    try {
      return await insert(sha256);
    } catch (error) {
      await releaseUnreferenced(deps.references, deps.blobs, [sha256]);
      throw error;
    }
  });
}
