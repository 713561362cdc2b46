import { AppError, inputError } from '../../errors.js';
import { effectField } from './rendition.js';
import type { MaskVersionView } from '../../corrections/correction.service.js';
import type { FileUrls } from '../file-urls.js';
import type { MaskVersionResolvers, ModelResolvers, QualityReportResolvers, SegmentationResolvers } from '../generated/resolvers.js';
import { graphqlFamily } from '../../inference/family-names.js';

export const Segmentation: SegmentationResolvers = {
  asset: async (segmentation, _args, { loaders }) => found(await loaders.asset.load(segmentation.assetId), 'asset', segmentation.assetId),
  model: (segmentation) => segmentation.modelId,
  draft: (segmentation, _args, { services }) => services.segmentations.draftOf(segmentation.id),
  isDraft: (segmentation) => segmentation.draftOfId !== null,
  timings: (segmentation) => ({
    queueWaitMs: segmentation.queueWaitMs,
    modelLoadMs: segmentation.modelLoadMs,
    preprocessMs: segmentation.preprocessMs,
    inferenceMs: segmentation.inferenceMs,
    postprocessMs: segmentation.postprocessMs,
    refineMs: segmentation.refineMs,
    storeMs: segmentation.storeMs,
  }),
  quality: (segmentation, _args, { services }) => services.quality.report(segmentation),
  effect: effectField,
  qualityEstimate: async (segmentation, _args, { services }) => {
    const estimate = await services.quality.estimate(segmentation);
    return estimate && { ...estimate, estimatedHce: estimate.disagreementHce ?? null, comparedWithModel: estimate.comparedWithModel ?? null };
  },
  mask: async (segmentation, { version }, { services, loaders, fileUrls }) => {
    const view = version == null ? await loaders.latestMask.load(segmentation) : await services.corrections.version(segmentation, version);
    return view && maskOf(view, fileUrls);
  },
  versions: (segmentation, _args, { services }) => services.corrections.list(segmentation),
};

/** A batched read's row, or NOT_FOUND as the single reads answer. */
export function found<T>(row: T | null, kind: string, id: string): T {
  if (!row) throw new AppError('NOT_FOUND', `No ${kind} with id ${id}`, { details: { id } });
  return row;
}

/** A mask version as the `Mask` type: the model's from the segmentation row, a correction from its own. */
function maskOf({ segmentation, record }: MaskVersionView, fileUrls: FileUrls) {
  const source = record ?? { ...segmentation, foregroundRatio: segmentation.foregroundRatio! };
  return {
    url: record ? fileUrls.maskVersion(segmentation.id, record.version) : fileUrls.mask(segmentation),
    width: segmentation.maskWidth!,
    height: segmentation.maskHeight!,
    foregroundRatio: source.foregroundRatio,
    subjectFound: record ? record.foregroundRatio > 0 : segmentation.subjectFound!,
    boundingBox: source.bboxX === null ? null : { x: source.bboxX, y: source.bboxY!, width: source.bboxWidth!, height: source.bboxHeight! },
  };
}

export const MaskVersion: MaskVersionResolvers = {
  version: ({ record }) => record?.version ?? 1,
  source: ({ record }) => record?.source ?? 'MODEL',
  parentVersion: ({ record }) => record?.parentVersion ?? null,
  createdAt: ({ segmentation, record }) => record?.createdAt ?? segmentation.finishedAt ?? segmentation.createdAt,
  mask: (view, _args, { fileUrls }) => maskOf(view, fileUrls),
  correction: ({ record }) =>
    record && {
      hce: record.hce,
      fpPoints: record.hceFpPoints,
      fpIndep: record.hceFpIndep,
      fnPoints: record.hceFnPoints,
      fnIndep: record.hceFnIndep,
      pixelsChanged: record.pixelsChanged,
    },
};

export const QualityReport: QualityReportResolvers = {
  hceParts: (score) => ({ fpPoints: score.hceFpPoints, fpIndep: score.hceFpIndep, fnPoints: score.hceFnPoints, fnIndep: score.hceFnIndep }),
  hcePoints: async (score, _args, { services }) => {
    const points = await services.quality.hcePoints(score);
    return { falsePositive: points.fp, falsePositiveRegions: points.fpRegions, falseNegative: points.fn, falseNegativeRegions: points.fnRegions };
  },
};

export const Model: ModelResolvers = {
  id: (entry) => entry.manifest.id,
  family: (entry) => graphqlFamily(entry.manifest.family),
  displayName: (entry) => entry.manifest.displayName,
  available: (entry) => entry.available,
  unavailableReason: (entry) => entry.unavailableReason ?? null,
  inputWidth: (entry) => entry.manifest.input.size[1],
  inputHeight: (entry) => entry.manifest.input.size[0],
  licence: (entry) => entry.manifest.licence,
  source: ({ manifest: { source } }) =>
    source.kind === 'npm-chunks'
      ? `npm ${source.package}@${source.version} ${source.resource}`
      : source.kind === 'npm-file'
        ? `npm ${source.package}@${source.version} ${source.path} (md5 ${source.md5})`
        : source.url,
  isDefault: (entry) => entry.manifest.default,
  weightsSha256: (entry) => entry.weightsSha256 ?? null,
  executionProvider: (_entry, _args, { config }) => config.executionProvider,
};

/** Bounds of `waitTimeoutMs`. */
const MAX_WAIT_MS = 120_000;

export function parseWaitTimeout(waitTimeoutMs: number | null | undefined): number {
  const value = waitTimeoutMs ?? 30_000;
  if (!Number.isInteger(value) || value < 1 || value > MAX_WAIT_MS) {
    throw inputError('input.waitTimeoutMs', `an integer between 1 and ${MAX_WAIT_MS}`, value);
  }
  return value;
}
