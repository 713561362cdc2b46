/**
 * The mask a quality estimate compares against when there is no ground truth: the latest
 * succeeded mask another model made of the same asset. Their disagreement stands in for
 * an error, in HCE's units. Never a draft: a stand-in made from the preview proxy, at its
 * size.
 */
import type { SegmentationRecord } from '../storage/records.js';
import type { SegmentationRepository } from '../storage/repositories/segmentation.repository.js';

export async function otherModelsSegmentation(
  segmentations: SegmentationRepository,
  assetId: string,
  modelId: string,
): Promise<SegmentationRecord | undefined> {
  return (await segmentations.listForAsset(assetId)).find(
    (candidate) => candidate.status === 'SUCCEEDED' && candidate.maskSha256 && candidate.modelId !== modelId && !candidate.draftOfId,
  );
}
