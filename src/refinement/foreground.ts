/**
 * Foreground colour estimation: on a soft edge the photo mixes subject and old background,
 * I = α·F + (1 − α)·B. A cut-out needs F, or hair carries the old background's colour.
 * This is the fast multi-level method of Germer, Uelwer, Conrad and Harmeling ("Fast
 * Multi-Level Foreground Estimation", ICPR 2020): F and B are solved together, per pixel,
 * from the compositing equation plus a smoothness term towards the neighbours' F and B that
 * is weaker across alpha's edges, first on a one-pixel copy of the image, then on ever larger
 * ones, each starting from the last.
 *
 * Whole levels stop below the photo's own size, and at COARSE_SIDE. At the photo's size only
 * the pixels near alpha's edges are solved, starting from the coarse answer and with it
 * around them: time and memory follow the soft band, not the photo (a whole 16 MP level would
 * take seconds and half a gigabyte; at a 512 px preview the band halves the time). Previews
 * and full-size renders so treat edges alike. Per-pixel work: callers run it on a worker
 * thread.
 */

export interface ForegroundInput {
  /** The photo: sRGB, 3 bytes per pixel. */
  rgb: Uint8Array;
  /** Alpha, 0..255, one byte per pixel. */
  alpha: Uint8Array;
  width: number;
  height: number;
}

/** Smoothness everywhere (keeps F and B defined where α says nothing about them). */
const REGULARISATION = 1e-5;
/** Weight of |Δα| in the smoothness between neighbours: colours follow alpha's edges. */
const GRADIENT_WEIGHT = 1;
/** Iterations on levels up to SMALL_SIDE pixels, on larger ones, and at full size. */
const SMALL_ITERATIONS = 10;
const LARGE_ITERATIONS = 2;
const FULL_SIZE_ITERATIONS = 4;
const SMALL_SIDE = 32;
/** The largest whole level's long side. */
const COARSE_SIDE = 1024;
/** At the photo's size, pixels this far from a soft or changing alpha are solved too. */
const EDGE_MARGIN = 2;
/**
 * At the photo's size, alpha within this of 0 or 255 counts as flat: models leave wide halos of such
 * values (a third of a dandelion photo), where F shows at under 2 % and the photo's own colour
 * is kept.
 */
const FLAT_WITHIN = 4;

/**
 * What one sweep solves: `solved` pixels, then fixed ones (their neighbours from a coarser
 * level). Colours are 3 floats per pixel in [0, 1]; `neighbours` holds 4 indices per solved
 * pixel, −1 where the image ends.
 */
interface Domain {
  solved: number;
  image: Float32Array;
  alpha: Float32Array;
  neighbours: Int32Array;
  foreground: Float32Array;
  background: Float32Array;
}

/**
 * One Gauss–Seidel sweep, in place: per solved pixel and channel, the 2×2 least-squares
 * system in (F, B) of α·F + (1 − α)·B = I and F = F_n, B = B_n for each neighbour n, weighted
 * by ε + w·|α − α_n|.
 */
function sweep({ solved, image, alpha, neighbours, foreground, background }: Domain): void {
  // Scalars only in this loop: it runs per pixel.
  for (let i = 0; i < solved; i += 1) {
    const a0 = alpha[i]!;
    const a1 = 1 - a0;
    let weights = 0;
    let f0 = 0,
      f1 = 0,
      f2 = 0,
      b0 = 0,
      b1 = 0,
      b2 = 0;
    for (let k = i * 4; k < i * 4 + 4; k += 1) {
      const j = neighbours[k]!;
      if (j < 0) continue;
      const weight = REGULARISATION + GRADIENT_WEIGHT * Math.abs(a0 - alpha[j]!);
      weights += weight;
      f0 += weight * foreground[j * 3]!;
      f1 += weight * foreground[j * 3 + 1]!;
      f2 += weight * foreground[j * 3 + 2]!;
      b0 += weight * background[j * 3]!;
      b1 += weight * background[j * 3 + 1]!;
      b2 += weight * background[j * 3 + 2]!;
    }
    const a00 = a0 * a0 + weights;
    const a11 = a1 * a1 + weights;
    const a01 = a0 * a1;
    const inverse = 1 / (a00 * a11 - a01 * a01);
    for (let c = 0; c < 3; c += 1) {
      const value = image[i * 3 + c]!;
      const rf = a0 * value + (c === 0 ? f0 : c === 1 ? f1 : f2);
      const rb = a1 * value + (c === 0 ? b0 : c === 1 ? b1 : b2);
      foreground[i * 3 + c] = Math.min(1, Math.max(0, inverse * (a11 * rf - a01 * rb)));
      background[i * 3 + c] = Math.min(1, Math.max(0, inverse * (a00 * rb - a01 * rf)));
    }
  }
}

/** A solved whole level: its F and B and its size. */
interface Level {
  foreground: Float32Array;
  background: Float32Array;
  width: number;
  height: number;
}

/** Nearest-neighbour resampling from width × height to toWidth × toHeight: the source pixel of a target pixel. */
function nearestSource(x: number, y: number, width: number, height: number, toWidth: number, toHeight: number): number {
  return Math.min(height - 1, Math.floor((y * height) / toHeight)) * width + Math.min(width - 1, Math.floor((x * width) / toWidth));
}

