/**
 * The U²-Net and BASNet families end to end through the gateway, with built graphs that
 * have the published exports' input names, sizes and output counts (the real weights are
 * added by hand): which output is taken, how it is normalised and resized, and that the
 * mask lands on the photo as displayed.
 */
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
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

/**
 * An asymmetric pattern, so a flip or a transposition of the mask shows: the top half rises
 * from dark on the left to bright on the right; the bottom half is black. Output 0 of the
 * built graphs rises with brightness.
 */
function patternPixels(width: number, height: number): Buffer {
  const pixels = Buffer.alloc(width * height * 3);
  for (let y = 0; y < height / 2; y += 1)
    for (let x = 0; x < width; x += 1) pixels.fill(Math.round((x / (width - 1)) * 255), (y * width + x) * 3, (y * width + x) * 3 + 3);
  return pixels;
}

const patternPng = (width: number, height: number) =>
  sharp(patternPixels(width, height), { raw: { width, height, channels: 3 } })
    .png()
    .toBuffer();

/** The same pattern as a camera would store it: pixels turned a quarter left, EXIF orientation 6 to show them upright. */
const patternExif6Jpeg = (width: number, height: number) =>
  sharp(patternPixels(width, height), { raw: { width, height, channels: 3 } })
    .rotate(-90)
    .jpeg({ quality: 95 })
    .withMetadata({ orientation: 6 })
    .toBuffer();

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
        // The family's manifest, without its pinned checksum (these are built graphs, not the published weights).
        const manifest = JSON.parse(await readFile(join(MODELS_DIR, graph.id, 'model.json'), 'utf8')) as Record<string, unknown>;
        await mkdir(join(modelsDir, graph.id), { recursive: true });
        await writeFile(join(modelsDir, graph.id, 'model.json'), JSON.stringify({ ...manifest, sha256: null, byteSize: null }));
        await writeFile(join(modelsDir, graph.id, 'model.onnx'), buildFamilyGraph(graph));
      }
      gateway = await startTestGateway(target, { MODELS_DIR: modelsDir });
      client = new Client(gateway.url, (await gateway.newOwner('graphs')).key);
    });
    after(async () => {
      await gateway?.dispose();
      await rm(modelsDir, { recursive: true, force: true });
    });

    /** Uploads a photo, segments it with the graph's model and returns the served mask (300 × 420). */
    async function maskOf(photo: Buffer, graph: (typeof GRAPHS)[number]): Promise<Buffer> {
      const upload = await client.upload(photo, { selection: 'id width height' });
      assert.deepEqual([upload.data!.uploadAsset.width, upload.data!.uploadAsset.height], [300, 420], 'the oriented size');
      const response = await client.query(
        `mutation($id: ID!, $model: String) { segmentAsset(input: { assetId: $id, model: $model, wait: true }) { status errorMessage inferenceWidth mask { url width height subjectFound } } }`,
        { id: upload.data!.uploadAsset.id, model: graph.id },
      );
      const segmentation = response.data.segmentAsset;
      assert.equal(segmentation.status, 'SUCCEEDED', JSON.stringify(response));
      assert.equal(segmentation.inferenceWidth, graph.size);
      assert.deepEqual([segmentation.mask.width, segmentation.mask.height, segmentation.mask.subjectFound], [300, 420, true]);
      const png = Buffer.from(await (await fetch(segmentation.mask.url)).arrayBuffer());
      return sharp(png).toColourspace('b-w').raw().toBuffer();
    }

    for (const graph of GRAPHS) {
      test(`${graph.id}: first output, min–max normalised, at the photo's size and orientation`, async () => {
        const models = await client.query('{ models { id available inputWidth } }');
        assert.deepEqual(
          models.data.models.find((model: { id: string }) => model.id === graph.id),
          { id: graph.id, available: true, inputWidth: graph.size },
        );
        // A portrait photo: the mask must come back portrait, upright, not flipped or transposed.
        const mask = await maskOf(await patternPng(300, 420), graph);
        const [top, bottom] = [105 * 300, 315 * 300];
        // Min–max stretching spans the full range: black at the dark edge, white at the bright one.
        // (Zero padding in skimage's resize darkens the outermost column slightly; stay inside it.)
        assert.ok(mask[top + 2]! <= 10, `top left ${mask[top + 2]}`);
        assert.ok(mask[top + 297]! >= 245, `top right ${mask[top + 297]}`);
        assert.ok(mask[top + 100]! < mask[top + 200]!, 'rises left to right');
        for (const x of [2, 150, 297]) assert.ok(mask[bottom + x]! <= 10, `the black bottom half stays black at x ${x}: ${mask[bottom + x]}`);
      });

      test(`${graph.id}: an EXIF-rotated photo gets the mask of the photo as displayed`, async () => {
        const upright = await maskOf(await patternPng(300, 420), graph);
        const rotated = await maskOf(await patternExif6Jpeg(300, 420), graph);
        let difference = 0;
        for (let i = 0; i < upright.length; i += 1) difference += Math.abs(upright[i]! - rotated[i]!);
        assert.ok(difference / upright.length < 3, `mean abs diff ${(difference / upright.length).toFixed(2)} between the upright and the EXIF-rotated masks`);
      });
    }
  });
}
