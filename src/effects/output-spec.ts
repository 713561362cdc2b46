/** What a render produces: format, quality and bounding box, parsed from `OutputInput` (spec.ts). */
export type OutputFormat = 'png' | 'webp' | 'avif' | 'jpeg';

export interface OutputSpec {
  format: OutputFormat;
  /** 1–100; ignored for PNG. */
  quality: number;
  /** Bounding box for the output; the image is never enlarged. */
  maxWidth: number | undefined;
  maxHeight: number | undefined;
}
