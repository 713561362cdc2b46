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

export type EffectSpec =
  | { kind: 'mask'; threshold: number | undefined; invert: boolean; featherPx: number }
  | { kind: 'cutout'; featherPx: number; cropMarginPx: number | undefined }
  | { kind: 'backgroundBlur'; strength: number; featherPx: number }
  | { kind: 'colorSplash'; featherPx: number }
  | { kind: 'backgroundReplace'; color: { r: number; g: number; b: number }; featherPx: number }
  | { kind: 'maskOverlay'; color: { r: number; g: number; b: number }; opacity: number }
  | { kind: 'depthOfField'; strength: number; falloffPx: number; featherPx: number }
  | { kind: 'outline'; widthPx: number; color: { r: number; g: number; b: number }; onPhoto: boolean };

export interface EffectInput {
  kind: 'MASK' | 'CUTOUT' | 'BACKGROUND_BLUR' | 'COLOR_SPLASH' | 'BACKGROUND_REPLACE' | 'MASK_OVERLAY' | 'DEPTH_OF_FIELD' | 'OUTLINE';
  falloffPx?: number | null;
  widthPx?: number | null;
  onPhoto?: boolean | null;
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

function number(input: EffectInput, field: 'strength' | 'featherPx' | 'threshold' | 'cropMarginPx' | 'opacity' | 'quality' | 'maxWidth' | 'maxHeight' | 'falloffPx' | 'widthPx', min: number, max: number, fallback: number, integer = false): number {
  const value = input[field];
  if (value === null || value === undefined) return fallback;
  if (!Number.isFinite(value) || value < min || value > max || (integer && !Number.isInteger(value))) {
    throw bad(field, `${integer ? 'an integer' : 'a number'} between ${min} and ${max}`, value);
  }
  return value;
}

function color(input: EffectInput, fallback: string): { r: number; g: number; b: number } {
  const value = input.color ?? fallback;
  const match = /^#?([0-9a-f]{6})$/i.exec(value);
  if (!match) throw bad('color', 'a hex colour like "#1e90ff"', value);
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
      effect = { kind: 'cutout', featherPx, cropMarginPx: input.cropMarginPx == null ? undefined : number(input, 'cropMarginPx', 0, 10_000, 0, true) };
      break;
    case 'BACKGROUND_BLUR':
      effect = { kind: 'backgroundBlur', strength: number(input, 'strength', 0, 1, 0.5), featherPx };
      break;
    case 'COLOR_SPLASH':
      effect = { kind: 'colorSplash', featherPx };
      break;
    case 'BACKGROUND_REPLACE':
      effect = { kind: 'backgroundReplace', color: color(input, '#ffffff'), featherPx };
      break;
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
