/**
 * IS-Net with the real weights on composites with exact ground truth (real cut-outs over
 * real photographs, test/fixtures/composites/README.md). Floors sit well below what a
 * correct pipeline reaches and far above what a broken one does; the table goes to the
 * test log. c4 is ambiguous by design (the dune grass is as salient as the palm) and is
 * reported, not checked.
 */
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { after, describe, test } from 'node:test';
import sharp from 'sharp';
import { InferenceEngine } from '../../../src/inference/engine.js';
import { MODELS_DIR } from '../../../src/inference/models-dir.js';
import { ModelRegistry } from '../../../src/inference/registry.js';
import { FIXTURES } from '../../helpers/client.js';
import { iouAt, meanAbsoluteDifference } from '../../helpers/masks.js';
import { readManifest, registryWith } from '../../helpers/models.js';

/** [photo, IoU@128 floor, MAE floor (0–255)]; undefined floors: report only. */
const COMPOSITES: [string, number | undefined, number | undefined][] = [
  ['c1-bear-meadow.jpg', 0.95, 2],
  ['c2-person-forest-portrait.jpg', 0.93, 2],
  ['c3-crane-stream-border.jpg', 0.7, 5],
  ['c4-palm-dune-fine.jpg', undefined, undefined],
  ['c5-flower-leaves-small.png', 0.95, 1],
  ['c6-truck-bird-road-large.jpg', 0.93, 4],
];

async function groundTruth(photo: string): Promise<Uint8Array> {
  const data = await sharp(`${FIXTURES}/composites/${photo.replace(/\.(jpg|png)$/, '.gt.png')}`).toColourspace('b-w').raw().toBuffer();
  return new Uint8Array(data.buffer, data.byteOffset, data.length);
}

async function score(engine: InferenceEngine, modelId: string, photo: string, transform: (mask: Uint8Array, width: number) => Uint8Array = (mask) => mask) {
  const result = await engine.segment(modelId, await readFile(`${FIXTURES}/composites/${photo}`));
  const mask = transform(result.mask, result.width);
  const truth = await groundTruth(photo);
  return { iou: iouAt(mask, truth), mae: meanAbsoluteDifference(mask, truth), result };
}

function passesFloors(photo: string, scores: { iou: number; mae: number }): boolean {
  const [, iouFloor, maeFloor] = COMPOSITES.find(([name]) => name === photo)!;
  return (iouFloor === undefined || scores.iou >= iouFloor) && (maeFloor === undefined || scores.mae <= maeFloor);
}

describe('IS-Net accuracy on the composites', async () => {
  const registry = await ModelRegistry.load(MODELS_DIR);
  const engine = new InferenceEngine(registry, { intraOpThreads: 2, maxConcurrentRuns: 1, executionProvider: 'cpu' });
  after(() => engine.close());

  for (const modelId of ['isnet-general', 'isnet-general-q8']) {
    for (const [photo, iouFloor, maeFloor] of COMPOSITES) {
      test(`${modelId} on ${photo}`, async (context) => {
        const { iou, mae, result } = await score(engine, modelId, photo);
        context.diagnostic(`${modelId} ${photo}: IoU@128 ${iou.toFixed(3)}, MAE ${mae.toFixed(2)}, inference ${result.timings.inferenceMs.toFixed(0)} ms`);
        assert.equal(result.subjectFound, true);
        if (iouFloor !== undefined) assert.ok(iou >= iouFloor, `IoU ${iou.toFixed(3)} < ${iouFloor}`);
        if (maeFloor !== undefined) assert.ok(mae <= maeFloor, `MAE ${mae.toFixed(2)} > ${maeFloor}`);
      });
    }
  }

  const CHECKED = COMPOSITES.filter(([, floor]) => floor !== undefined).map(([photo]) => photo);

  test('the check fails a mask flipped left to right', async () => {
    const flip = (mask: Uint8Array, width: number) => {
      const flipped = new Uint8Array(mask.length);
      for (let i = 0; i < mask.length; i += 1) flipped[i] = mask[i - (i % width) + (width - 1 - (i % width))]!;
      return flipped;
    };
    const outcomes = [];
    for (const photo of CHECKED) outcomes.push(passesFloors(photo, await score(engine, 'isnet-general-q8', photo, flip)));
    assert.ok(outcomes.every((passed) => !passed), `a flipped mask passed: ${outcomes}`);
  });

  test('the check fails a pipeline that feeds BGR (channel statistics and planes swapped)', async () => {
    // Swapping the planes of the input tensor is what a BGR decode does; emulate it by
    // running on a photo whose red and blue channels were exchanged.
    const manifest = await readManifest('isnet-general-q8');
    const bgrEngine = new InferenceEngine(await registryWith('bgr', manifest, `${MODELS_DIR}/isnet-general-q8/model.onnx`), { intraOpThreads: 2, maxConcurrentRuns: 1, executionProvider: 'cpu' });
    try {
      const outcomes = [];
      for (const photo of CHECKED) {
        const swapped = await sharp(`${FIXTURES}/composites/${photo}`).recomb([[0, 0, 1], [0, 1, 0], [1, 0, 0]]).png().toBuffer();
        const result = await bgrEngine.segment('bgr', swapped);
        const truth = await groundTruth(photo);
        outcomes.push(passesFloors(photo, { iou: iouAt(result.mask, truth), mae: meanAbsoluteDifference(result.mask, truth) }));
      }
      assert.ok(outcomes.includes(false), 'a BGR pipeline passed every composite');
    } finally {
      await bgrEngine.close();
    }
  });
});
