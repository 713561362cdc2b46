import type { ModelSummary } from '../../quality/evaluation.service.js';
import { found } from './segmentation.js';
import type { EvaluationItemResolvers, EvaluationResolvers } from '../generated/resolvers.js';

export const Evaluation: EvaluationResolvers = {
  table: (evaluation) => (evaluation.summary as unknown as ModelSummary[] | null) ?? [],
  items: (evaluation, { orderBy, model }, { services }) => services.evaluations.items(evaluation.id, orderBy ?? 'HCE_DESC', model ?? undefined),
};

export const EvaluationItem: EvaluationItemResolvers = {
  asset: async (item, _args, { loaders }) => found(await loaders.asset.load(item.assetId), 'asset', item.assetId),
  model: (item) => item.modelId,
  segmentation: async (item, _args, { loaders }) => found(await loaders.segmentation.load(item.segmentationId), 'segmentation', item.segmentationId),
};
