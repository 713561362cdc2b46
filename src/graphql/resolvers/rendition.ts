import { parseEffectSpec } from '../../effects/spec.js';
import type { RenditionResolvers, SegmentationResolvers } from '../generated/resolvers.js';

export const effectField: SegmentationResolvers['effect'] = (segmentation, { input, output: outputInput, version }, { owner, services, renderBudget }) => {
  const { effect, output } = parseEffectSpec(input, outputInput ?? undefined);
  return services.renditions.render(owner.id, segmentation, effect, output, version ?? undefined, renderBudget);
};

/** Inline previews stay small: larger renditions are fetched by URL. */
const MAX_INLINE_BYTES = 64 * 1024;

export const Rendition: RenditionResolvers = {
  id: ({ record }) => record.id,
  url: ({ record }, _args, { fileUrls }) => fileUrls.rendition(record.id),
  width: ({ record }) => record.width,
  height: ({ record }) => record.height,
  format: ({ record }) => record.format.toUpperCase() as 'PNG' | 'WEBP' | 'AVIF' | 'JPEG',
  byteSize: ({ record }) => record.byteSize,
  cacheStatus: ({ cacheStatus }) => cacheStatus,
  renderMs: ({ record }) => record.renderMs,
  dataUrl: ({ record }, _args, { services }) => services.renditions.dataUrl(record, MAX_INLINE_BYTES),
};
