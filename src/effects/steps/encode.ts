/** The last step of every render: the composed pipeline encoded to the requested format. */
import type { Sharp } from 'sharp';
import type { OutputSpec } from '../output-spec.js';

export interface RenderedImage {
  bytes: Buffer;
  width: number;
  height: number;
  format: OutputSpec['format'];
}

/** The columns a stored render's row keeps about it (renditions, preset images), `started` from performance.now(). */
export function renderedColumns(rendered: RenderedImage, started: number) {
  return { format: rendered.format, width: rendered.width, height: rendered.height, byteSize: rendered.bytes.length, renderMs: performance.now() - started };
}

/** What an effect kind hands to the encoder: its pipeline and how many channels it yields. */
export interface Composition {
  image: Sharp;
  /** 1: grey; 3: opaque colour (a composite's alpha is dropped); 4: transparent. */
  channels: 1 | 3 | 4;
}

export async function encode({ image, channels }: Composition, output: OutputSpec): Promise<RenderedImage> {
  let pipeline = channels === 1 ? image.toColourspace('b-w') : channels === 3 ? image.removeAlpha() : image.ensureAlpha();
  switch (output.format) {
    case 'png':
      pipeline = pipeline.png({ compressionLevel: 4, adaptiveFiltering: false });
      break;
    case 'webp':
      pipeline = pipeline.webp({ quality: output.quality, effort: 2 });
      break;
    case 'avif':
      pipeline = pipeline.avif({ quality: output.quality, effort: 2 });
      break;
    case 'jpeg':
      pipeline = pipeline.jpeg({ quality: output.quality });
      break;
  }
  const { data, info } = await pipeline.toBuffer({ resolveWithObject: true });
  return { bytes: data, width: info.width, height: info.height, format: output.format };
}
