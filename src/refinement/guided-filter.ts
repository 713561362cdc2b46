/**
 * The colour guided filter (He, Sun and Tang, "Guided Image Filtering", TPAMI 2013), in its
 * fast form ("Fast Guided Filter", He and Sun 2015): the linear coefficients are computed on
 * the guide and the input reduced by `shrink`, then enlarged and applied at full resolution,
 * here only to the pixels a band selects. The output follows the photo's own edges inside
 * the band: a mask's soft, enlarged edge becomes the photo's hair, fur and twigs.
 */
import { boxMean } from './box-mean.js';

export interface GuidedFilterInput {
  /** The guide at full resolution: sRGB, 3 bytes per pixel. */
  guide: Buffer;
  /** The guide reduced by `shrink` (3 bytes per pixel) and its size. */
  smallGuide: Buffer;
  /** The input (the mask, 0..255) reduced by `shrink`. */
  smallInput: Buffer;
  smallWidth: number;
  smallHeight: number;
  width: number;
  height: number;
  /** Window radius in reduced pixels. */
  radius: number;
  /** Regularisation: larger smooths more, smaller follows the guide more closely. */
  epsilon: number;
}

/** Per reduced pixel, the coefficients (a_r, a_g, a_b, b) of q = a·I + b, averaged over windows. */
function coefficients({ smallGuide, smallInput, smallWidth: w, smallHeight: h, radius, epsilon }: GuidedFilterInput): Float32Array[] {
  const n = w * h;
  const channel = (c: number) => {
    const values = new Float32Array(n);
    for (let i = 0; i < n; i += 1) values[i] = smallGuide[i * 3 + c]! / 255;
    return values;
  };
  const [r, g, b] = [channel(0), channel(1), channel(2)];
  const p = new Float32Array(n);
  for (let i = 0; i < n; i += 1) p[i] = smallInput[i]! / 255;
  const mean = (values: Float32Array) => boxMean(values, w, h, radius);
  const product = (x: Float32Array, y: Float32Array) => {
    const values = new Float32Array(n);
    for (let i = 0; i < n; i += 1) values[i] = x[i]! * y[i]!;
    return values;
  };
  const [mr, mg, mb, mp] = [mean(r), mean(g), mean(b), mean(p)];
  const [mrp, mgp, mbp] = [mean(product(r, p)), mean(product(g, p)), mean(product(b, p))];
  const [mrr, mrg, mrb, mgg, mgb, mbb] = [
    mean(product(r, r)),
    mean(product(r, g)),
    mean(product(r, b)),
    mean(product(g, g)),
    mean(product(g, b)),
    mean(product(b, b)),
  ];
  const [ar, ag, ab, bb] = [new Float32Array(n), new Float32Array(n), new Float32Array(n), new Float32Array(n)];
  for (let i = 0; i < n; i += 1) {
    // Σ + εU, symmetric 3×3, inverted by its adjugate (scalars only: this loop runs per pixel).
    const srr = mrr[i]! - mr[i]! * mr[i]! + epsilon;
    const srg = mrg[i]! - mr[i]! * mg[i]!;
    const srb = mrb[i]! - mr[i]! * mb[i]!;
    const sgg = mgg[i]! - mg[i]! * mg[i]! + epsilon;
    const sgb = mgb[i]! - mg[i]! * mb[i]!;
    const sbb = mbb[i]! - mb[i]! * mb[i]! + epsilon;
    const c00 = sgg * sbb - sgb * sgb;
    const c01 = srb * sgb - srg * sbb;
    const c02 = srg * sgb - srb * sgg;
    const c11 = srr * sbb - srb * srb;
    const c12 = srg * srb - srr * sgb;
    const c22 = srr * sgg - srg * srg;
    const determinant = srr * c00 + srg * c01 + srb * c02;
    const cr = mrp[i]! - mr[i]! * mp[i]!;
    const cg = mgp[i]! - mg[i]! * mp[i]!;
    const cb = mbp[i]! - mb[i]! * mp[i]!;
    ar[i] = (c00 * cr + c01 * cg + c02 * cb) / determinant;
    ag[i] = (c01 * cr + c11 * cg + c12 * cb) / determinant;
    ab[i] = (c02 * cr + c12 * cg + c22 * cb) / determinant;
    bb[i] = mp[i]! - ar[i]! * mr[i]! - ag[i]! * mg[i]! - ab[i]! * mb[i]!;
  }
  return [mean(ar), mean(ag), mean(ab), mean(bb)];
}

/**
 * Filters `mask` (0..255, full resolution) where `band` is set, guided by the photo; other
 * pixels keep their value. Returns a new mask.
 */
export function guidedFilterInBand(input: GuidedFilterInput, mask: Uint8Array, band: Uint8Array): Uint8Array {
  const [ar, ag, ab, bb] = coefficients(input);
  const { guide, width, height, smallWidth: w, smallHeight: h } = input;
  const [sx, sy] = [w / width, h / height];
  const out = mask.slice();
  for (let y = 0; y < height; y += 1) {
    // Bilinear sampling of the reduced coefficients at this pixel's centre.
    const fy = Math.min(h - 1, Math.max(0, (y + 0.5) * sy - 0.5));
    const y0 = Math.floor(fy);
    const y1 = Math.min(h - 1, y0 + 1);
    const ty = fy - y0;
    for (let x = 0; x < width; x += 1) {
      const i = y * width + x;
      if (!band[i]) continue;
      const fx = Math.min(w - 1, Math.max(0, (x + 0.5) * sx - 0.5));
      const x0 = Math.floor(fx);
      const x1 = Math.min(w - 1, x0 + 1);
      const tx = fx - x0;
      const [w00, w01, w10, w11] = [(1 - tx) * (1 - ty), tx * (1 - ty), (1 - tx) * ty, tx * ty];
      const [i00, i01, i10, i11] = [y0 * w + x0, y0 * w + x1, y1 * w + x0, y1 * w + x1];
      const q =
        ((ar[i00]! * w00 + ar[i01]! * w01 + ar[i10]! * w10 + ar[i11]! * w11) * guide[i * 3]! +
          (ag[i00]! * w00 + ag[i01]! * w01 + ag[i10]! * w10 + ag[i11]! * w11) * guide[i * 3 + 1]! +
          (ab[i00]! * w00 + ab[i01]! * w01 + ab[i10]! * w10 + ab[i11]! * w11) * guide[i * 3 + 2]!) /
          255 +
        (bb[i00]! * w00 + bb[i01]! * w01 + bb[i10]! * w10 + bb[i11]! * w11);
      out[i] = Math.round(255 * Math.min(1, Math.max(0, q)));
    }
  }
  return out;
}
