/**
 * Effect requests, parsed once at the GraphQL edge: `EffectInput` is a `@oneOf` input (the
 * schema guarantees exactly one member), each member parsed by its kind into a spec with
 * every default applied; rendering never re-validates. Messages name the field
 * (`effect.backgroundBlur.strength`), the expected range and the value received.
 */
import { EFFECT_KINDS, kindOf, type EffectName, type EffectSpec } from './kinds/index.js';
import type { OutputFormat, OutputSpec } from './output-spec.js';
import { Params } from './params.js';

export type { EffectSpec } from './kinds/index.js';
export type { Rgb } from './params.js';

export type { OutputFormat, OutputSpec } from './output-spec.js';

/** `EffectInput`: one member, named by kind, holding that kind's parameters. */
export type EffectInput = { [Name in EffectName]?: Parameters<(typeof EFFECT_KINDS)[Name]['parse']>[0] | null };

export interface OutputInput {
  /** AUTO is for presets (src/images), which negotiate per request; an effect names its format. */
  format?: 'AUTO' | 'PNG' | 'WEBP' | 'AVIF' | 'JPEG' | null;
  quality?: number | null;
  maxWidth?: number | null;
  maxHeight?: number | null;
}

function parseEffect(input: EffectInput): EffectSpec {
  const members = (Object.keys(input) as EffectName[]).filter((name) => input[name] != null);
  // GraphQL's @oneOf validation guarantees one member; callers outside GraphQL get the same rule.
  if (members.length !== 1 || !(members[0]! in EFFECT_KINDS)) {
    throw new Params('effect').bad('', `exactly one of ${Object.keys(EFFECT_KINDS).join(', ')}`, Object.keys(input));
  }
  const name = members[0]!;
  const kind = EFFECT_KINDS[name] as unknown as { parse(input: unknown, params: Params): EffectSpec };
  return kind.parse(input[name], new Params(`effect.${name}`));
}

export function parseEffectSpec(input: EffectInput, outputInput: OutputInput = {}): { effect: EffectSpec; output: OutputSpec } {
  const effect = parseEffect(input);
  const params = new Params('output');
  const transparent = kindOf(effect).transparent(effect);
  if (outputInput.format === 'AUTO') throw params.bad('format', 'PNG, WEBP, AVIF or JPEG (AUTO negotiates per request, which only preset URLs do)', 'AUTO');
  const format = (outputInput.format ?? (transparent ? 'PNG' : 'JPEG')).toLowerCase() as OutputFormat;
  if (format === 'jpeg' && transparent) throw params.bad('format', 'PNG, WEBP or AVIF (the result has transparency)', 'JPEG');
  const size = (field: 'maxWidth' | 'maxHeight') =>
    outputInput[field] == null ? undefined : params.number(field, outputInput[field], { min: 16, max: 16_384, fallback: 0, integer: true });
  return {
    effect,
    output: {
      format,
      quality: params.number('quality', outputInput.quality, { min: 1, max: 100, fallback: 82, integer: true }),
      maxWidth: size('maxWidth'),
      maxHeight: size('maxHeight'),
    },
  };
}
