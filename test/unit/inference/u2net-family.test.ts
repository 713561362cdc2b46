/**
 * The U²-Net family against masks made by the original repository's test pipeline from a
 * real U²-Net-p export (seeded random weights, test/fixtures/families/README.md): a
 * faithful pipeline lands within 2 grey levels on average and IoU@128 ≥ 0.98 on every
 * photo, which wrong normalisation, channel order or output choice all miss.
 */
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { describe, test } from 'node:test';
import sharp from 'sharp';
import { InferenceEngine } from '../../../src/inference/engine.js';
import type { ModelManifest } from '../../../src/inference/manifest.js';
import { FIXTURES, fixturePath } from '../../helpers/client.js';
import { iouAt, meanAbsoluteDifference } from '../../helpers/masks.js';
import { readManifest, registryWith, U2NETP_FIXTURE_ONNX } from '../../helpers/models.js';
import { skipUnlessRequired } from '../../helpers/required-suites.js';

const REFERENCES: Record<string, string> = {
  'cat-chelsea.png': 'cat-chelsea.png',
  'astronaut.png': 'astronaut.png',
  'grace-hopper.jpg': 'grace-hopper.png',
  'rocket.jpg': 'rocket.png',
  'flower.jpg': 'flower.png',
};

const skip = skipUnlessRequired(
  'the U²-Net family conformance suite',
  existsSync(U2NETP_FIXTURE_ONNX) ? undefined : `needs ${U2NETP_FIXTURE_ONNX} (the shared fixtures beside the project)`,
);

describe('U²-Net family conformance (u2netp fixture export)', { skip }, async () => {
  const manifest = await readManifest('u2netp');
  const engine = new InferenceEngine(await registryWith('u2netp-fixture', manifest, U2NETP_FIXTURE_ONNX), {
    intraOpThreads: 2,
    maxConcurrentRuns: 1,
    executionProvider: 'cpu',
  });

  async function compare(run: InferenceEngine, modelId: string, photo: string) {
    const result = await run.segment(modelId, await readFile(fixturePath(photo)));
    const { data, info } = await sharp(`${FIXTURES}/families/u2netp/ref/${REFERENCES[photo]}`).toColourspace('b-w').raw().toBuffer({ resolveWithObject: true });
    assert.deepEqual([result.width, result.height], [info.width, info.height]);
    const expected = new Uint8Array(data.buffer, data.byteOffset, data.length);
    return { mad: meanAbsoluteDifference(result.mask, expected), iou: iouAt(result.mask, expected) };
  }
  const passes = ({ mad, iou }: { mad: number; iou: number }) => mad <= 2 && iou >= 0.98;

  for (const photo of Object.keys(REFERENCES)) {
    test(`${photo} matches the reference mask`, async (context) => {
      const { mad, iou } = await compare(engine, 'u2netp-fixture', photo);
      context.diagnostic(`${photo}: mean abs diff ${mad.toFixed(4)}, IoU@128 ${iou.toFixed(4)}`);
      assert.ok(passes({ mad, iou }), `mean abs diff ${mad.toFixed(3)}, IoU@128 ${iou.toFixed(4)}`);
    });
  }

  // Each deliberate mistake must fail the same check on at least one photo.
  const BROKEN: [string, (m: ModelManifest) => ModelManifest][] = [
    ['the last output instead of the first', (m) => ({ ...m, output: { ...m.output, index: 6, name: null } })],
    ['no divide-by-max', (m) => ({ ...m, normalisation: { ...m.normalisation, scale: 'divide-by-255' } })],
    ['no mean/std', (m) => ({ ...m, normalisation: { ...m.normalisation, mean: [0, 0, 0], std: [1, 1, 1] } })],
    ['BGR statistics order', (m) => ({ ...m, normalisation: { ...m.normalisation, mean: [0.406, 0.456, 0.485], std: [0.225, 0.224, 0.229] } })],
    ['bilinear resize without skimage antialiasing', (m) => ({ ...m, normalisation: { ...m.normalisation, resize: 'bilinear' } })],
    ['no min–max normalisation of the output', (m) => ({ ...m, postprocess: 'raw' })],
  ];
  for (const [mistake, breakIt] of BROKEN) {
    test(`the check catches a pipeline with ${mistake}`, async () => {
      const broken = new InferenceEngine(await registryWith('broken', breakIt(manifest), U2NETP_FIXTURE_ONNX), {
        intraOpThreads: 2,
        maxConcurrentRuns: 1,
        executionProvider: 'cpu',
      });
      const outcomes = [];
      for (const photo of Object.keys(REFERENCES)) outcomes.push(passes(await compare(broken, 'broken', photo)));
      assert.ok(outcomes.includes(false), `${mistake} passed on every photo`);
      await broken.close();
    });
  }
});
