import type { BatchView } from '../../batches/batch.service.js';
import { parseAssetId } from '../../assets/asset-input.js';
import type { SubscriptionResolvers } from '../generated/resolvers.js';
import type { EvaluationRecord, SegmentationRecord } from '../../storage/records.js';

export const Subscription: SubscriptionResolvers = {
  segmentationUpdated: {
    subscribe: (_parent, { id }, { owner, services }) => services.segmentations.updates(owner.id, parseAssetId(id, 'id')),
    resolve: (record: SegmentationRecord) => record,
  },
  batchUpdated: {
    subscribe: (_parent, { id }, { owner, services }) => services.batches.updates(owner.id, parseAssetId(id, 'id')),
    resolve: (view: BatchView) => view,
  },
  evaluationUpdated: {
    subscribe: (_parent, { id }, { owner, services }) => services.evaluations.updates(owner.id, parseAssetId(id, 'id')),
    resolve: (record: EvaluationRecord) => record,
  },
};
