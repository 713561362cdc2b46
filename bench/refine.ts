/**
 * Edge refinement against the unrefined mask, in the matting field's terms, and its cost
 * against the model run it follows, in one run:
 *   quality  per soft-alpha composite (shared fixtures/matting and test/fixtures/matting) and the
 *            plant matte reference:
 *            SAD, MSE, gradient and connectivity error overall and inside the true soft band,
 *            for IS-Net's stored mask and for the refined one
 *   cost     `timings.refineMs` of a `refine: true` job against its model run (`inferenceMs`) at 1, 4
 *            and 16 MP (the first composite enlarged), and the whole job's time against an
 *            unrefined job of the same photo, median of three
 *   node --import tsx bench/refine.ts [--model isnet-general]
 */
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { ApiKeyService } from '../src/auth/api-keys.js';
import { loadConfig } from '../src/config/config.js';
import { createLogger } from '../src/lib/logger.js';
import { startGateway } from '../src/main.js';
import { mattingErrors, type MattingErrors } from '../src/metrics/matting.js';
import { photoGuide, refineMask } from '../src/refinement/refine-mask.js';
import { OwnerRepository } from '../src/storage/repositories/owner.repository.js';
import { COMPOSITES as MATTING_COMPOSITES } from '../test/fixtures/matting/make-composites.js';
import { Client, FIXTURES } from '../test/helpers/client.js';
import { median } from './timing.js';

const args = process.argv.slice(2);
const MODEL = args.includes('--model') ? args[args.indexOf('--model') + 1]! : 'isnet-general';
const SHARED = new URL('../../shared/fixtures/', import.meta.url).pathname;
const PAIRS = [
  ...['p1-tree-bridge', 'p2-heron-hills', 'p3-fly-leaf'].map((name) => ({
    name,
    photo: `${SHARED}matting/${name}.jpg`,
    truth: `${SHARED}matting/${name}.alpha.png`,
  })),
  ...MATTING_COMPOSITES.map(({ name }) => ({ name, photo: `${FIXTURES}matting/${name}.jpg`, truth: `${FIXTURES}matting/${name}.alpha.png` })),
  { name: 'plant (reference matte)', photo: `${FIXTURES}images/plant.jpg`, truth: `${FIXTURES}images/plant.matte-reference.png` },
].filter((pair) => existsSync(pair.photo) && existsSync(pair.truth));

