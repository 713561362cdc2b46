/**
 * Renders an effect: the shared layers at the output size, the kind's libvips pipeline,
 * the encoder. Pixels pass through JavaScript where libvips has no operation (the distance
 * transform, a cut-out's foreground colour on the soft band) and where a loop costs less than
 * starting another libvips pipeline (depth of field's blend and its enlargement, the
 * background's weights); callers run this on a worker thread (RenderPool), never on the
 * event loop.
 */
import type { RenderExtras } from './kinds/effect-kind.js';
import { kindOf, type EffectSpec } from './kinds/index.js';
import { encode, type RenderedImage } from './steps/encode.js';
import { loadLayers } from './steps/layers.js';
import type { OutputSpec } from './output-spec.js';

export type { RenderedImage } from './steps/encode.js';
export { MAX_BLUR_SIGMA } from './kinds/background-blur.js';

/** The output size: inside the bounding box, never larger than the photo. */
export function outputSize(width: number, height: number, output: OutputSpec): { width: number; height: number } {
  const scale = Math.min(1, output.maxWidth ? output.maxWidth / width : 1, output.maxHeight ? output.maxHeight / height : 1);
  return { width: Math.max(1, Math.round(width * scale)), height: Math.max(1, Math.round(height * scale)) };
}

/**
 * Renders `effect` for a photo of oriented size `width × height` and its mask PNG; `extras`
 * are the background photo of a BACKGROUND_REPLACE with a background asset and the ground
 * truth of the kinds that need one.
 */
export async function renderEffect(
  effect: EffectSpec,
  output: OutputSpec,
  photo: Buffer,
  maskPng: Buffer,
  width: number,
  height: number,
  extras: RenderExtras = {},
): Promise<RenderedImage> {
  const size = outputSize(width, height, output);
  const scale = size.width / width;
  const kind = kindOf(effect);
  const featherPx = 'featherPx' in effect ? effect.featherPx : 0;
  const layers = await loadLayers(kind.usesPhoto === false ? undefined : photo, maskPng, size.width, size.height, featherPx * scale);
  return encode(await kind.render(effect, { layers, scale, maskPng, backgroundPhoto: extras.backgroundPhoto, groundTruth: extras.groundTruth }), output);
}
