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

/** Work done by one `skeletonize` call, for tests that bound its cost. */
export interface SkeletonWork {
  /** Neighbourhood evaluations over all sub-passes. */
  evaluations: number;
}

const PASS_BITS = [1, 2] as const;

/**
 * @param mask 1 = foreground, row-major `width × height`; returns the skeleton as 0/1.
 *
 * The reference rescans every remaining foreground pixel in every sub-pass, which costs
 * area × thickness (minutes on a solid 12 MP mask). A pixel's verdict in a sub-pass depends
 * only on its 8 neighbours, so a pixel kept in sub-pass s keeps its verdict until a
 * neighbour is deleted: only those pixels are evaluated again. Same output, and each
 * deletion costs a bounded number of evaluations, so the whole call is linear in the area.
 */
export function skeletonize(mask: Uint8Array, width: number, height: number, work?: SkeletonWork): Uint8Array {
  const paddedWidth = width + 2;
  const image = new Uint8Array(paddedWidth * (height + 2));
  for (let r = 0; r < height; r += 1) for (let c = 0; c < width; c += 1) image[(r + 1) * paddedWidth + c + 1] = mask[r * width + c] ? 1 : 0;
  const code = (i: number) =>
    image[i - paddedWidth - 1]! |
    (image[i - paddedWidth]! << 1) |
    (image[i - paddedWidth + 1]! << 2) |
    (image[i + 1]! << 3) |
    (image[i + paddedWidth + 1]! << 4) |
    (image[i + paddedWidth]! << 5) |
    (image[i + paddedWidth - 1]! << 6) |
    (image[i - 1]! << 7);
  const neighbours = [-paddedWidth - 1, -paddedWidth, -paddedWidth + 1, 1, paddedWidth + 1, paddedWidth, paddedWidth - 1, -1];
  // Per pixel: which sub-passes (bit 1, bit 2) must evaluate it again. `pending` lists the
  // pixels with any bit set; every foreground pixel starts there.
  const stale = new Uint8Array(image.length);
  let pending: Int32Array = new Int32Array(width * height);
  let count = 0;
  for (let r = 1; r <= height; r += 1)
    for (let c = 1; c <= width; c += 1) {
      const i = r * paddedWidth + c;
      if (image[i]) {
        stale[i] = 3;
        pending[count++] = i;
      }
    }
  let doomed: Int32Array = new Int32Array(Math.max(16, count));
  let evaluations = 0;
  const subPass = (pass: 0 | 1): boolean => {
    const bit = PASS_BITS[pass];
    let deletions = 0;
    for (let k = 0; k < count; k += 1) {
      const i = pending[k]!;
      if (!(stale[i]! & bit)) continue;
      evaluations += 1;
      const cls = CLASS_TABLE[code(i)]!;
      // Deciding all deletions before applying any is the reference's snapshot rule.
      if (cls === 3 || cls === pass + 1) doomed[deletions++] = i;
      else stale[i] = stale[i]! & ~bit;
    }
    if (deletions === 0) return false;
    for (let k = 0; k < deletions; k += 1) {
      const i = doomed[k]!;
      image[i] = 0;
      stale[i] = 0;
    }
    // The deleted pixels' foreground neighbours are evaluated again in both sub-passes.
    let kept = 0;
    for (let k = 0; k < count; k += 1) if (stale[pending[k]!]) pending[kept++] = pending[k]!;
    for (let k = 0; k < deletions; k += 1) {
      const i = doomed[k]!;
      for (const offset of neighbours) {
        const j = i + offset;
        if (!image[j]) continue;
        if (!stale[j]) {
          if (kept === pending.length) pending = grow(pending);
          pending[kept++] = j;
        }
        stale[j] = 3;
      }
    }
    count = kept;
    if (doomed.length < count) doomed = new Int32Array(count);
    return true;
  };
  for (;;) {
    const first = subPass(0);
    const second = subPass(1);
    if (!first && !second) break;
  }
  if (work) work.evaluations = evaluations;
  const skeleton = new Uint8Array(width * height);
  for (let r = 0; r < height; r += 1) for (let c = 0; c < width; c += 1) skeleton[r * width + c] = image[(r + 1) * paddedWidth + c + 1]!;
  return skeleton;
}

function grow(list: Int32Array): Int32Array {
  const bigger = new Int32Array(list.length * 2);
  bigger.set(list);
  return bigger;
}
