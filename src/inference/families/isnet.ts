/**
 * IS-Net (Qin et al., "Highly Accurate Dichotomous Image Segmentation", ECCV 2022),
 * following the DIS repository's inference script: RGB resized to 1024×1024 (bilinear),
 * 8-bit, x/255 − 0.5 (std 1); the first output, min–max normalised; resized back to the
 * photo. The reference resizes without antialiasing; we let sharp antialias (and shrink
 * JPEGs while decoding), which only matters for photos far larger than 1024 px.
 */
import { resizeGreyMask } from '../image-input.js';
import type { Family } from './family.js';
import { prepareInput } from './family.js';

export const isnetFamily: Family = {
  prepare: prepareInput,

  toMask(mask, manifest, width, height) {
    const [inHeight, inWidth] = manifest.input.size;
    return resizeGreyMask(mask, inWidth, inHeight, width, height);
  },
};
