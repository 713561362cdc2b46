/**
 * What one effect kind is: how its GraphQL member is parsed (with every default applied, so
 * rendering never re-validates), whether its result is transparent, and the libvips
 * pipeline that renders it from the shared layers. Adding a kind is adding one such module
 * to `index.ts` (and its member to `EffectInput` in schema.graphql).
 */
import type { Params } from '../params.js';
import type { Composition } from '../steps/encode.js';
import type { Layers } from '../steps/layers.js';

export interface RenderContext {
  /** The photo and the mask at the output size. */
  layers: Layers;
  /** Output pixels per full-size pixel: pixel parameters are given at full size. */
  scale: number;
  /** The full-size mask PNG the layers were made from (for kinds that measure it, not draw it). */
  maskPng: Buffer;
  /** The background photo of a BACKGROUND_REPLACE with a background asset. */
  backgroundPhoto: Buffer | undefined;
  /** The asset's ground-truth mask PNG, for kinds with `needsGroundTruth`. */
  groundTruth: Buffer | undefined;
}

/** Inputs beyond the photo and the mask that some kinds use. */
export interface RenderExtras {
  backgroundPhoto?: Buffer | undefined;
  groundTruth?: Buffer | undefined;
}

export interface EffectKind<Input, Spec extends { kind: string; featherPx?: number }> {
  parse(input: Input, params: Params): Spec;
  /** False for kinds made of the mask alone: the photo is then not decoded (`layers.rgb` is empty). */
  usesPhoto?: boolean;
  /** True for kinds drawn from the asset's ground truth (FAILED_PRECONDITION without one). */
  needsGroundTruth?: boolean;
  /** Whether the result has transparency (then JPEG is refused and PNG is the default). */
  transparent(spec: Spec): boolean;
  render(spec: Spec, context: RenderContext): Promise<Composition>;
}

/** Identity, for inference: `defineEffect({ parse, transparent, render })` types each kind. */
export function defineEffect<Input, Spec extends { kind: string; featherPx?: number }>(kind: EffectKind<Input, Spec>): EffectKind<Input, Spec> {
  return kind;
}
