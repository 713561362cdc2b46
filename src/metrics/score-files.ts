/**
 * Scoring predictions against ground truth from files: the per-image record and the summary
 * that `maskgraph metrics --json` prints (a public interface: keep field names stable).
 */
import { readdir, stat } from 'node:fs/promises';
import { basename, extname, join } from 'node:path';
import sharp from 'sharp';
import { aggregateMetrics, type SaliencyScores } from './aggregate.js';
import { evaluatePair, type PairMetrics } from './evaluate-pair.js';
import { computeHce, type HceParts } from './hce.js';

export interface ImageScore extends SaliencyScores {
  name: string;
  /** Official DIS HCE (raw prediction > 128). */
  hce: number;
  hceParts: Omit<HceParts, 'hce'>;
  /** Binary (normalised prediction > 0.5) IoU, Dice and balanced error rate. */
  iou: number;
  dice: number;
  ber: number;
}

export interface ScoreSummary extends SaliencyScores {
  count: number;
  /** Mean of the per-image HCE, as the DIS script prints it. */
  hce: number;
}

export class ScoreInputError extends Error {}

/** Exactly the saliency fields of a dataset's metrics, in the JSON interface's order. */
function pickSaliency(from: SaliencyScores): SaliencyScores {
  const { mae, sm, wfm, adpF, meanF, maxF, adpE, meanE, maxE } = from;
  return { mae, sm, wfm, adpF, meanF, maxF, adpE, meanE, maxE };
}

/** The per-image scores of one pair (and the full suite, for dataset aggregation). */
export async function scoreMaskPair(
  gt: Uint8Array,
  pred: Uint8Array,
  width: number,
  height: number,
): Promise<{ score: Omit<ImageScore, 'name'>; suite: PairMetrics }> {
  const suite = evaluatePair(gt, pred, width, height);
  const { hce, ...hceParts } = await computeHce(gt, pred, width, height, { variant: 'dis' });
  return {
    suite,
    score: {
      hce,
      hceParts,
      mae: suite.mae,
      sm: suite.sm,
      wfm: suite.wfm,
      adpF: suite.fm.adp,
      meanF: suite.fm.mean,
      maxF: suite.fm.max,
      adpE: suite.em.adp,
      meanE: suite.em.mean,
      maxE: suite.em.max,
      iou: suite.fmv2.iou.binary,
      dice: suite.fmv2.dice.binary,
      ber: suite.fmv2.ber.binary,
    },
  };
}

const IMAGE_EXTENSIONS = new Set(['.png', '.jpg', '.jpeg', '.bmp', '.tif', '.tiff', '.webp']);

/** 8-bit grey pixels of an image file (a colour file is converted to luminance). */
export async function readGrey(path: string): Promise<{ data: Uint8Array; width: number; height: number }> {
  const { data, info } = await sharp(path).toColourspace('b-w').raw({ depth: 'uchar' }).toBuffer({ resolveWithObject: true });
  return { data: new Uint8Array(data.buffer, data.byteOffset, info.width * info.height), width: info.width, height: info.height };
}

async function imageFiles(dir: string): Promise<Map<string, string>> {
  const files = new Map<string, string>();
  for (const name of (await readdir(dir)).sort()) {
    if (IMAGE_EXTENSIONS.has(extname(name).toLowerCase())) files.set(basename(name, extname(name)), join(dir, name));
  }
  return files;
}

/**
 * Pairs a prediction with its ground truth: two files, or two folders matched by base name
 * (files present on one side only are an error, listed).
 */
export async function pairFiles(pred: string, gt: string): Promise<{ name: string; pred: string; gt: string }[]> {
  const [predInfo, gtInfo] = await Promise.all([stat(pred), stat(gt)]).catch((error: Error) => {
    throw new ScoreInputError(error.message);
  });
  if (predInfo.isFile() && gtInfo.isFile()) return [{ name: basename(pred, extname(pred)), pred, gt }];
  if (!predInfo.isDirectory() || !gtInfo.isDirectory()) throw new ScoreInputError('--pred and --gt must both be files or both be folders');
  const [predictions, truths] = await Promise.all([imageFiles(pred), imageFiles(gt)]);
  const unmatched = [...predictions.keys()].filter((name) => !truths.has(name)).concat([...truths.keys()].filter((name) => !predictions.has(name)));
  if (unmatched.length > 0) throw new ScoreInputError(`no counterpart for: ${unmatched.join(', ')}`);
  return [...predictions.keys()].map((name) => ({ name, pred: predictions.get(name)!, gt: truths.get(name)! }));
}

export async function scoreFiles(
  pairs: { name: string; pred: string; gt: string }[],
  onProgress: (done: number, total: number) => void = () => {},
): Promise<{ images: ImageScore[]; summary: ScoreSummary }> {
  const images: ImageScore[] = [];
  const suites = [];
  for (const [index, pair] of pairs.entries()) {
    const [pred, gt] = await Promise.all([readGrey(pair.pred), readGrey(pair.gt)]);
    if (pred.width !== gt.width || pred.height !== gt.height) {
      throw new ScoreInputError(`${pair.name}: prediction is ${pred.width}×${pred.height} but ground truth is ${gt.width}×${gt.height}`);
    }
    const { score, suite } = await scoreMaskPair(gt.data, pred.data, gt.width, gt.height);
    suites.push(suite);
    images.push({ name: pair.name, ...score });
    onProgress(index + 1, pairs.length);
  }
  return { images, summary: summarise(images, suites) };
}

/** The summary of per-image scores: HCE's mean as the DIS script prints it, the rest as the official evaluators reduce. */
export function summarise(images: { hce: number }[], suites: PairMetrics[]): ScoreSummary {
  const dataset = aggregateMetrics(suites);
  return {
    count: images.length,
    hce: images.reduce((sum, image) => sum + image.hce, 0) / Math.max(1, images.length),
    ...pickSaliency(dataset),
  };
}
