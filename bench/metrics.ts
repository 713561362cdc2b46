/**
 * Metric cost against its floor, in one run: the whole suite (MAE, S, wF, F and E curves,
 * FmeasureV2 family, DIS HCE with the skeleton computed) and HCE alone, per pair, at 1024²
 * and 2048², against decoding the two PNGs with sharp. The masks are the fixture chair pair
 * (thin legs, the DIS-like case) scaled up.
 *   node --import tsx bench/metrics.ts [runs]
 */
import sharp from 'sharp';
import { evaluatePair } from '../src/metrics/evaluate-pair.js';
import { computeHce } from '../src/metrics/hce.js';
import { loadOpenCv } from '../src/metrics/opencv.js';
import { FIXTURES } from '../test/helpers/client.js';
import { timeMedian } from './timing.js';

const RUNS = Number(process.argv[2] ?? 5);

const time = (run: () => Promise<unknown> | unknown) => timeMedian(RUNS, run);

await loadOpenCv();
console.log(`per pair, median of ${RUNS}`);
console.log('size    decode 2 PNGs ms  suite+HCE ms  ratio   HCE alone ms  ratio');
for (const size of [1024, 2048]) {
  const [gtPng, predPng] = await Promise.all(
    ['gt', 'pred'].map((kind) =>
      sharp(`${FIXTURES}/metrics/${kind}/p17_chair_large.png`).resize(size, size, { fit: 'fill', kernel: 'nearest' }).toColourspace('b-w').png().toBuffer(),
    ),
  );
  const decode = async () => {
    const [gt, pred] = await Promise.all([gtPng, predPng].map((png) => sharp(png).toColourspace('b-w').raw().toBuffer()));
    return { gt: new Uint8Array(gt!), pred: new Uint8Array(pred!) };
  };
  const { gt, pred } = await decode();
  const decodeMs = await time(decode);
  const suiteMs = await time(async () => {
    evaluatePair(gt, pred, size, size);
    await computeHce(gt, pred, size, size, { variant: 'dis' });
  });
  const hceMs = await time(() => computeHce(gt, pred, size, size, { variant: 'dis' }));
  console.log(
    `${`${size}²`.padEnd(7)} ${decodeMs.toFixed(1).padStart(16)} ${suiteMs.toFixed(0).padStart(13)} ${(suiteMs / decodeMs).toFixed(1).padStart(6)} ${hceMs.toFixed(0).padStart(14)} ${(hceMs / decodeMs).toFixed(1).padStart(6)}`,
  );
}
