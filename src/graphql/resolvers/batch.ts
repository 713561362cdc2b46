import { parseAssetId, parsePageSize, parseTags } from '../../assets/asset-input.js';
import type { BatchAction } from '../../batches/batch.service.js';
import type { OutputFormat } from '../../effects/output-spec.js';
import { inputError } from '../../errors.js';
import type { BatchAction as BatchActionInput, BatchItemResolvers, BatchResolvers } from '../generated/resolvers.js';

const MAX_IDS = 10_000;

/** The @oneOf action as the service takes it. */
export function parseBatchAction(action: BatchActionInput): BatchAction {
  if (action.segment) {
    return { kind: 'segment', modelId: action.segment.model ?? undefined, refine: action.segment.refine ?? false, mode: action.segment.mode ?? 'MISSING' };
  }
  if (action.tag) {
    const add = parseTags(action.tag.add ?? [], 'input.action.tag.add');
    const remove = parseTags(action.tag.remove ?? [], 'input.action.tag.remove');
    if (add.length + remove.length === 0) throw inputError('input.action.tag', 'tags to add or remove', 'none');
    return { kind: 'tag', add, remove };
  }
  if (action.delete) {
    if (action.delete.confirm !== true) throw inputError('input.action.delete.confirm', 'true (deleting is not undone)', action.delete.confirm);
    return { kind: 'delete' };
  }
  if (action.render) {
    const formats = action.render.formats?.map((format, index) => {
      if (format === 'AUTO') throw inputError(`input.action.render.formats[${index}]`, 'PNG, WEBP, AVIF or JPEG (AUTO is chosen per request)', format);
      return format.toLowerCase() as OutputFormat;
    });
    return { kind: 'render', preset: action.render.preset, widths: action.render.widths ?? undefined, formats };
  }
  throw inputError('input.action', 'one of segment, tag, delete or render', 'none');
}

export function parseBatchAssetIds(ids: readonly string[] | null | undefined): string[] | undefined {
  if (!ids) return undefined;
  if (ids.length > MAX_IDS) throw inputError('input.assetIds', `at most ${MAX_IDS} ids (use a filter for more)`, `${ids.length} ids`);
  return ids.map((id, index) => parseAssetId(id, `input.assetIds[${index}]`));
}

const BATCH_KINDS = { segment: 'SEGMENT', tag: 'TAG', delete: 'DELETE', render: 'RENDER' } as const;

export const Batch: BatchResolvers = {
  kind: (batch) => BATCH_KINDS[batch.action.kind],
  preset: (batch) => (batch.action.kind === 'render' ? batch.action.preset : null),
  model: (batch) => (batch.action.kind === 'segment' ? (batch.action.modelId ?? null) : null),
  mode: (batch) => (batch.action.kind === 'segment' ? batch.action.mode : null),
  tagsAdded: (batch) => (batch.action.kind === 'tag' ? batch.action.add : null),
  tagsRemoved: (batch) => (batch.action.kind === 'tag' ? batch.action.remove : null),
  items: (batch, { status, first, after }, { owner, services }) =>
    batch.id === null
      ? []
      : services.batches.items(owner.id, batch.id, {
          ...(status ? { status } : {}),
          first: parsePageSize(first ?? 50),
          ...(after ? { after: parseAssetId(after, 'after') } : {}),
        }),
};

export const BatchItem: BatchItemResolvers = {
  segmentation: (item, _args, { loaders }) => (item.segmentationId ? loaders.segmentation.load(item.segmentationId) : null),
};
