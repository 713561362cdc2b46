import type { ModelSummary } from '../../quality/evaluation.service.js';
import type { EvaluationItemResolvers, EvaluationResolvers } from '../generated/resolvers.js';

export const Evaluation: EvaluationResolvers = {
  table: (evaluation) => (evaluation.summary as unknown as ModelSummary[] | null) ?? [],
  items: (evaluation, { orderBy, model }, { services }) => services.evaluations.items(evaluation.id, orderBy ?? 'HCE_DESC', model ?? undefined),
};

export const EvaluationItem: EvaluationItemResolvers = {
  asset: (item, _args, { owner, services }) => services.assets.get(owner.id, item.assetId),
  model: (item) => item.modelId,
  segmentation: (item, _args, { owner, services }) => services.segmentations.get(owner.id, item.segmentationId),
};
