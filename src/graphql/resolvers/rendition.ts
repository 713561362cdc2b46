import { parseEffectSpec } from '../../effects/spec.js';
import type { RenditionResolvers, SegmentationResolvers } from '../generated/resolvers.js';

export const effectField: SegmentationResolvers['effect'] = (segmentation, { input }, { services }) => {
  const { effect, output } = parseEffectSpec(input);
  return services.renditions.render(segmentation, effect, output);
};

export const Rendition: RenditionResolvers = {
  id: ({ record }) => record.id,
  url: ({ record }, _args, { fileUrls }) => fileUrls.rendition(record.id),
  width: ({ record }) => record.width,
  height: ({ record }) => record.height,
  format: ({ record }) => record.format.toUpperCase() as 'PNG' | 'WEBP' | 'AVIF' | 'JPEG',
  byteSize: ({ record }) => record.byteSize,
  cacheStatus: ({ cacheStatus }) => cacheStatus,
  renderMs: ({ record }) => record.renderMs,
};
