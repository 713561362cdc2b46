import { parseBatchAction, parseBatchAssetIds } from './batch.js';
import { parseAssetFilter, parseAssetId, parseAssetName, parseTags } from '../../assets/asset-input.js';
import { parseEffectSpec } from '../../effects/spec.js';
import { inputError } from '../../errors.js';
import type { MutationResolvers } from '../generated/resolvers.js';
import { parseWaitTimeout } from './segmentation.js';
import { webhookMutations } from './webhook.js';
import { uploadRuleMutations } from './upload-rule.js';

export const Mutation: MutationResolvers = {
  ...webhookMutations,
  ...uploadRuleMutations,
  uploadAsset: async (_parent, { file, name, tags }, { owner, services, requestId }) => {
    // Validate the cheap arguments before reading a byte of the file.
    const parsedTags = parseTags(tags ?? []);
    const explicitName = name == null ? undefined : parseAssetName(name);
    let upload;
    try {
      upload = await file;
    } catch (cause) {
      throw inputError('file', 'a file sent as a multipart upload', { described: 'no readable file' }, { cause });
    }
    const asset = await services.assets.ingest({
      ownerId: owner.id,
      stream: upload.createReadStream(),
      name: explicitName ?? nameFromFilename(upload.filename),
      tags: parsedTags,
    });
    // The placeholder and colours, off the event loop, ready by the time a page shows the asset;
    // made from the photo's preview proxy, which this makes ahead of the first preview.
    services.summaries.refreshIfStale(asset, null, null);
    // The owner's upload rules (a segmentation, presets stored ahead): after the commit, never failing the upload.
    await services.uploadRules.applyToUpload(asset, requestId);
    return asset;
  },

  updateAsset: (_parent, { id, input }, { owner, services }) =>
    services.assets.update(owner.id, parseAssetId(id), {
      ...(input.name != null ? { name: parseAssetName(input.name, 'input.name') } : {}),
      ...(input.tags != null ? { tags: parseTags(input.tags, 'input.tags') } : {}),
    }),

  segmentAsset: async (_parent, { input }, { owner, services, requestId }) => {
    const waitTimeoutMs = parseWaitTimeout(input.waitTimeoutMs);
    const record = await services.segmentations.request({
      ownerId: owner.id,
      assetId: parseAssetId(input.assetId, 'input.assetId'),
      modelId: input.model ?? undefined,
      refine: input.refine ?? false,
      requestId,
      draft: input.draft ?? false,
    });
    // A draft is asked to come back at once: the answer waits for it (its own `wait` is the run's).
    const draft = input.draft ? await services.segmentations.draftOf(record.id) : null;
    if (draft) await services.segmentations.waitForFinal(draft, waitTimeoutMs);
    return input.wait ? services.segmentations.waitForFinal(record, waitTimeoutMs) : ((await services.segmentations.findById(record.id)) ?? record);
  },

  setGroundTruth: async (_parent, { assetId, mask, fromVersion }, { owner, services }) => {
    const id = parseAssetId(assetId, 'assetId');
    if ((mask == null) === (fromVersion == null))
      throw inputError('mask', 'exactly one of mask and fromVersion', { described: mask == null ? 'neither' : 'both' });
    if (fromVersion) {
      const segmentation = await services.segmentations.get(owner.id, parseAssetId(fromVersion.segmentationId, 'fromVersion.segmentationId'));
      if (segmentation.assetId !== id) throw inputError('fromVersion.segmentationId', `a segmentation of asset ${id}`, segmentation.id);
      return services.quality.setGroundTruth(owner.id, id, await services.corrections.pixels(segmentation, fromVersion.version ?? undefined));
    }
    let upload;
    try {
      upload = await mask!;
    } catch (cause) {
      throw inputError('mask', 'a file sent as a multipart upload', { described: 'no readable file' }, { cause });
    }
    return services.quality.setGroundTruth(owner.id, id, upload.createReadStream());
  },

  correctMask: async (_parent, { input }, { owner, services }) => {
    const segmentationId = parseAssetId(input.segmentationId, 'input.segmentationId');
    if ((input.mask == null) === (input.strokes == null)) {
      throw inputError('input', 'exactly one of input.mask and input.strokes', { described: input.mask == null ? 'neither' : 'both' });
    }
    if (input.strokes) return services.corrections.correct(owner.id, segmentationId, { kind: 'strokes', strokes: input.strokes });
    let upload;
    try {
      upload = await input.mask!;
    } catch (cause) {
      throw inputError('input.mask', 'a file sent as a multipart upload', { described: 'no readable file' }, { cause });
    }
    return services.corrections.correct(owner.id, segmentationId, { kind: 'upload', stream: upload.createReadStream() });
  },

  restoreMaskVersion: (_parent, { segmentationId, version }, { owner, services }) =>
    services.corrections.restore(owner.id, parseAssetId(segmentationId, 'segmentationId'), version),

  confirmMask: (_parent, { segmentationId }, { owner, services }) => services.corrections.confirm(owner.id, parseAssetId(segmentationId, 'segmentationId')),

  evaluateModels: async (_parent, { input }, { owner, services }) => {
    const waitTimeoutMs = parseWaitTimeout(input.waitTimeoutMs);
    const record = await services.evaluations.start(owner.id, input.models, parseAssetFilter(input.filter, 'input.filter'));
    return input.wait ? services.evaluations.waitForFinal(record, waitTimeoutMs) : record;
  },

  startBatch: (_parent, { input }, { owner, services, requestId }) =>
    services.batches.start({
      ownerId: owner.id,
      ...(input.filter ? { filter: parseAssetFilter(input.filter, 'input.filter') } : {}),
      ...(input.assetIds ? { assetIds: parseBatchAssetIds(input.assetIds) } : {}),
      action: parseBatchAction(input.action),
      dryRun: input.dryRun ?? false,
      requestId,
    }),
  pauseBatch: (_parent, { id }, { owner, services }) => services.batches.pause(owner.id, parseAssetId(id, 'id')),
  resumeBatch: (_parent, { id }, { owner, services }) => services.batches.resume(owner.id, parseAssetId(id, 'id')),
  cancelBatch: (_parent, { id }, { owner, services }) => services.batches.cancel(owner.id, parseAssetId(id, 'id')),
  retryBatch: (_parent, { id, failedOnly }, { owner, services }) => services.batches.retry(owner.id, parseAssetId(id, 'id'), failedOnly ?? true),

  renderEffect: async (_parent, { segmentationId, input, output: outputInput, version }, { owner, services }) => {
    const segmentation = await services.segmentations.get(owner.id, parseAssetId(segmentationId, 'segmentationId'));
    const { effect, output } = parseEffectSpec(input, outputInput ?? undefined);
    return services.renditions.startRender(owner.id, segmentation, effect, output, version ?? undefined);
  },

  createPreset: (_parent, { input }, { owner, services }) => services.presets.create(owner.id, input),

  updatePreset: (_parent, { input }, { owner, services }) => services.presets.update(owner.id, input),

  deletePreset: async (_parent, { name }, { owner, services }) => {
    await services.presets.delete(owner.id, name);
    await services.images.forgetPreset(owner.id, name);
    return { name };
  },

  setFocalPoint: (_parent, { assetId, point }, { owner, services }) =>
    services.assets.setFocalPoint(owner.id, parseAssetId(assetId, 'assetId'), point ? { x: point.x, y: point.y } : null),

  deleteAsset: async (_parent, { id }, { owner, services }) => {
    const assetId = parseAssetId(id);
    await services.assets.delete(owner.id, assetId);
    await services.images.forgetAsset(assetId);
    return { id: assetId };
  },
};

/** A client's file name is only a default label; strip any path and control characters. */
function nameFromFilename(filename: string): string {
  const base =
    filename
      .split(/[\\/]/)
      .pop()
      ?.replace(/\p{Cc}/gu, '')
      .trim() ?? '';
  return base.slice(0, 200) || 'untitled';
}
