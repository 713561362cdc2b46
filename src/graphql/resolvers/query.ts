import { parseAssetFilter, parseAssetId, parsePageSize } from '../../assets/asset-input.js';
import { ACCEPTED_MIME_TYPES, THUMBNAIL_SIZES } from '../../assets/image.js';
import { inputError } from '../../errors.js';
import type { QueryResolvers } from '../generated/resolvers.js';
import { nodeQueries } from './node.js';
import { webhookQueries } from './webhook.js';
import { uploadRuleQueries } from './upload-rule.js';

export const Query: QueryResolvers = {
  viewer: (_parent, _args, { owner }) => owner,

  asset: (_parent, { id }, { owner, services }) => services.assets.get(owner.id, parseAssetId(id)),

  assets: (_parent, { first, after, last, before, filter, orderBy }, { owner, services }) => {
    if (last != null && (first != null || after != null)) throw inputError('last', 'last and before without first and after', { described: 'both directions' });
    const common = { ownerId: owner.id, order: orderBy ?? 'CREATED_AT_DESC', filter: parseAssetFilter(filter) } as const;
    return services.assets.list(
      last != null || before != null
        ? { ...common, direction: 'backward', last: parsePageSize(last ?? 20, 'last'), before: before ?? undefined }
        : { ...common, direction: 'forward', first: parsePageSize(first ?? 20), after: after ?? undefined },
    );
  },

  ...nodeQueries,
  ...webhookQueries,
  ...uploadRuleQueries,

  presets: (_parent, _args, { owner, services }) => services.presets.list(owner.id),

  models: (_parent, _args, { services }) => services.registry.list(),

  segmentation: (_parent, { id }, { owner, services }) => services.segmentations.get(owner.id, parseAssetId(id, 'id')),

  evaluation: (_parent, { id }, { owner, services }) => services.evaluations.get(owner.id, parseAssetId(id, 'id')),

  evaluations: (_parent, { first }, { owner, services }) => services.evaluations.list(owner.id, parsePageSize(first ?? 20)),

  batch: (_parent, { id }, { owner, services }) => services.batches.get(owner.id, parseAssetId(id, 'id')),

  batches: (_parent, { status, first, after }, { owner, services }) =>
    services.batches.list(owner.id, {
      ...(status && status !== 'DRY_RUN' ? { status } : {}),
      first: parsePageSize(first ?? 20),
      ...(after ? { after: parseAssetId(after, 'after') } : {}),
    }),

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
