/**
 * U²-Net (Qin et al., Pattern Recognition 2020) as its test script (u2net_test.py with
 * data_loader.py) runs it: the full photo resized to 320×320 by skimage's resize (float,
 * Gaussian antialiasing), divided by the resized image's maximum, ImageNet mean/std per
 * channel (a grey photo uses the red statistics for all three), the first of the seven
 * outputs (d0) min–max normalised, ×255 truncated to 8 bits, then Pillow's bilinear
 * resize back to the photo's size. Checked against masks made by the original pipeline
 * (test/fixtures/families).
 */
import { pilBilinearResize } from '../pil-resize.js';
import type { Family } from './family.js';
import { prepareInput } from './family.js';

export const u2netFamily: Family = {
  prepare: prepareInput,

  async toMask(mask, manifest, width, height) {
    const [inHeight, inWidth] = manifest.input.size;
    return pilBilinearResize(mask, inWidth, inHeight, width, height);
  },
};
