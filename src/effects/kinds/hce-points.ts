/**
 * HCE_POINTS: where HCE says a person's clicks go, drawn over the photo. HCE of the rendered
 * mask version against the asset's ground truth (the DIS script's variant, at full size, as
 * `QualityReport.hcePoints` computes it): a filled dot per control point on a wrong boundary,
 * a ring per whole region to add or remove; red for false positives, blue for false negatives.
 * The mask's contour is tinted lightly under them, so the points read against the subject.
 */
import sharp from 'sharp';
import { AppError } from '../../errors.js';
import { computeHce, type HcePoints } from '../../metrics/hce.js';
import { greyPixels, raw } from '../steps/layers.js';
import { defineEffect } from './effect-kind.js';

export interface HcePointsSpec {
  kind: 'hcePoints';
  /** Dot radius in full-size pixels; undefined: 1/150 of the photo's longer side (at least 3). */
  markerPx: number | undefined;
}

const FALSE_POSITIVE = '#ff3b30';
const FALSE_NEGATIVE = '#0a84ff';

/** The points of `mask` against `groundTruth`, both full-size grey PNGs of one size. */
async function locate(maskPng: Buffer, groundTruthPng: Buffer): Promise<HcePoints> {
  const decode = async (png: Buffer) => {
    const { data, info } = await sharp(png).extractChannel(0).raw({ depth: 'uchar' }).toBuffer({ resolveWithObject: true });
    return { pixels: new Uint8Array(data.buffer, data.byteOffset, data.length), width: info.width, height: info.height };
  };
  const [mask, truth] = await Promise.all([decode(maskPng), decode(groundTruthPng)]);
  // Both have the asset's oriented size, except a draft's mask (its preview proxy's size).
  if (mask.width !== truth.width || mask.height !== truth.height)
    throw new AppError(
      'FAILED_PRECONDITION',
      `HCE_POINTS compares the mask with the ground truth pixel by pixel, and the mask (${mask.width}×${mask.height}; a draft's has its preview proxy's size) and the ground truth (${truth.width}×${truth.height}) differ in size`,
    );
  return (await computeHce(truth.pixels, mask.pixels, mask.width, mask.height, { variant: 'dis', locate: true })).points!;
}

/** The markers as one SVG at the output size (librsvg draws it inside libvips). */
function markersSvg(points: HcePoints, radius: number, scale: number, width: number, height: number): string {
  const at = ([x, y]: [number, number]) => `cx="${((x + 0.5) * scale).toFixed(1)}" cy="${((y + 0.5) * scale).toFixed(1)}"`;
  const dots = (list: [number, number][], colour: string) =>
    list.map((point) => `<circle ${at(point)} r="${radius}" fill="${colour}" stroke="#fff" stroke-width="${radius / 3}"/>`).join('');
  const rings = (list: [number, number][], colour: string) =>
    list.map((point) => `<circle ${at(point)} r="${radius * 2.5}" fill="none" stroke="${colour}" stroke-width="${radius / 1.5}"/>`).join('');
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}">${rings(points.fpRegions, FALSE_POSITIVE)}${rings(points.fnRegions, FALSE_NEGATIVE)}${dots(points.fp, FALSE_POSITIVE)}${dots(points.fn, FALSE_NEGATIVE)}</svg>`;
}

export const hcePoints = defineEffect({
  parse: (input: { markerPx?: number | null }, params): HcePointsSpec => ({
    kind: 'hcePoints',
    markerPx: input.markerPx == null ? undefined : params.number('markerPx', input.markerPx, { min: 1, max: 100, fallback: 6, quantum: 0.5 }),
  }),
  transparent: () => false,
  needsGroundTruth: true,
  async render(spec, { layers: { rgb, mask, width, height }, scale, maskPng, groundTruth }) {
    const points = await locate(maskPng, groundTruth!);
    const fullLongerSide = Math.max(width, height) / scale;
    const radius = Math.max(1.5, (spec.markerPx ?? Math.max(3, fullLongerSide / 150)) * scale);
    // The subject lightly tinted white, so the dots read against it.
    const tint = await greyPixels(raw(mask, width, height, 1).linear(0.25, 0));
    const white = {
      input: await sharp({ create: { width, height, channels: 3, background: '#fff' } })
        .joinChannel(tint, { raw: { width, height, channels: 1 } })
        .png({ compressionLevel: 0 })
        .toBuffer(),
    };
    const markers = { input: Buffer.from(markersSvg(points, radius, scale, width, height)) };
    return { image: raw(rgb, width, height, 3).composite([white, markers]), channels: 3 };
  },
});
