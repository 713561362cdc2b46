/**
 * scikit-image 0.19's 2-D `skeletonize` (Zhang's method with scikit-image's lookup table),
 * as the DIS HCE script computes the ground truth's skeleton (shared/docs/metrics.md §9.2).
 * OpenCV has no compatible thinning, so it is written out here.
 */

/** Neighbourhood code → class: 1 deletable in sub-pass 1, 2 in sub-pass 2, 3 in both. */
const CLASS_TABLE: Uint8Array = (() => {
  const table = new Uint8Array(256);
  for (let code = 0; code < 256; code += 1) {
    const bit = (k: number) => (code >> k) & 1;
    const [nw, n, ne, e, se, s, sw, w] = [bit(0), bit(1), bit(2), bit(3), bit(4), bit(5), bit(6), bit(7)];
    const ring = [n, ne, e, se, s, sw, w, nw];
    const neighbours = ring.reduce((sum, value) => sum + value, 0);
    let transitions = 0;
    for (let k = 0; k < 8; k += 1) if (ring[k] === 0 && ring[(k + 1) % 8] === 1) transitions += 1;
    let cls = 0;
    if (neighbours >= 2 && neighbours <= 6 && transitions === 1) {
      if (n * e * s === 0 && e * s * w === 0) cls += 1;
      if (n * e * w === 0 && n * s * w === 0) cls += 2;
    }
    table[code] = cls;
  }
  const overrides: [number, number][] = [
    [3, 1],
    [6, 1],
    [10, 3],
    [11, 1],
    [12, 1],
    [14, 1],
    [24, 2],
    [26, 2],
    [40, 3],
    [48, 0],
    [56, 2],
    [96, 2],
    [104, 2],
    [108, 2],
    [129, 0],
    [130, 3],
    [131, 1],
    [134, 1],
    [160, 3],
    [161, 1],
    [176, 2],
    [192, 2],
    [194, 1],
    [198, 1],
    [224, 2],
  ];
  for (const [code, cls] of overrides) table[code] = cls;
  return table;
})();

/** @param mask 1 = foreground, row-major `width × height`; returns the skeleton as 0/1. */
export function skeletonize(mask: Uint8Array, width: number, height: number): Uint8Array {
  const paddedWidth = width + 2;
  const image = new Uint8Array(paddedWidth * (height + 2));
  for (let r = 0; r < height; r += 1) for (let c = 0; c < width; c += 1) image[(r + 1) * paddedWidth + c + 1] = mask[r * width + c] ? 1 : 0;
  const code = (img: Uint8Array, i: number) =>
    img[i - paddedWidth - 1]! |
    (img[i - paddedWidth]! << 1) |
    (img[i - paddedWidth + 1]! << 2) |
    (img[i + 1]! << 3) |
    (img[i + paddedWidth + 1]! << 4) |
    (img[i + paddedWidth]! << 5) |
    (img[i + paddedWidth - 1]! << 6) |
    (img[i - 1]! << 7);
  // Only foreground pixels can be deleted, so each sub-pass visits the shrinking list of
  // them; deciding all deletions before applying any is the reference's snapshot rule.
  let foreground = new Int32Array(width * height);
  let count = 0;
  for (let r = 1; r <= height; r += 1) for (let c = 1; c <= width; c += 1) if (image[r * paddedWidth + c]) foreground[count++] = r * paddedWidth + c;
  foreground = foreground.subarray(0, count);
  const doomed = new Int32Array(count);
  const subPass = (deletable: (cls: number) => boolean): boolean => {
    let deletions = 0;
    for (let k = 0; k < count; k += 1) {
      const i = foreground[k]!;
      if (deletable(CLASS_TABLE[code(image, i)]!)) doomed[deletions++] = i;
    }
    if (deletions === 0) return false;
    for (let k = 0; k < deletions; k += 1) image[doomed[k]!] = 0;
    let kept = 0;
    for (let k = 0; k < count; k += 1) if (image[foreground[k]!]) foreground[kept++] = foreground[k]!;
    count = kept;
    return true;
  };
  for (;;) {
    const first = subPass((cls) => cls === 1 || cls === 3);
    const second = subPass((cls) => cls === 2 || cls === 3);
    if (!first && !second) break;
  }
  const skeleton = new Uint8Array(width * height);
  for (let r = 0; r < height; r += 1) for (let c = 0; c < width; c += 1) skeleton[r * width + c] = image[(r + 1) * paddedWidth + c + 1]!;
  return skeleton;
}
