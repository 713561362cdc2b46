/**
 * Runs a model over a dataset laid out as DIS5K is (images and ground truths in two
 * folders, matched by base name) and scores every mask: what `maskgraph eval` prints.
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { InferenceEngine } from '../inference/engine.js';
import { encodeMaskPng } from '../inference/image-input.js';
import { pairFiles, readGrey, scoreMaskPair, ScoreInputError, summarise, type ImageScore, type ScoreSummary } from './score-files.js';

export interface ModelEvaluation {
  model: string;
  images: (ImageScore & { inferenceMs: number })[];
  summary: ScoreSummary & { meanInferenceMs: number };
}

export async function evaluateModel(
  engine: InferenceEngine,
  modelId: string,
  imagesDir: string,
  gtDir: string,
  options: { saveMasksDir?: string; onProgress?: (done: number, total: number) => void } = {},
): Promise<ModelEvaluation> {
  const pairs = await pairFiles(imagesDir, gtDir);
  if (options.saveMasksDir) await mkdir(options.saveMasksDir, { recursive: true });
  const images: ModelEvaluation['images'] = [];
  const suites = [];
  for (const [index, pair] of pairs.entries()) {
    const [photo, gt] = await Promise.all([readFile(pair.pred), readGrey(pair.gt)]);
    const output = await engine.segment(modelId, photo);
    if (output.width !== gt.width || output.height !== gt.height) {
      throw new ScoreInputError(`${pair.name}: image is ${output.width}×${output.height} but ground truth is ${gt.width}×${gt.height}`);
    }
    if (options.saveMasksDir) await writeFile(join(options.saveMasksDir, `${pair.name}.png`), await encodeMaskPng(output.mask, output.width, output.height));
    const { score, suite } = await scoreMaskPair(gt.data, output.mask, gt.width, gt.height);
    suites.push(suite);
    images.push({ name: pair.name, ...score, inferenceMs: output.timings.inferenceMs });
    options.onProgress?.(index + 1, pairs.length);
  }
  return {
    model: modelId,
    images,
    summary: {
      ...summarise(images, suites),
      meanInferenceMs: images.reduce((sum, image) => sum + image.inferenceMs, 0) / Math.max(1, images.length),
    },
  };
}
