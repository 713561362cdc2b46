/**
 * Presets: named ways to deliver an asset as an image. A preset is an optional effect, a
 * crop (aspect ratio and gravity), an output format (AUTO negotiates by Accept) and the
 * widths its URLs may name. Parsed once at the GraphQL edge with every default applied.
 */
import { inputError } from '../errors.js';
import { kindOf, type EffectSpec } from '../effects/kinds/index.js';
import { parseEffectSpec, type EffectInput } from '../effects/spec.js';
import type { OutputFormat } from '../effects/output-spec.js';
import type { CropSpec, Gravity } from './crop.js';

export type DeliveryFormat = OutputFormat | 'auto';

export interface PresetSpec {
  /** Lower-case letters, digits and dashes; names the preset in URLs. */
  name: string;
  /** Goes up with every change of the owner's preset; built-ins stay at 1. */
  revision: number;
  builtIn: boolean;
  /** The owner's preset row; undefined for built-ins. */
  id: string | undefined;
  effect: EffectSpec | undefined;
  format: DeliveryFormat;
  quality: number;
  crop: CropSpec | undefined;
  /** Ascending, distinct. */
  widths: number[];
}

export interface PresetInput {
  name: string;
  effect?: EffectInput | null;
  output?: { format?: 'AUTO' | 'PNG' | 'WEBP' | 'AVIF' | 'JPEG' | null; quality?: number | null; maxWidth?: number | null; maxHeight?: number | null } | null;
  crop?: { aspectRatio: number; gravity?: Gravity | null; paddingPercent?: number | null } | null;
  widths: number[];
}

const NAME_PATTERN = /^[a-z0-9][a-z0-9-]{0,39}$/;
const MIN_WIDTH = 16;
const MAX_WIDTH = 4096;
const MAX_WIDTHS = 12;
export const MAX_PRESETS_PER_OWNER = 50;
const DEFAULT_QUALITY = 75;

const builtIn = (name: string, rest: Pick<PresetSpec, 'effect' | 'crop' | 'widths'> & Partial<Pick<PresetSpec, 'format'>>): PresetSpec => ({
  name,
  revision: 1,
  builtIn: true,
  id: undefined,
  format: 'auto',
  quality: DEFAULT_QUALITY,
  ...rest,
});

/** Every owner has these; their names cannot be taken. */
export const BUILT_IN_PRESETS: readonly PresetSpec[] = [
  builtIn('thumbnail', { effect: undefined, crop: { aspectRatio: 1, gravity: 'SUBJECT', paddingPercent: undefined }, widths: [64, 128, 256, 512] }),
  builtIn('card', { effect: undefined, crop: { aspectRatio: 4 / 3, gravity: 'SUBJECT', paddingPercent: undefined }, widths: [320, 640, 960] }),
  builtIn('story', { effect: undefined, crop: { aspectRatio: 9 / 16, gravity: 'SUBJECT', paddingPercent: undefined }, widths: [360, 720, 1080] }),
  builtIn('photo', { effect: undefined, crop: undefined, widths: [320, 640, 1280, 1920] }),
  builtIn('cutout', {
    effect: { kind: 'cutout', featherPx: 0, cropMarginPx: undefined, decontaminate: true },
    crop: undefined,
    widths: [256, 512, 1024],
  }),
];

export function builtInPreset(name: string): PresetSpec | undefined {
  return BUILT_IN_PRESETS.find((preset) => preset.name === name);
}

/** Whether the preset's result has transparency (then AUTO never picks JPEG). */
export function isTransparent(preset: Pick<PresetSpec, 'effect'>): boolean {
  return preset.effect !== undefined && kindOf(preset.effect).transparent(preset.effect);
}

/**
 * Whether rendering needs the asset's mask: every effect does, and so does a crop that
 * follows the subject (or its focal point, unless a person set one).
 */
export function needsMask(preset: Pick<PresetSpec, 'effect' | 'crop'>, focalSetByUser: boolean): boolean {
  if (preset.effect) return true;
  if (!preset.crop) return false;
  return preset.crop.gravity === 'SUBJECT' || (preset.crop.gravity === 'FOCAL_POINT' && !focalSetByUser);
}

/** Checks `createPreset`/`updatePreset` input; messages name the field, the rule and the value. */
export function parsePresetInput(input: PresetInput): Omit<PresetSpec, 'revision' | 'builtIn' | 'id'> {
  if (!NAME_PATTERN.test(input.name))
    throw inputError('input.name', 'lower-case letters, digits and dashes, 1 to 40, starting with a letter or digit', input.name);
  if (builtInPreset(input.name)) throw inputError('input.name', 'a name no built-in preset has', input.name);
  const output = input.output ?? {};
  if (output.maxWidth != null || output.maxHeight != null) {
    throw inputError('input.output.maxWidth', 'no maxWidth or maxHeight (a preset is sized by its widths)', output.maxWidth ?? output.maxHeight);
  }
  let effect: EffectSpec | undefined;
  if (input.effect) {
    effect = parseEffectSpec(input.effect, {}).effect;
    if (effect.kind === 'hcePoints') throw inputError('input.effect', 'an effect that needs no ground truth', 'hcePoints');
    if (effect.kind === 'backgroundReplace' && effect.backgroundAssetId)
      throw inputError(
        'input.effect.backgroundReplace.backgroundAssetId',
        'no background asset in a preset (a colour or a gradient)',
        effect.backgroundAssetId,
      );
    if (effect.kind === 'cutout' && effect.cropMarginPx !== undefined)
      throw inputError('input.effect.cutout.cropMarginPx', 'no cropMarginPx in a preset (use crop)', effect.cropMarginPx);
  }
  const format = (output.format ?? 'AUTO').toLowerCase() as DeliveryFormat;
  if (format === 'jpeg' && isTransparent({ effect })) throw inputError('input.output.format', 'AUTO, PNG, WEBP or AVIF (the result has transparency)', 'JPEG');
  const quality = output.quality ?? DEFAULT_QUALITY;
  if (!Number.isInteger(quality) || quality < 1 || quality > 100) throw inputError('input.output.quality', 'an integer from 1 to 100', quality);
  let crop: CropSpec | undefined;
  if (input.crop) {
    const { aspectRatio, gravity, paddingPercent } = input.crop;
    if (!Number.isFinite(aspectRatio) || aspectRatio < 0.1 || aspectRatio > 10)
      throw inputError('input.crop.aspectRatio', 'width / height from 0.1 to 10', aspectRatio);
    if (paddingPercent != null && (!Number.isFinite(paddingPercent) || paddingPercent < 0 || paddingPercent > 100))
      throw inputError('input.crop.paddingPercent', 'a number from 0 to 100', paddingPercent);
    crop = { aspectRatio, gravity: gravity ?? 'SUBJECT', paddingPercent: paddingPercent ?? undefined };
  }
  const widths = [...new Set(input.widths)].sort((a, b) => a - b);
  if (widths.length < 1 || widths.length > MAX_WIDTHS) throw inputError('input.widths', `1 to ${MAX_WIDTHS} widths`, { described: `${widths.length}` });
  for (const width of widths) {
    if (!Number.isInteger(width) || width < MIN_WIDTH || width > MAX_WIDTH)
      throw inputError('input.widths', `integers from ${MIN_WIDTH} to ${MAX_WIDTH}`, width);
  }
  return { name: input.name, effect, format, quality, crop, widths };
}
