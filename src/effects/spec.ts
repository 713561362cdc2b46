/**
 * Effect requests, parsed once at the GraphQL edge into a discriminated union with every
 * default applied; rendering never re-validates. Messages name the field, the expected
 * range and the value received.
 */
import { AppError } from '../errors.js';

export type OutputFormat = 'png' | 'webp' | 'avif' | 'jpeg';

export interface OutputSpec {
  format: OutputFormat;
  /** 1–100; ignored for PNG. */
  quality: number;
  /** Bounding box for the output; the image is never enlarged. */
  maxWidth: number | undefined;
  maxHeight: number | undefined;
}

export interface Rgb {
  r: number;
  g: number;
  b: number;
}

export type EffectSpec =
  | { kind: 'mask'; threshold: number | undefined; invert: boolean; featherPx: number }
  | { kind: 'cutout'; featherPx: number; cropMarginPx: number | undefined; decontaminate: boolean }
  | { kind: 'backgroundBlur'; strength: number; featherPx: number }
  | { kind: 'colorSplash'; featherPx: number }
  | {
      kind: 'backgroundReplace';
      color: Rgb;
      /** A second colour makes a gradient from `color` to it. */
      gradient: { to: Rgb; shape: 'linear' | 'radial' } | undefined;
      /** Another of the owner's assets as the background (checked by the service). */
      backgroundAssetId: string | undefined;
      fit: 'cover' | 'contain';
      shadow: { opacity: number; offsetX: number; offsetY: number; blurPx: number } | undefined;
      featherPx: number;
    }
  | { kind: 'maskOverlay'; color: { r: number; g: number; b: number }; opacity: number }
  | { kind: 'depthOfField'; strength: number; falloffPx: number; featherPx: number }
  | { kind: 'outline'; widthPx: number; color: { r: number; g: number; b: number }; onPhoto: boolean };

export interface EffectInput {
  kind: 'MASK' | 'CUTOUT' | 'BACKGROUND_BLUR' | 'COLOR_SPLASH' | 'BACKGROUND_REPLACE' | 'MASK_OVERLAY' | 'DEPTH_OF_FIELD' | 'OUTLINE';
  falloffPx?: number | null;
  widthPx?: number | null;
  onPhoto?: boolean | null;
  decontaminate?: boolean | null;
  color2?: string | null;
  gradient?: 'LINEAR' | 'RADIAL' | null;
  backgroundAssetId?: string | null;
  fit?: 'COVER' | 'CONTAIN' | null;
  shadowOpacity?: number | null;
  shadowOffsetX?: number | null;
  shadowOffsetY?: number | null;
  shadowBlurPx?: number | null;
  strength?: number | null;
  featherPx?: number | null;
  threshold?: number | null;
  invert?: boolean | null;
  cropMarginPx?: number | null;
  color?: string | null;
  opacity?: number | null;
  format?: 'PNG' | 'WEBP' | 'AVIF' | 'JPEG' | null;
  quality?: number | null;
  maxWidth?: number | null;
  maxHeight?: number | null;
}

function bad(field: string, expected: string, received: unknown): AppError {
  return new AppError('BAD_USER_INPUT', `Expected ${expected} for effect.${field} but received ${JSON.stringify(received)}`, { details: { field: `effect.${field}` } });
}

/**
 * Steps floats are rounded to, per field: finer differences are invisible, and without
 * rounding every 0.5001 would be a render and a cache entry of its own.
 */
const QUANTA: Partial<Record<NumberField, number>> = {
  strength: 0.01,
  opacity: 0.01,
  shadowOpacity: 0.01,
  featherPx: 0.5,
  falloffPx: 1,
  widthPx: 0.5,
  shadowOffsetX: 1,
  shadowOffsetY: 1,
  shadowBlurPx: 0.5,
};

type NumberField = 'strength' | 'featherPx' | 'threshold' | 'cropMarginPx' | 'opacity' | 'quality' | 'maxWidth' | 'maxHeight' | 'falloffPx' | 'widthPx' | 'shadowOpacity' | 'shadowOffsetX' | 'shadowOffsetY' | 'shadowBlurPx';