/** Copies pixel `from` of the bytes `source` (`channels` per pixel) to pixel `to` of `target`, scaled to [0, 1]. */
function copyBytes(target: Float32Array, to: number, source: Uint8Array, from: number, channels: number): void {
  for (let c = 0; c < channels; c += 1) target[to * channels + c] = source[from * channels + c]! / 255;
}

/** Copies colour `from` of `source` to colour `to` of `target` (3 floats each). */
function copyColour(target: Float32Array, to: number, source: Float32Array, from: number): void {
  target[to * 3] = source[from * 3]!;
  target[to * 3 + 1] = source[from * 3 + 1]!;
  target[to * 3 + 2] = source[from * 3 + 2]!;
}

/** The 4-neighbours of pixel `i` at (x, y) of a width × height grid, −1 beyond the edge, into `out` at `at`. */
function gridNeighbours(out: Int32Array, at: number, i: number, x: number, y: number, width: number, height: number): void {
  out[at] = x > 0 ? i - 1 : -1;
  out[at + 1] = x < width - 1 ? i + 1 : -1;
  out[at + 2] = y > 0 ? i - width : -1;
  out[at + 3] = y < height - 1 ? i + width : -1;
}

/** A whole level of toWidth × toHeight, sampled from the photo and from the last level's F and B. */
function wholeLevel({ rgb, alpha, width, height }: ForegroundInput, last: Level, toWidth: number, toHeight: number): Domain {
  const n = toWidth * toHeight;
  const domain: Domain = {
    solved: n,
    image: new Float32Array(n * 3),
    alpha: new Float32Array(n),
    neighbours: new Int32Array(n * 4),
    foreground: new Float32Array(n * 3),
    background: new Float32Array(n * 3),
  };
  for (let y = 0, i = 0; y < toHeight; y += 1) {
    for (let x = 0; x < toWidth; x += 1, i += 1) {
      const photo = nearestSource(x, y, width, height, toWidth, toHeight);
      const previous = nearestSource(x, y, last.width, last.height, toWidth, toHeight);
      copyBytes(domain.image, i, rgb, photo, 3);
      copyBytes(domain.alpha, i, alpha, photo, 1);
      copyColour(domain.foreground, i, last.foreground, previous);
      copyColour(domain.background, i, last.background, previous);
      gridNeighbours(domain.neighbours, i * 4, i, x, y, toWidth, toHeight);
    }
  }
  return domain;
}

/**
 * Pixels of the full-size image within EDGE_MARGIN of a soft alpha or of a change in alpha
 * (between transparent, soft and opaque, the nearly flat counted as flat),
 * as non-zero values (each pass of the growth marks its new pixels with its own number, so one
 * array does).
 */
function nearAlphaEdges(alpha: Uint8Array, width: number, height: number): Uint8Array {
  // 0: transparent, 1: soft, 2: opaque, with the nearly flat counted as flat.
  const kind = new Uint8Array(256).map((_, a) => (a < FLAT_WITHIN ? 0 : a > 255 - FLAT_WITHIN ? 2 : 1));
  const near = new Uint8Array(width * height);
  for (let y = 0, i = 0; y < height; y += 1) {
    for (let x = 0; x < width; x += 1, i += 1) {
      const k = kind[alpha[i]!]!;
      near[i] =
        k === 1 ||
        (x > 0 && kind[alpha[i - 1]!] !== k) ||
        (x < width - 1 && kind[alpha[i + 1]!] !== k) ||
        (y > 0 && kind[alpha[i - width]!] !== k) ||
        (y < height - 1 && kind[alpha[i + width]!] !== k)
          ? 1
          : 0;
    }
  }
  for (let pass = 1; pass <= EDGE_MARGIN; pass += 1) {
    for (let y = 0, i = 0; y < height; y += 1) {
      for (let x = 0; x < width; x += 1, i += 1) {
        if (near[i] === 0 || near[i]! > pass) continue;
        if (x > 0 && near[i - 1] === 0) near[i - 1] = pass + 1;
        if (x < width - 1 && near[i + 1] === 0) near[i + 1] = pass + 1;
        if (y > 0 && near[i - width] === 0) near[i - width] = pass + 1;
        if (y < height - 1 && near[i + width] === 0) near[i + width] = pass + 1;
      }
    }
  }
  return near;
}

/**
 * The full-size pixels near alpha's edges as a domain: they start from the coarse F and B;
 * each neighbour outside it is a fixed entry with the coarse values. Also returns the solved
 * pixels' positions in the photo. Memory follows the band: no full-size index is kept.
 */
