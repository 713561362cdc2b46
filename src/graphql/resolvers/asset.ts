import { parseThumbnailSize } from '../../assets/asset-input.js';
import type { AssetResolvers } from '../generated/resolvers.js';

export const Asset: AssetResolvers = {
  url: (asset, _args, { fileUrls }) => fileUrls.original(asset),
  thumbnail: (asset, { size }, { fileUrls }) => fileUrls.thumbnail(asset, parseThumbnailSize(size ?? 256)),
  segmentations: (asset, _args, { services }) => services.segmentations.listForAsset(asset.id),
};
