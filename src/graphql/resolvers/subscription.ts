import { parseAssetId } from '../../assets/asset-input.js';
import type { SubscriptionResolvers } from '../generated/resolvers.js';
import type { EvaluationRecord, SegmentationRecord } from '../../storage/records.js';

export const Subscription: SubscriptionResolvers = {
  segmentationUpdated: {
    subscribe: (_parent, { id }, { owner, services }) => services.segmentations.updates(owner.id, parseAssetId(id, 'id')),
    resolve: (record: SegmentationRecord) => record,
  },
  evaluationUpdated: {
    subscribe: (_parent, { id }, { owner, services }) => services.evaluations.updates(owner.id, parseAssetId(id, 'id')),
    resolve: (record: EvaluationRecord) => record,
  },
};
