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

/** The longest side each encoder can write (libwebp 16383, AVIF through libheif 16384, libjpeg 65500). */
export const MAX_SIDE: Record<OutputFormat, number> = { png: 1_000_000, webp: 16_383, avif: 16_384, jpeg: 65_500 };
