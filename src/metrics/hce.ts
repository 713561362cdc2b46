/**
 * HCE, human correction efforts (Qin et al., "Highly Accurate Dichotomous Image
 * Segmentation", ECCV 2022): the estimated number of mouse clicks to fix a mask, as the DIS
 * script IS-Net/hce_metric_main.py computes it (shared/docs/metrics.md §8): relaxed false
 * positive and false negative regions (relax 5), their boundary points that border the
 * other side, simplified by Douglas–Peucker (ε = 2), plus one click per untouched region.
 *
 * Contours and polygon simplification come from OpenCV (WebAssembly) because the result
 * depends on OpenCV's exact contour order and point sequence; the cross-shaped morphology,
 * 8-connected labelling and the skeleton are simple enough to write exactly here.
 */
import { loadOpenCv, type OpenCv } from './opencv.js';
import { skeletonize } from './skeleton.js';

const RELAX = 5;
const EPSILON = 2.0;

export interface HceParts {
  fpPoints: number;
  fpIndep: number;
  fnPoints: number;
  fnIndep: number;
  hce: number;
  /** With `locate`: the control points [x, y] (polygon vertices) and one pixel per independent region. */
  points?: HcePoints;
}

export interface HcePoints {
  fp: [number, number][];
  fn: [number, number][];
  fpRegions: [number, number][];
  fnRegions: [number, number][];
}

export interface HceOptions {
  /**
   * 'dis' (the official script): prediction > 128 on raw values; an all-foreground mask
   * counts 0 independent regions. 'pysod' (PySODMetrics' port): min–max normalised
   * prediction > 0.5; such a mask counts its one region.
   */
  variant: 'dis' | 'pysod';
  /** The ground truth's skeleton (0/1); computed when absent. */
  skeleton?: Uint8Array;
  /** Also say where the clicks go (`HceParts.points`). */
  locate?: boolean;
}

type Mask = Uint8Array;

/** A mask built pixel by pixel (a plain loop: `Uint8Array.from` with a map function is ~20× slower). */
function build(size: number, pixel: (i: number) => number): Mask {
  const out = new Uint8Array(size);
  for (let i = 0; i < size; i += 1) out[i] = pixel(i);
  return out;
}

/** Cross-shaped dilation; outside pixels are background. */
function dilate(mask: Mask, width: number, height: number): Mask {
  const out = new Uint8Array(mask.length);
  for (let r = 0; r < height; r += 1) {
    for (let c = 0; c < width; c += 1) {
      const i = r * width + c;
      out[i] = mask[i] || (c > 0 && mask[i - 1]) || (c < width - 1 && mask[i + 1]) || (r > 0 && mask[i - width]) || (r < height - 1 && mask[i + width]) ? 1 : 0;
    }
  }
  return out;
}

/** Cross-shaped erosion; outside pixels count as foreground (OpenCV's default border). */
function erode(mask: Mask, width: number, height: number): Mask {
  const out = new Uint8Array(mask.length);
  for (let r = 0; r < height; r += 1) {
    for (let c = 0; c < width; c += 1) {
      const i = r * width + c;
      out[i] =
        mask[i] && (c === 0 || mask[i - 1]) && (c === width - 1 || mask[i + 1]) && (r === 0 || mask[i - width]) && (r === height - 1 || mask[i + width])
          ? 1
          : 0;
    }
  }
  return out;
}

/** 8-connected components: a label per pixel (0 = background) and their number. */
function label8(mask: Mask, width: number, height: number): { labels: Int32Array; count: number } {
  const labels = new Int32Array(mask.length);
  const stack: number[] = [];
  let count = 0;
  for (let start = 0; start < mask.length; start += 1) {
    if (!mask[start] || labels[start]) continue;
    count += 1;
    labels[start] = count;
    stack.push(start);
    while (stack.length > 0) {
      const i = stack.pop()!;
      const r = Math.floor(i / width);
      const c = i - r * width;
      for (let dr = -1; dr <= 1; dr += 1) {
        for (let dc = -1; dc <= 1; dc += 1) {
          const rr = r + dr;
          const cc = c + dc;
          if (rr < 0 || rr >= height || cc < 0 || cc >= width) continue;
          const j = rr * width + cc;
          if (mask[j] && !labels[j]) {
            labels[j] = count;
            stack.push(j);
          }
        }
      }
    }
  }
  return { labels, count };
}

