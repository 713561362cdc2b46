/** Preset images, focal points, placeholders and colours of assets, and the `Preset` type. */
import { inputError } from '../../errors.js';
import { focalPoint } from '../../images/crop.js';
import { planImage, userFocalPoint } from '../../images/plan.js';
import { newestSucceeded, subjectState, type SubjectState } from '../../images/subject.js';
import type { AssetRecord } from '../../storage/records.js';
import type { GraphQLContext } from '../context.js';
import type { AssetResolvers, PresetResolvers } from '../generated/resolvers.js';

/** The asset's subject from this request's batched reads. */
async function subjectOf(asset: AssetRecord, { loaders }: GraphQLContext): Promise<SubjectState> {
  const segmentations = await loaders.segmentationsOfAsset.load(asset.id);
  const newest = newestSucceeded(segmentations);
  return subjectState(segmentations, newest ? await loaders.latestMask.load(newest) : null);
}

/** The stored summary; starts its computation when it is missing or from an older mask. */
async function summaryOf(asset: AssetRecord, context: GraphQLContext) {
  const [stored, subject] = await Promise.all([context.loaders.summary.load(asset.id), subjectOf(asset, context)]);
  context.services.summaries.refreshIfStale(asset, stored, subject.kind === 'ready' ? subject.maskSha256 : null);
  return stored;
}

export const assetImageFields: Pick<AssetResolvers, 'image' | 'focalPoint' | 'placeholder' | 'colors'> = {
  image: async (asset, { preset: name, width }, context) => {
    const preset = await context.loaders.preset.load(name);
    if (!preset) throw inputError('preset', 'the name of a built-in preset or one of yours (see presets)', name);
    const chosen = width ?? preset.widths.at(-1)!;
    if (!preset.widths.includes(chosen)) return null;
    const subject = await subjectOf(asset, context);
    const plan = planImage(asset, preset, chosen, subject);
    const sources = new Map<number, string>();
    for (const each of preset.widths) {
      const variant = planImage(asset, preset, each, subject);
      if (!sources.has(variant.width)) sources.set(variant.width, context.fileUrls.image(variant.path));
    }
    return {
      url: context.fileUrls.image(plan.path),
      aliasUrl: context.fileUrls.image(plan.aliasPath),
      width: plan.width,
      height: plan.height,
      crop: plan.crop,
      srcset: [...sources].map(([each, url]) => `${url} ${each}w`).join(', '),
    };
  },
  focalPoint: async (asset, _args, context) => {
    const subject = await subjectOf(asset, context);
    return subject.kind === 'ready' ? focalPoint(asset, userFocalPoint(asset), subject.box, subject.centre) : focalPoint(asset, userFocalPoint(asset), null);
  },
  placeholder: async (asset, _args, context) => {
    const summary = await summaryOf(asset, context);
    return summary && { thumbhash: summary.thumbhash, dataUrl: summary.dataUrl };
  },
  colors: async (asset, _args, context) => {
    const summary = await summaryOf(asset, context);
    return summary && { dominant: summary.dominant, foreground: summary.foreground, background: summary.background };
  },
};

export const Preset: PresetResolvers = {
  effect: (preset) => preset.effect?.kind ?? null,
  effectParameters: (preset) => {
    if (!preset.effect) return null;
    const { kind: _kind, ...parameters } = preset.effect;
    return JSON.stringify(parameters);
  },
  format: (preset) => preset.format.toUpperCase() as 'AUTO' | 'PNG' | 'WEBP' | 'AVIF' | 'JPEG',
  crop: (preset) => (preset.crop ? { ...preset.crop, paddingPercent: preset.crop.paddingPercent ?? null } : null),
};
