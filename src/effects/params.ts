/**
 * Reading one effect's parameters at the GraphQL edge: ranges, defaults and quantisation in
 * one place, with messages that name the field (`effect.backgroundBlur.strength`), the
 * expected range and the value received.
 */
import { AppError, inputError } from '../errors.js';

export interface Rgb {
  r: number;
  g: number;
  b: number;
}

interface NumberRule {
  min: number;
  max: number;
  fallback: number;
  integer?: boolean;
  /**
   * The step floats are rounded to: finer differences are invisible, and without rounding
   * every 0.5001 would be a render and a cache entry of its own.
   */
  quantum?: number;
}

export class Params {
  /** `path` names the member, e.g. `effect.backgroundBlur`. */
  constructor(private readonly path: string) {}

  bad(field: string, expected: string, received: unknown): AppError {
    return inputError(`${this.path}.${field}`, expected, received);
  }

  number(field: string, value: number | null | undefined, rule: NumberRule): number {
    if (value === null || value === undefined) return rule.fallback;
    if (!Number.isFinite(value) || value < rule.min || value > rule.max || (rule.integer && !Number.isInteger(value))) {
      throw this.bad(field, `${rule.integer ? 'an integer' : 'a number'} between ${rule.min} and ${rule.max}`, value);
    }
    if (rule.quantum === undefined) return value;
    // Rounded within the range; the division and product keep 0.01 steps free of float noise.
    return Math.min(rule.max, Math.max(rule.min, Math.round(value / rule.quantum) / Math.round(1 / rule.quantum)));
  }

  /** Edge softening in full-size pixels, shared by most kinds. */
  featherPx(value: number | null | undefined): number {
    return this.number('featherPx', value, { min: 0, max: 50, fallback: 0, quantum: 0.5 });
  }

  color(field: string, value: string | null | undefined, fallback: string): Rgb {
    const match = /^#?([0-9a-f]{6})$/i.exec(value ?? fallback);
    if (!match) throw this.bad(field, 'a hex colour like "#1e90ff"', value);
    const hex = Number.parseInt(match[1]!, 16);
    return { r: hex >> 16, g: (hex >> 8) & 255, b: hex & 255 };
  }
}
