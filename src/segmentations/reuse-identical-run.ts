/**
 * Reuse of an identical run's mask (same bytes, weights, options, pipeline; same owner), made
 * safe against a concurrent delete: under the mask blob's lock (the lock every blob deleter
 * takes) the source row must still exist and its blob must still be stored, and `adopt` runs
 * while the lock is held, so the new row's reference is committed before any delete decides.
 */
import type { BlobLocks } from '../storage/blob-locks.js';
import type { BlobStore } from '../storage/blob-store.js';
import type { SegmentationRecord } from '../storage/records.js';
import type { SegmentationRepository } from '../storage/repositories/segmentation.repository.js';

export interface ReuseDeps {
  segmentations: SegmentationRepository;
  blobs: BlobStore;
  blobLocks: BlobLocks;
}

/** `adopt(source)`'s result, or undefined when there is nothing (left) to reuse: then run the model. */
export async function reuseIdenticalRun<T>(
  deps: ReuseDeps,
  row: { ownerId: string; contentKey: string; id?: string },
  adopt: (source: SegmentationRecord) => Promise<T>,
): Promise<T | undefined> {
  const earlier = await deps.segmentations.findSucceededByContentKey(row.ownerId, row.contentKey);
  if (!earlier?.maskSha256 || earlier.id === row.id) return undefined;
  const maskSha256 = earlier.maskSha256;
  return deps.blobLocks.run(maskSha256, async () => {
    const source = await deps.segmentations.findById(earlier.id);
    if (source?.maskSha256 !== maskSha256 || !(await deps.blobs.has(maskSha256))) return undefined;
    return adopt(source);
  });
}
