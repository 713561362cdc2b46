import { parseThumbnailSize } from '../../assets/asset-input.js';
import { assetImageFields } from './image.js';
import type { AssetResolvers, GroundTruthResolvers } from '../generated/resolvers.js';

export const Asset: AssetResolvers = {
  url: (asset, _args, { fileUrls }) => fileUrls.original(asset),
  thumbnail: (asset, { size }, { fileUrls }) => fileUrls.thumbnail(asset, parseThumbnailSize(size ?? 256)),
  segmentations: (asset, _args, { loaders }) => loaders.segmentationsOfAsset.load(asset.id),
  groundTruth: (asset, _args, { loaders }) => loaders.groundTruth.load(asset.id),
  ...assetImageFields,
};

export const GroundTruth: GroundTruthResolvers = {
  url: (truth, _args, { fileUrls }) => fileUrls.groundTruth(truth.assetId),
};