function number(input: EffectInput, field: NumberField, min: number, max: number, fallback: number, integer = false): number {
  const value = input[field];
  if (value === null || value === undefined) return fallback;
  if (!Number.isFinite(value) || value < min || value > max || (integer && !Number.isInteger(value))) {
    throw bad(field, `${integer ? 'an integer' : 'a number'} between ${min} and ${max}`, value);
  }
  const quantum = QUANTA[field];
  // Rounded within the range; the division and product keep 0.01 steps free of float noise.
  return quantum === undefined ? value : Math.min(max, Math.max(min, Math.round(value / quantum) / Math.round(1 / quantum)));
}

function color(input: EffectInput, fallback: string, field: 'color' | 'color2' = 'color'): Rgb {
  const value = input[field] ?? fallback;
  const match = /^#?([0-9a-f]{6})$/i.exec(value);
  if (!match) throw bad(field, 'a hex colour like "#1e90ff"', value);
  const hex = Number.parseInt(match[1]!, 16);
  return { r: hex >> 16, g: (hex >> 8) & 255, b: hex & 255 };
}

export function parseEffectSpec(input: EffectInput): { effect: EffectSpec; output: OutputSpec } {
  const featherPx = number(input, 'featherPx', 0, 50, 0);
  let effect: EffectSpec;
  switch (input.kind) {
    case 'MASK':
      effect = { kind: 'mask', threshold: input.threshold == null ? undefined : number(input, 'threshold', 1, 255, 128, true), invert: input.invert ?? false, featherPx };
      break;
    case 'CUTOUT':
      effect = {
        kind: 'cutout',
        featherPx,
        cropMarginPx: input.cropMarginPx == null ? undefined : number(input, 'cropMarginPx', 0, 10_000, 0, true),
        decontaminate: input.decontaminate ?? true,
      };
      break;
    case 'BACKGROUND_BLUR':
      effect = { kind: 'backgroundBlur', strength: number(input, 'strength', 0, 1, 0.5), featherPx };
      break;
    case 'COLOR_SPLASH':
      effect = { kind: 'colorSplash', featherPx };
      break;
    case 'BACKGROUND_REPLACE': {
      if (input.backgroundAssetId != null && !/^[0-9a-f-]{36}$/i.test(input.backgroundAssetId)) throw bad('backgroundAssetId', 'an asset id (UUID)', input.backgroundAssetId);
      const shadowOpacity = number(input, 'shadowOpacity', 0, 1, 0);
      effect = {
        kind: 'backgroundReplace',
        color: color(input, '#ffffff'),
        gradient: input.color2 == null ? undefined : { to: color(input, '#000000', 'color2'), shape: input.gradient === 'RADIAL' ? 'radial' : 'linear' },
        backgroundAssetId: input.backgroundAssetId?.toLowerCase() ?? undefined,
        fit: input.fit === 'CONTAIN' ? 'contain' : 'cover',
        shadow:
          shadowOpacity === 0
            ? undefined
            : {
                opacity: shadowOpacity,
                offsetX: number(input, 'shadowOffsetX', -500, 500, 12),
                offsetY: number(input, 'shadowOffsetY', -500, 500, 18),
                blurPx: number(input, 'shadowBlurPx', 0, 200, 16),
              },
        featherPx,
      };
      break;
    }
    case 'MASK_OVERLAY':
      effect = { kind: 'maskOverlay', color: color(input, '#ff2d55'), opacity: number(input, 'opacity', 0, 1, 0.45) };
      break;
    case 'DEPTH_OF_FIELD':
      effect = { kind: 'depthOfField', strength: number(input, 'strength', 0, 1, 0.5), falloffPx: number(input, 'falloffPx', 1, 10_000, 200), featherPx };
      break;
    case 'OUTLINE':
      effect = { kind: 'outline', widthPx: number(input, 'widthPx', 1, 200, 12), color: color(input, '#ffffff'), onPhoto: input.onPhoto ?? false };
      break;
  }
  const transparent = effect.kind === 'cutout' || (effect.kind === 'outline' && !effect.onPhoto);
  const format = (input.format ?? (transparent ? 'PNG' : 'JPEG')).toLowerCase() as OutputFormat;
  if (format === 'jpeg' && transparent) throw bad('format', 'PNG, WEBP or AVIF (the result has transparency)', 'JPEG');
  return {
    effect,
    output: {
      format,
      quality: number(input, 'quality', 1, 100, 82, true),
      maxWidth: input.maxWidth == null ? undefined : number(input, 'maxWidth', 16, 16_384, 0, true),
      maxHeight: input.maxHeight == null ? undefined : number(input, 'maxHeight', 16, 16_384, 0, true),
    },
  };
}
