/**
 * Every effect kind, by its `EffectInput` member. A kind is one module: its parameters,
 * their parsing and its libvips pipeline.
 */
import type { EffectKind } from './effect-kind.js';
import { backgroundBlur } from './background-blur.js';
import { backgroundReplace } from './background-replace.js';
import { colorSplash } from './color-splash.js';
import { cutout } from './cutout.js';
import { depthOfField } from './depth-of-field.js';
import { hcePoints } from './hce-points.js';
import { mask } from './mask.js';
import { maskOverlay } from './mask-overlay.js';
import { outline } from './outline.js';

export const EFFECT_KINDS = { mask, cutout, backgroundBlur, colorSplash, backgroundReplace, maskOverlay, depthOfField, outline, hcePoints };

export type EffectName = keyof typeof EFFECT_KINDS;

/** A parsed effect: one kind's parameters with every default applied. */
export type EffectSpec = { [Name in EffectName]: ReturnType<(typeof EFFECT_KINDS)[Name]['parse']> }[EffectName];

/** The kind of a parsed spec (TypeScript cannot relate a spec to its own kind's entry). */
export function kindOf(spec: EffectSpec): EffectKind<unknown, EffectSpec> {
  return EFFECT_KINDS[spec.kind] as unknown as EffectKind<unknown, EffectSpec>;
}
