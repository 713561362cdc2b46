import { parseAssetFilter, parseAssetId, parsePageSize } from '../../assets/asset-input.js';
import { ACCEPTED_MIME_TYPES, THUMBNAIL_SIZES } from '../../assets/image.js';
import type { QueryResolvers } from '../generated/resolvers.js';

export const Query: QueryResolvers = {
  viewer: (_parent, _args, { owner }) => owner,

  asset: (_parent, { id }, { owner, services }) => services.assets.get(owner.id, parseAssetId(id)),

  assets: (_parent, { first, after, filter, orderBy }, { owner, services }) =>
    services.assets.list({
      ownerId: owner.id,
      first: parsePageSize(first ?? 20),
      after: after ?? undefined,
      order: orderBy ?? 'CREATED_AT_DESC',
      filter: parseAssetFilter(filter),
    }),

  models: (_parent, _args, { services }) => services.registry.list(),

  segmentation: (_parent, { id }, { owner, services }) => services.segmentations.get(owner.id, parseAssetId(id, 'id')),

  evaluation: (_parent, { id }, { owner, services }) => services.evaluations.get(owner.id, parseAssetId(id, 'id')),

  evaluations: (_parent, { first }, { owner, services }) => services.evaluations.list(owner.id, parsePageSize(first ?? 20)),

  correctionStats: (_parent, { model, filter }, { owner, services }) => services.corrections.stats(owner.id, model ?? undefined, parseAssetFilter(filter)),

  limits: (_parent, _args, { config }) => ({
    maxUploadBytes: config.maxUploadBytes,
    maxInputPixels: config.maxInputPixels,
    acceptedMimeTypes: ACCEPTED_MIME_TYPES,
    thumbnailSizes: [...THUMBNAIL_SIZES],
    maxQueryDepth: config.maxQueryDepth,
    maxQueryAliases: config.maxQueryAliases,
  }),
};
