/**
 * The U²-Net and BASNet families end to end through the gateway, with built graphs that
 * have the published exports' input names, sizes and output counts (the real weights are
 * added by hand): which output is taken, how it is normalised and resized, and that the
 * mask lands on the photo as displayed.
 */
import assert from 'node:assert/strict';
import { cp, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import sharp from 'sharp';
import { Client } from '../helpers/client.js';
import { DATABASE_TARGETS } from '../helpers/database-targets.js';
import { startTestGateway, type TestGateway } from '../helpers/gateway.js';
import { MODELS_DIR } from '../helpers/models.js';
import { buildFamilyGraph } from '../helpers/onnx-graphs.js';

const GRAPHS = [
  { id: 'u2net', inputName: 'input.1', size: 320, outputCount: 7 },
  { id: 'u2netp', inputName: 'input.1', size: 320, outputCount: 7 },
  { id: 'basnet', inputName: 'input.1', size: 256, outputCount: 8 },
];

/** Dark on the left, bright on the right: output 0 rises left to right. */
async function gradientPhoto(width: number, height: number): Promise<Buffer> {
  const pixels = Buffer.alloc(width * height * 3);
  for (let y = 0; y < height; y += 1) for (let x = 0; x < width; x += 1) pixels.fill(Math.round((x / (width - 1)) * 255), (y * width + x) * 3, (y * width + x) * 3 + 3);
  return sharp(pixels, { raw: { width, height, channels: 3 } }).png().toBuffer();
}

// Family behaviour does not depend on the database, so the embedded one suffices here.
const target = DATABASE_TARGETS[0]!;
{
  describe('family pipelines through the gateway with built graphs', () => {
    let gateway: TestGateway;
    let client: Client;
    let modelsDir: string;

    before(async () => {
      modelsDir = await mkdtemp(join(tmpdir(), 'maskgraph-graphs-'));
      for (const graph of GRAPHS) {
        await cp(join(MODELS_DIR, graph.id, 'model.json'), join(modelsDir, graph.id, 'model.json'));
        await writeFile(join(modelsDir, graph.id, 'model.onnx'), buildFamilyGraph(graph));
      }
      gateway = await startTestGateway(target, { MODELS_DIR: modelsDir });
      client = new Client(gateway.url, (await gateway.newOwner('graphs')).key);
    });
    after(async () => {
      await gateway?.dispose();
      await rm(modelsDir, { recursive: true, force: true });
    });

    for (const graph of GRAPHS) {
      test(`${graph.id}: first output, min–max normalised, at the photo's size`, async () => {
        const models = await client.query('{ models { id available inputWidth } }');
        assert.deepEqual(models.data.models.find((model: { id: string }) => model.id === graph.id), { id: graph.id, available: true, inputWidth: graph.size });
        // A portrait photo: the mask must come back portrait, not square or transposed.
        const upload = await client.upload(await gradientPhoto(300, 420), { selection: 'id' });
        const response = await client.query(
          `mutation($id: ID!, $model: String) { segmentAsset(input: { assetId: $id, model: $model, wait: true }) { status errorMessage inferenceWidth mask { url width height subjectFound } } }`,
          { id: upload.data!.uploadAsset.id, model: graph.id },
        );
        const segmentation = response.data.segmentAsset;
        assert.equal(segmentation.status, 'SUCCEEDED', JSON.stringify(response));
        assert.equal(segmentation.inferenceWidth, graph.size);
        assert.deepEqual([segmentation.mask.width, segmentation.mask.height, segmentation.mask.subjectFound], [300, 420, true]);
        const png = Buffer.from(await (await fetch(segmentation.mask.url)).arrayBuffer());
        const mask = await sharp(png).toColourspace('b-w').raw().toBuffer();
        const row = 210 * 300;
        // Min–max stretching spans the full range: black at the dark edge, white at the bright one.
        // (Zero padding in skimage's resize darkens the outermost column slightly; stay inside it.)
        assert.ok(mask[row + 2]! <= 10, `left ${mask[row + 2]}`);
        assert.ok(mask[row + 297]! >= 245, `right ${mask[row + 297]}`);
        assert.ok(mask[row + 100]! < mask[row + 200]!, 'rises left to right');
      });
    }
  });
}