function edgeBand(input: ForegroundInput, coarse: Level): { domain: Domain; positions: Int32Array } {
  const { rgb, alpha, width, height } = input;
  const near = nearAlphaEdges(alpha, width, height);
  let solved = 0;
  for (let i = 0; i < near.length; i += 1) if (near[i]) solved += 1;
  const positions = new Int32Array(solved);
  for (let i = 0, n = 0; i < near.length; i += 1) if (near[i]) positions[n++] = i;
  // Neighbours: solved ones by their index in `positions`, others appended as fixed entries.
  const neighbours = new Int32Array(solved * 4);
  let fixed = new Int32Array(1024);
  let fixedCount = 0;
  // The solved pixels above and below pixel n are found by two cursors that only move forward.
  let [above, below] = [0, 0];
  for (let n = 0; n < solved; n += 1) {
    const i = positions[n]!;
    while (positions[above]! < i - width) above += 1;
    while (below < solved - 1 && positions[below]! < i + width) below += 1;
    const x = i % width;
    gridNeighbours(neighbours, n * 4, i, x, (i - x) / width, width, height);
    for (let k = n * 4; k < n * 4 + 4; k += 1) {
      const j = neighbours[k]!;
      if (j < 0) continue;
      if (near[j]) {
        neighbours[k] = j === i - 1 ? n - 1 : j === i + 1 ? n + 1 : j < i ? above : below;
        continue;
      }
      if (fixedCount === fixed.length) {
        const grown = new Int32Array(fixed.length * 2);
        grown.set(fixed);
        fixed = grown;
      }
      fixed[fixedCount] = j;
      neighbours[k] = solved + fixedCount;
      fixedCount += 1;
    }
  }
  const size = solved + fixedCount;
  const domain: Domain = {
    solved,
    image: new Float32Array(size * 3),
    alpha: new Float32Array(size),
    neighbours,
    foreground: new Float32Array(size * 3),
    background: new Float32Array(size * 3),
  };
  for (let at = 0; at < size; at += 1) {
    const i = at < solved ? positions[at]! : fixed[at - solved]!;
    const x = i % width;
    const from = nearestSource(x, (i - x) / width, coarse.width, coarse.height, width, height);
    copyBytes(domain.image, at, rgb, i, 3);
    copyBytes(domain.alpha, at, alpha, i, 1);
    copyColour(domain.foreground, at, coarse.foreground, from);
    copyColour(domain.background, at, coarse.background, from);
  }
  return { domain, positions };
}

/**
 * The foreground colour F per pixel (sRGB, 3 bytes per pixel). Where α is 255 it is the photo
 * itself; where α is 0 it is the smooth continuation of the subject's colours near the edge,
 * black further out (a cut-out never shows either); nearly flat alpha away from an edge
 * keeps the photo's colour (FLAT_WITHIN).
 */
export function estimateForeground(input: ForegroundInput): Buffer {
  const { rgb, alpha, width, height } = input;
  // Level 0 is one pixel: F and B both start as the photo's mean colour.
  const sums = [0, 0, 0];
  for (let i = 0; i < rgb.length; i += 3) {
    sums[0] += rgb[i]!;
    sums[1] += rgb[i + 1]!;
    sums[2] += rgb[i + 2]!;
  }
  const mean = Float32Array.from(sums, (sum) => sum / (255 * width * height));
  let level: Level = { foreground: mean, background: Float32Array.from(mean), width: 1, height: 1 };
  // Whole levels grow geometrically (w^(l/L)) up to COARSE_SIDE.
  const levels = Math.ceil(Math.log2(Math.max(width, height, 2)));
  for (let l = 1; l <= levels; l += 1) {
    const [levelWidth, levelHeight] = [Math.max(1, Math.round(width ** (l / levels))), Math.max(1, Math.round(height ** (l / levels)))];
    if (Math.max(levelWidth, levelHeight) > COARSE_SIDE || (levelWidth === width && levelHeight === height)) break;
    const domain = wholeLevel(input, level, levelWidth, levelHeight);
    const iterations = Math.max(levelWidth, levelHeight) <= SMALL_SIDE ? SMALL_ITERATIONS : LARGE_ITERATIONS;
    for (let iteration = 0; iteration < iterations; iteration += 1) sweep(domain);
    level = { foreground: domain.foreground, background: domain.background, width: levelWidth, height: levelHeight };
  }
  // The photo's colour where the cut-out shows anything (replaced below where F is estimated), black elsewhere.
  const colours = Buffer.from(rgb);
  for (let pixel = 0; pixel < alpha.length; pixel += 1) {
    if (alpha[pixel] === 0) colours[pixel * 3] = colours[pixel * 3 + 1] = colours[pixel * 3 + 2] = 0;
  }
  const write = (pixel: number, foreground: Float32Array, from: number) => {
    for (let c = 0; c < 3; c += 1) colours[pixel * 3 + c] = Math.round(255 * foreground[from * 3 + c]!);
  };
  if (level.width !== width || level.height !== height) {
    const { domain, positions } = edgeBand(input, level);
    for (let iteration = 0; iteration < FULL_SIZE_ITERATIONS; iteration += 1) sweep(domain);
    for (let at = 0; at < domain.solved; at += 1) if (alpha[positions[at]!]! < 255) write(positions[at]!, domain.foreground, at);
    return colours;
  }
  for (let pixel = 0; pixel < alpha.length; pixel += 1) if (alpha[pixel]! < 255) write(pixel, level.foreground, pixel);
  return colours;
}