/** Border pixels of `mask` next to `condition`, as polyline segments, and the regions no segment touches. */
function boundarySegments(cv: OpenCv, mask: Mask, condition: Mask, width: number, height: number, variant: HceOptions['variant']) {
  const near = dilate(condition, width, height);
  const { labels, count } = label8(mask, width, height);
  const touched = new Set<number>();
  const visited = new Uint8Array(mask.length);
  const segments: number[][] = [];

  const image = cv.matFromArray(height, width, cv.CV_8UC1, mask);
  const contours = new cv.MatVector();
  const hierarchy = new cv.Mat();
  try {
    cv.findContours(image, contours, hierarchy, cv.RETR_TREE, cv.CHAIN_APPROX_NONE);
    for (let k = 0; k < contours.size(); k += 1) {
      const contour = contours.get(k);
      const points = contour.data32S;
      const runs: number[][] = [];
      let run: number[] = [];
      for (let p = 0; p < points.length; p += 2) {
        const x = points[p]!;
        const y = points[p + 1]!;
        const i = y * width + x;
        if (!near[i] || visited[i]) {
          if (run.length > 0) runs.push(run);
          run = [];
          continue;
        }
        run.push(x, y);
        visited[i] = 1;
        touched.add(labels[i]!);
      }
      if (run.length > 0) runs.push(run);
      contour.delete();
      if (runs.length > 1) {
        // The reference joins a boundary that wraps around the contour's start, appending
        // the first run reversed (point order reversed, as its list slicing does).
        const first = runs[0]!;
        const last = runs[runs.length - 1]!;
        const dx = Math.abs(first[0]! - last[last.length - 2]!);
        const dy = Math.abs(first[1]! - last[last.length - 1]!);
        if (Math.max(dx, dy) === 1) {
          for (let p = first.length - 2; p >= 0; p -= 2) last.push(first[p]!, first[p + 1]!);
          runs.shift();
        }
      }
      segments.push(...runs);
    }
  } finally {
    image.delete();
    contours.delete();
    hierarchy.delete();
  }

  const hasBackground = mask.indexOf(0) !== -1;
  const indep = variant === 'dis' && !hasBackground ? 0 : count - touched.size;
  // One pixel of each region no boundary segment touches: where an independent click goes.
  const regions = new Map<number, [number, number]>();
  if (indep > 0)
    for (let i = 0; i < labels.length; i += 1)
      if (labels[i]! > 0 && !touched.has(labels[i]!) && !regions.has(labels[i]!)) regions.set(labels[i]!, [i % width, Math.floor(i / width)]);
  return { segments, indep, regions: [...regions.values()] };
}

/** The Douglas–Peucker vertices of every segment: how many, and (into `vertices`, when given) where. */
function polygonVertices(cv: OpenCv, segments: number[][], vertices?: [number, number][]): number {
  let total = 0;
  for (const segment of segments) {
    const curve = cv.matFromArray(segment.length / 2, 1, cv.CV_32SC2, segment);
    const approx = new cv.Mat();
    try {
      cv.approxPolyDP(curve, approx, EPSILON, false);
      total += approx.rows;
      if (vertices) for (let p = 0; p < approx.data32S.length; p += 2) vertices.push([approx.data32S[p]!, approx.data32S[p + 1]!]);
    } finally {
      curve.delete();
      approx.delete();
    }
  }
  return total;
}

/**
 * HCE of an 8-bit prediction against an 8-bit ground truth (both row-major, `width × height`).
 * Runs synchronously once OpenCV is loaded; large masks belong in a worker thread.
 */
export async function computeHce(gt8: Uint8Array, pred8: Uint8Array, width: number, height: number, options: HceOptions): Promise<HceParts> {
  const { cv } = await loadOpenCv();
  const size = width * height;
  const g = build(size, (i) => (gt8[i]! > 128 ? 1 : 0));
  let b: Uint8Array;
  if (options.variant === 'dis') b = build(size, (i) => (pred8[i]! > 128 ? 1 : 0));
  else {
    let lo = 255;
    let hi = 0;
    for (const value of pred8) {
      if (value < lo) lo = value;
      if (value > hi) hi = value;
    }
    const normalised = (value: number) => (hi !== lo ? (value / 255 - lo / 255) / (hi / 255 - lo / 255) : value / 255);
    b = build(size, (i) => (normalised(pred8[i]!) > 0.5 ? 1 : 0));
  }
  const skeleton = options.skeleton ?? skeletonize(g, width, height);

  const tp = new Uint8Array(size);
  const fp = new Uint8Array(size);
  const fn = new Uint8Array(size);
  let union: Mask = new Uint8Array(size);
  for (let i = 0; i < size; i += 1) {
    tp[i] = g[i]! & b[i]!;
    fp[i] = b[i]! & (1 - g[i]!);
    fn[i] = g[i]! & (1 - b[i]!);
    union[i] = g[i]! | b[i]!;
  }
  for (let k = 0; k < RELAX; k += 1) union = erode(union, width, height);

  let fpRelaxed = build(size, (i) => fp[i]! & union[i]!);
  for (let k = 0; k < RELAX; k += 1) {
    const grown = dilate(fpRelaxed, width, height);
    fpRelaxed = build(size, (i) => grown[i]! & (1 - g[i]!));
  }
  const fpFinal = build(size, (i) => fpRelaxed[i]! & fp[i]!);

  let fnRelaxed = build(size, (i) => fn[i]! & union[i]!);
  for (let k = 0; k < RELAX; k += 1) {
    const grown = dilate(fnRelaxed, width, height);
    fnRelaxed = build(size, (i) => grown[i]! & (1 - b[i]!));
  }
  // Skeleton pixels that are not true positives always need correcting.
  const fnFinal = build(size, (i) => (fnRelaxed[i]! & fn[i]!) | (skeleton[i]! & (1 - tp[i]!)));

  const fpSide = boundarySegments(
    cv,
    fpFinal,
    build(size, (i) => tp[i]! | fnFinal[i]!),
    width,
    height,
    options.variant,
  );
  const fnSide = boundarySegments(
    cv,
    fnFinal,
    build(size, (i) => 1 - (tp[i]! | fpFinal[i]! | fnFinal[i]!)),
    width,
    height,
    options.variant,
  );
  const located = options.locate ? { fp: [] as [number, number][], fn: [] as [number, number][] } : undefined;
  const fpPoints = polygonVertices(cv, fpSide.segments, located?.fp);
  const fnPoints = polygonVertices(cv, fnSide.segments, located?.fn);
  const parts = { fpPoints, fpIndep: fpSide.indep, fnPoints, fnIndep: fnSide.indep, hce: fpPoints + fpSide.indep + fnPoints + fnSide.indep };
  return located ? { ...parts, points: { fp: located.fp, fn: located.fn, fpRegions: fpSide.regions, fnRegions: fnSide.regions } } : parts;
}
