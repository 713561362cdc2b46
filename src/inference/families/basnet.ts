/**
 * BASNet (Qin et al., "Boundary-Aware Salient Object Detection", CVPR 2019). Its test
 * script (basnet_test.py) shares U²-Net's data loader: RescaleT(256) with skimage, the
 * same divide-by-max and ImageNet statistics, the first of eight outputs (the refined
 * map) min–max normalised, Pillow bilinear back to size. Only the input size differs,
 * and that is in the manifest.
 */
import type { Family } from './family.js';
import { u2netFamily } from './u2net.js';

export const basnetFamily: Family = u2netFamily;
