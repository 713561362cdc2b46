/**
 * `maskgraph metrics --json` on the reference folder prints exactly one JSON document whose
 * values equal the reference implementations' (HCE exactly, the rest within 1e-9; NaN as null).
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { FIXTURES } from '../helpers/client.js';

const CLI = fileURLToPath(new URL('../../bin/maskgraph.mjs', import.meta.url));
const DIR = `${FIXTURES}/metrics`;
const run = promisify(execFile);

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- reference.json is deeply nested fixture data
const reference = JSON.parse(await readFile(`${DIR}/reference.json`, 'utf8')) as { pairs: any[]; aggregates: { all_pairs: any } };
const expectNumber = (actual: number | null, expected: number | string, label: string) => {
  if (expected === 'NaN') return assert.equal(actual, null, `${label}: NaN is written as null`);
  assert.ok(actual !== null && Math.abs(actual - (expected as number)) <= 1e-9, `${label}: ${actual} vs ${expected}`);
};

test('maskgraph metrics --json reproduces the reference on every pair and in the summary', async () => {
  const { stdout } = await run(process.execPath, [CLI, 'metrics', '--pred', `${DIR}/pred`, '--gt', `${DIR}/gt`, '--json'], { maxBuffer: 16 * 1024 * 1024 });
  const result = JSON.parse(stdout) as { images: Record<string, any>[]; summary: Record<string, number | null> }; // eslint-disable-line @typescript-eslint/no-explicit-any
  assert.equal(result.images.length, reference.pairs.length);
  for (const pair of reference.pairs) {
    const image = result.images.find((candidate) => candidate.name === pair.id)!;
    assert.ok(image, pair.id);
    assert.deepEqual(
      [image.hce, image.hceParts.fpPoints, image.hceParts.fpIndep, image.hceParts.fnPoints, image.hceParts.fnIndep],
      [pair.dis_hce.hce, pair.dis_hce.fp_points, pair.dis_hce.fp_indep, pair.dis_hce.fn_points, pair.dis_hce.fn_indep],
      `${pair.id} HCE`,
    );
    const ref = pair.pysod;
    const expected: Record<string, number | string> = {
      mae: ref.mae,
      sm: ref.sm,
      wfm: ref.wfm,
      adpF: ref.fm.adp,
      meanF: ref.fm.mean,
      maxF: ref.fm.max,
      adpE: ref.em.adp,
      meanE: ref.em.mean,
      maxE: ref.em.max,
      iou: ref.fmv2.iou.binary,
      dice: ref.fmv2.dice.binary,
      ber: ref.fmv2.ber.binary,
    };
    for (const [key, value] of Object.entries(expected)) expectNumber(image[key], value, `${pair.id}.${key}`);
  }
  const all = reference.aggregates.all_pairs;
  assert.equal(result.summary.count, reference.pairs.length);
  expectNumber(result.summary.hce!, all.dis_hce_mean, 'summary.hce');
  for (const key of ['mae', 'sm', 'wfm', 'adpF', 'meanF', 'maxF', 'adpE', 'meanE', 'maxE'])
    expectNumber(result.summary[key]!, all.pysod[key], `summary.${key}`);
});

test('maskgraph metrics names what does not match', async () => {
  const failure = await run(process.execPath, [CLI, 'metrics', '--pred', `${DIR}/pred/p01_blob_identical.png`, '--gt', `${DIR}/gt/p17_chair_large.png`]).catch(
    (error: { code: number; stderr: string }) => error,
  );
  assert.equal((failure as { code: number }).code, 2);
  assert.match((failure as { stderr: string }).stderr, /prediction is 64×64 but ground truth is/);
});

test('maskgraph eval runs a model over a DIS5K-style folder pair and scores every mask', async () => {
  const { mkdtemp, copyFile, mkdir, readdir, rm } = await import('node:fs/promises');
  const { tmpdir } = await import('node:os');
  const root = await mkdtemp(`${tmpdir()}/maskgraph-eval-`);
  try {
    await mkdir(`${root}/im`);
    await mkdir(`${root}/gt`);
    for (const name of ['c1-bear-meadow.jpg', 'c5-flower-leaves-small.png']) {
      const base = name.replace(/\.(jpg|png)$/, '');
      await copyFile(`${FIXTURES}/composites/${name}`, `${root}/im/${name}`);
      await copyFile(`${FIXTURES}/composites/${base}.gt.png`, `${root}/gt/${base}.png`);
    }
    /** `maskgraph eval` of the q8 model over the two composites, with `extra` options. */
    const evaluate = async (...extra: string[]) =>
      (await run(process.execPath, [CLI, 'eval', '--images', `${root}/im`, '--gt', `${root}/gt`, '--model', 'isnet-general-q8', '--json', ...extra])).stdout;
    const stdout = await evaluate('--save-masks', `${root}/masks`);
    const result = JSON.parse(stdout) as {
      model: string;
      images: { name: string; iou: number; hce: number; inferenceMs: number }[];
      summary: { count: number; meanInferenceMs: number; maxF: number };
    };
    assert.equal(result.model, 'isnet-general-q8');
    assert.equal(result.summary.count, 2);
    for (const image of result.images) {
      assert.ok(image.iou > 0.95, `${image.name} IoU ${image.iou}`);
      assert.ok(image.inferenceMs > 0, 'expected: image.inferenceMs > 0');
    }
    assert.ok(result.summary.maxF > 0.95, 'expected: result.summary.maxF > 0.95');
    assert.deepEqual((await readdir(`${root}/masks`)).sort(), ['c1-bear-meadow.png', 'c5-flower-leaves-small.png']);

    // --refine: each mask refined at full resolution before scoring, as segmentAsset's refine: true.
    const refinedRun = JSON.parse(await evaluate('--refine', '--save-masks', `${root}/refined`)) as {
      refined: boolean;
      images: { refineMs: number }[];
      summary: { meanRefineMs: number };
    };
    assert.equal(refinedRun.refined, true);
    assert.ok(
      refinedRun.images.every((image) => image.refineMs > 0) && refinedRun.summary.meanRefineMs > 0,
      'expected: refinedRun.images.every((image) => image.refineMs > 0) && refinedRun.summary.meanRefineMs > 0',
    );
    const { photoGuide, refineMask } = await import('../../src/refinement/refine-mask.js');
    const sharp = (await import('sharp')).default;
    const greyFile = async (path: string) => new Uint8Array(await sharp(path).toColourspace('b-w').raw().toBuffer());
    const { width, height } = await sharp(`${root}/masks/c1-bear-meadow.png`).metadata();
    const photo = await (await import('node:fs/promises')).readFile(`${root}/im/c1-bear-meadow.jpg`);
    const expected = await refineMask({
      rgb: await photoGuide(photo, width!, height!),
      mask: await greyFile(`${root}/masks/c1-bear-meadow.png`),
      width: width!,
      height: height!,
      modelInputSize: 1024,
    });
    assert.deepEqual(await greyFile(`${root}/refined/c1-bear-meadow.png`), expected.mask, 'the saved mask is the model mask refined');
    const unknown = await run(process.execPath, [CLI, 'eval', '--images', `${root}/im`, '--gt', `${root}/gt`, '--model', 'nope']).catch(
      (error: { code: number; stderr: string }) => error,
    );
    assert.equal((unknown as { code: number }).code, 2);
    assert.match((unknown as { stderr: string }).stderr, /isnet-general/);
  } finally {
    await rm(root, { recursive: true, force: true });
  }
});