const dir = await mkdtemp(join(tmpdir(), 'maskgraph-refine-'));
const gateway = await startGateway(loadConfig({ DATA_DIR: join(dir, 'data'), PORT: '0', LOG_LEVEL: 'error', WARM_UP: 'false' }), createLogger('error'));
try {
  const owners = new OwnerRepository(gateway.database.prisma);
  const owner = await owners.createOwner('bench');
  const client = new Client(gateway.url, (await new ApiKeyService(owners).createKey(owner.id, 'bench')).secret);
  const modelInputSize = MODEL.startsWith('isnet') ? 1024 : MODEL.startsWith('basnet') ? 256 : 320;

  /** The stored mask of `photo` (refined or not, as the API makes it) and the job's stage times. */
  async function segment(assetId: string, refine: boolean) {
    const response = await client.query(
      `mutation($id: ID!, $model: String, $refine: Boolean) { segmentAsset(input: { assetId: $id, model: $model, refine: $refine, wait: true, waitTimeoutMs: 120000 }) { status mask { url width height } timings { preprocessMs inferenceMs postprocessMs refineMs storeMs } } }`,
      { id: assetId, model: MODEL, refine },
    );
    const segmentation = response.data?.segmentAsset;
    if (!segmentation) throw new Error(JSON.stringify(response.errors));
    if (segmentation.status !== 'SUCCEEDED') throw new Error(JSON.stringify(response));
    const png = Buffer.from(await (await fetch(segmentation.mask.url)).arrayBuffer());
    return {
      mask: new Uint8Array(await sharp(png).toColourspace('b-w').raw().toBuffer()),
      width: segmentation.mask.width as number,
      height: segmentation.mask.height as number,
      inferenceMs: segmentation.timings.inferenceMs as number,
      refineMs: segmentation.timings.refineMs as number | null,
      /** The job's own work: every stage but the queue wait. */
      jobMs: ['preprocessMs', 'inferenceMs', 'postprocessMs', 'refineMs', 'storeMs'].reduce(
        (sum, stage) => sum + (segmentation.timings[stage] ?? 0),
        0,
      ) as number,
    };
  }
  const upload = async (photo: Buffer) => (await client.upload(photo, { filename: 'photo.jpg', selection: 'id' })).data!.uploadAsset.id as string;
  /** The band the refinement worked in, for the report. */
  async function bandOf(photo: Buffer, mask: Uint8Array, width: number, height: number) {
    return (await refineMask({ rgb: await photoGuide(photo, width, height), mask, width, height, modelInputSize })).bandPixels;
  }
  const row = (errors: MattingErrors) =>
    [errors.sad.toFixed(2), errors.mse.toFixed(4), errors.gradient.toFixed(2), errors.connectivity.toFixed(2)].map((value) => value.padStart(8)).join(' ');

  console.log(`${MODEL}; errors: SAD, MSE, gradient, connectivity (SAD, gradient, connectivity ÷ 1000), overall | inside the true soft band`);
  const changes: number[] = [];
  for (const pair of PAIRS) {
    const photo = await readFile(pair.photo);
    const truth = new Uint8Array(await sharp(pair.truth).toColourspace('b-w').raw().toBuffer());
    const assetId = await upload(photo);
    const unrefined = await segment(assetId, false);
    const refined = await segment(assetId, true);
    const before = mattingErrors(unrefined.mask, truth, refined.width, refined.height);
    const after = mattingErrors(refined.mask, truth, refined.width, refined.height);
    changes.push(after.overall.sad / before.overall.sad - 1);
    console.log(
      `${pair.name} (${refined.width}×${refined.height}, refined band ${await bandOf(photo, unrefined.mask, refined.width, refined.height)} px, ${refined.refineMs!.toFixed(0)} ms)`,
    );
    console.log(`  unrefined ${row(before.overall)} | ${row(before.band)}`);
    console.log(`  refined   ${row(after.overall)} | ${row(after.band)}`);
    console.log(
      `  SAD ${((after.overall.sad / before.overall.sad - 1) * 100).toFixed(1)} %, band MSE ${((after.band.mse / before.band.mse - 1) * 100).toFixed(1)} %`,
    );
  }
  if (changes.length)
    console.log(
      `mean SAD change ${((changes.reduce((a, b) => a + b, 0) / changes.length) * 100).toFixed(1)} %, worst ${(Math.max(...changes) * 100).toFixed(1)} %`,
    );

  console.log('\nrefinement time against the model run of the same job, median of 3: refineMs (the wait for the band and filter');
  console.log('after the model; the guide decodes during the model run) and the whole job with refine against without (its real cost)');
  const source = await readFile(PAIRS[0]!.photo);
  const meta = await sharp(source).metadata();
  for (const megapixels of [1, 4, 16]) {
    const width = Math.round(Math.sqrt((megapixels * 1e6 * meta.width!) / meta.height!));
    const runs: { refineMs: number; inferenceMs: number; extraMs: number }[] = [];
    for (const quality of [92, 91, 90]) {
      // A new encoding each run: the same bytes would be answered by reuse.
      const assetId = await upload(await sharp(source).resize(width).jpeg({ quality }).toBuffer());
      const plain = await segment(assetId, false);
      const refined = await segment(assetId, true);
      runs.push({ refineMs: refined.refineMs!, inferenceMs: refined.inferenceMs, extraMs: refined.jobMs - plain.jobMs });
    }
    const [refineMs, inferenceMs, extraMs] = [
      median(runs.map((run) => run.refineMs)),
      median(runs.map((run) => run.inferenceMs)),
      median(runs.map((run) => run.extraMs)),
    ];
    console.log(
      `${String(megapixels).padStart(2)} MP: refineMs ${refineMs.toFixed(0)}, model run ${inferenceMs.toFixed(0)} ms, ratio ${(refineMs / inferenceMs).toFixed(2)}; the job takes ${extraMs.toFixed(0)} ms more than unrefined, ${(extraMs / inferenceMs).toFixed(2)} × the model run`,
    );
  }
} finally {
  await gateway.close();
  await rm(dir, { recursive: true, force: true });
}
