/**
 * Per-request batching (DataLoader): a page of assets with their segmentations, masks and
 * ground truths costs one read per kind of row, not one per item. Built for each request,
 * so nothing is cached across requests or owners.
 */
import DataLoader from 'dataloader';
import type { MaskVersionView } from '../corrections/mask-version-reader.js';
import type { PresetSpec } from '../images/preset.js';
import type { PresetService } from '../images/preset.service.js';
import type { SummaryService } from '../images/summary.service.js';
import type { AssetRecord, AssetSummaryRecord, GroundTruthRecord, SegmentationRecord } from '../storage/records.js';
import type { AssetService } from '../assets/asset.service.js';
import type { CorrectionService } from '../corrections/correction.service.js';
import type { QualityService } from '../quality/quality.service.js';
import type { SegmentationService } from '../segmentations/segmentation.service.js';

/** The services the loaders read through (a part of the context's `Services`). */
interface LoaderSources {
  assets: AssetService;
  segmentations: SegmentationService;
  quality: QualityService;
  corrections: CorrectionService;
  presets: PresetService;
  summaries: SummaryService;
}

export interface RequestLoaders {
  /** The owner's asset by id; null for unknown ids and other owners' assets. */
  asset: DataLoader<string, AssetRecord | null>;
  /** The owner's segmentation by id; null for unknown ids and other owners'. */
  segmentation: DataLoader<string, SegmentationRecord | null>;
  /** An asset's segmentations, newest first. */
  segmentationsOfAsset: DataLoader<string, SegmentationRecord[]>;
  groundTruth: DataLoader<string, GroundTruthRecord | null>;
  /** A segmentation's latest mask version; null before SUCCEEDED. */
  latestMask: DataLoader<SegmentationRecord, MaskVersionView | null, string>;
  /** A built-in or the owner's preset by name; null when there is none. */
  preset: DataLoader<string, PresetSpec | null>;
  summary: DataLoader<string, AssetSummaryRecord | null>;
}

/** `cache: false` for long-lived contexts (subscriptions): batch within a tick, remember nothing. */
export function createLoaders(services: LoaderSources, ownerId: string, { cache }: { cache: boolean }): RequestLoaders {
  return {
    asset: new DataLoader((ids) => services.assets.findOwnedMany(ownerId, ids), { cache }),
    segmentation: new DataLoader((ids) => services.segmentations.findOwnedMany(ownerId, ids), { cache }),
    segmentationsOfAsset: new DataLoader((assetIds) => services.segmentations.listForAssets(assetIds), { cache }),
    groundTruth: new DataLoader((assetIds) => services.quality.groundTruths(assetIds), { cache }),
    latestMask: new DataLoader((segmentations) => services.corrections.latestVersions(segmentations), { cache, cacheKeyFn: (segmentation) => segmentation.id }),
    preset: new DataLoader((names) => services.presets.findMany(ownerId, names), { cache }),
    summary: new DataLoader((assetIds) => services.summaries.findMany(assetIds), { cache }),
  };
}