test("maskgraph matting scores a soft mask against a true alpha in the matting field's terms", async () => {
  const { mkdtemp, rm } = await import('node:fs/promises');
  const { tmpdir } = await import('node:os');
  const sharp = (await import('sharp')).default;
  const { mattingErrors } = await import('../../src/metrics/matting.js');
  const root = await mkdtemp(`${tmpdir()}/maskgraph-matting-`);
  try {
    // The plant's reference matte as the truth, and the same matte binarised as the prediction.
    const truthPath = `${FIXTURES}/images/plant.matte-reference.png`;
    const { data: truth, info } = await sharp(truthPath).toColourspace('b-w').raw().toBuffer({ resolveWithObject: true });
    const hard = Buffer.from(truth.map((value) => (value >= 128 ? 255 : 0)));
    await sharp(hard, { raw: { width: info.width, height: info.height, channels: 1 } })
      .png()
      .toFile(`${root}/plant.png`);
    const { stdout } = await run(process.execPath, [CLI, 'matting', '--pred', `${root}/plant.png`, '--gt', truthPath, '--json']);
    const [image] = (JSON.parse(stdout) as { images: ({ name: string } & ReturnType<typeof mattingErrors>)[] }).images;
    assert.equal(image!.name, 'plant');
    assert.deepEqual(
      { overall: image!.overall, band: image!.band, bandPixels: image!.bandPixels },
      mattingErrors(new Uint8Array(hard), new Uint8Array(truth), info.width, info.height),
    );
    assert.ok(image!.overall.sad > 0 && image!.band.mse > 0, 'expected: image!.overall.sad > 0 && image!.band.mse > 0');
    const table = (await run(process.execPath, [CLI, 'matting', '--pred', `${root}/plant.png`, '--gt', truthPath])).stdout;
    assert.match(table, /^plant\s+\d+\.\d\d\s+0\.\d{4}/m);
  } finally {
    await rm(root, { recursive: true, force: true });
  }
});
