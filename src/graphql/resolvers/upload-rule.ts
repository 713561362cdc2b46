import { parseMimeTypeFilter, parseTags, parseUuid } from '../../assets/asset-input.js';
import { inputError } from '../../errors.js';
import type { MutationResolvers, QueryResolvers, UploadRuleInput, UploadRuleResolvers } from '../generated/resolvers.js';

const MAX_DESCRIPTION = 500;
const MAX_TYPES = 10;

const parseRuleId = (id: string) => parseUuid(id, 'id', 'an upload rule id');

function parseRuleInput({ when, then, description }: UploadRuleInput) {
  if (description != null && description.length > MAX_DESCRIPTION)
    throw inputError('input.description', `at most ${MAX_DESCRIPTION} characters`, description.length);
  const mimeTypes = when.mimeTypes ?? [];
  if (mimeTypes.length > MAX_TYPES) throw inputError('input.when.mimeTypes', `at most ${MAX_TYPES} types`, mimeTypes.length);
  return {
    description: description ?? null,
    when: {
      tags: parseTags(when.tags ?? [], 'input.when.tags'),
      mimeTypes: mimeTypes.map((type, index) => parseMimeTypeFilter(type, `input.when.mimeTypes[${index}]`)),
    },
    then: {
      segment: then.segment ? { modelId: then.segment.model ?? undefined, refine: then.segment.refine ?? false } : null,
      render: then.render ?? [],
      reviewIfPriorityAbove: then.reviewIfPriorityAbove ?? null,
    },
  };
}

export const UploadRule: UploadRuleResolvers = {
  when: (rule) => ({ tags: rule.whenTags, mimeTypes: rule.whenMimeTypes }),
  then: (rule) => ({
    segment: rule.segment ? { model: rule.segmentModelId, refine: rule.segmentRefine } : null,
    render: rule.renderPresets,
    reviewIfPriorityAbove: rule.reviewIfPriorityAbove,
  }),
};

export const uploadRuleQueries: Pick<QueryResolvers, 'uploadRules'> = {
  uploadRules: (_parent, _args, { owner, services }) => services.uploadRules.list(owner.id),
};

export const uploadRuleMutations: Pick<MutationResolvers, 'createUploadRule' | 'deleteUploadRule' | 'applyUploadRule'> = {
  createUploadRule: (_parent, { input }, { owner, services }) => services.uploadRules.create(owner.id, parseRuleInput(input)),
  deleteUploadRule: async (_parent, { id }, { owner, services }) => {
    await services.uploadRules.delete(owner.id, parseRuleId(id));
    return true;
  },
  applyUploadRule: (_parent, { id, dryRun }, { owner, services, requestId }) =>
    services.uploadRules.apply(owner.id, parseRuleId(id), dryRun ?? false, requestId),
};
