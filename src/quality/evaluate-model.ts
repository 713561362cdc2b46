/**
 * Runs a model over a dataset laid out as DIS5K is (images and ground truths in two
 * folders, matched by base name) and scores every mask: what `maskgraph eval` prints.
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { InferenceEngine } from '../inference/engine.js';
import { encodeMaskPng } from '../inference/image-input.js';
import type { RefineThread } from '../refinement/refine-thread.js';
import { pairFiles, readGrey, scoreMaskPair, ScoreInputError, summarise, type ImageScore, type ScoreSummary } from '../metrics/score-files.js';

export interface ModelEvaluation {
  model: string;
  /** True when every mask was refined at full resolution (`--refine`) before it was scored. */
  refined: boolean;
  images: (ImageScore & { inferenceMs: number; refineMs?: number })[];
  summary: ScoreSummary & { meanInferenceMs: number; meanRefineMs?: number };
}

export async function evaluateModel(
  engine: InferenceEngine,
  modelId: string,
  imagesDir: string,
  gtDir: string,
  options: { saveMasksDir?: string; onProgress?: (done: number, total: number) => void; refiner?: RefineThread; modelInputSize?: number } = {},
): Promise<ModelEvaluation> {
  const pairs = await pairFiles(imagesDir, gtDir);
  if (options.saveMasksDir) await mkdir(options.saveMasksDir, { recursive: true });
  const images: ModelEvaluation['images'] = [];
  const suites = [];
  for (const [index, pair] of pairs.entries()) {
    const [photo, gt] = await Promise.all([readFile(pair.pred), readGrey(pair.gt)]);
    const segment = () => engine.segment(modelId, photo);
    const { model, refined, refineMs } = options.refiner
      ? await options.refiner.afterModel(photo, segment, options.modelInputSize ?? 1024)
      : { model: await segment(), refined: undefined, refineMs: undefined };
    if (model.width !== gt.width || model.height !== gt.height) {
      throw new ScoreInputError(`${pair.name}: image is ${model.width}×${model.height} but ground truth is ${gt.width}×${gt.height}`);
    }
    const output = refined ? { ...model, mask: refined } : model;
    if (options.saveMasksDir) await writeFile(join(options.saveMasksDir, `${pair.name}.png`), await encodeMaskPng(output.mask, output.width, output.height));
    const { score, suite } = await scoreMaskPair(gt.data, output.mask, gt.width, gt.height);
    suites.push(suite);
    images.push({ name: pair.name, ...score, inferenceMs: output.timings.inferenceMs, ...(refineMs === undefined ? {} : { refineMs }) });
    options.onProgress?.(index + 1, pairs.length);
  }
  const mean = (value: (image: ModelEvaluation['images'][number]) => number) =>
    images.reduce((sum, image) => sum + value(image), 0) / Math.max(1, images.length);
  return {
    model: modelId,
    refined: Boolean(options.refiner),
    images,
    summary: {
      ...summarise(images, suites),
      meanInferenceMs: mean((image) => image.inferenceMs),
      ...(options.refiner ? { meanRefineMs: mean((image) => image.refineMs!) } : {}),
    },
  };
}
