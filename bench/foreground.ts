/**
 * Foreground colour estimation (the CUTOUT's decontamination, src/refinement/foreground.ts):
 *   quality  on the composites of test/fixtures/matting, with their exact alpha, the mean over
 *            soft pixels of α·|F̂ − F| (8-bit units) for the photo taken as is (no estimate: the
 *            floor) and for the estimate
 *   cost     a full-size CUTOUT PNG with decontamination against the same render without it,
 *            at 1, 4 and 16 MP (the second composite enlarged), median of three each
 *   node --import tsx bench/foreground.ts
 */
import sharp from 'sharp';
import { renderEffect } from '../src/effects/render.js';
import { parseEffectSpec } from '../src/effects/spec.js';
import { foregroundError } from '../src/metrics/foreground-error.js';
import { estimateForeground } from '../src/refinement/foreground.js';
import { COMPOSITES } from '../test/fixtures/matting/make-composites.js';
import { FIXTURES } from '../test/helpers/client.js';
import { timeMedian } from './timing.js';

console.log('mean α·|F̂ − F| over soft pixels (8-bit units), exact alpha');
const ratios: number[] = [];
for (const { name } of COMPOSITES) {
  const { data: rgb, info } = await sharp(`${FIXTURES}matting/${name}.jpg`).raw().toBuffer({ resolveWithObject: true });
  const alpha = await sharp(`${FIXTURES}matting/${name}.alpha.png`).toColourspace('b-w').raw().toBuffer();
  const truth = await sharp(`${FIXTURES}matting/${name}.foreground.png`).removeAlpha().raw().toBuffer();
  const [photo, estimate] = [
    foregroundError(rgb, truth, alpha),
    foregroundError(estimateForeground({ rgb, alpha, width: info.width, height: info.height }), truth, alpha),
  ];
  ratios.push(estimate / photo);
  console.log(
    `${name.padEnd(20)} photo ${photo.toFixed(2).padStart(6)}  estimate ${estimate.toFixed(2).padStart(6)}  (${((estimate / photo - 1) * 100).toFixed(0)} %)`,
  );
}
console.log(`mean change ${((ratios.reduce((a, b) => a + b, 0) / ratios.length - 1) * 100).toFixed(0)} %`);

console.log('\nfull-size CUTOUT PNG, decontaminated against not, median of 3 after a warm-up');
const source = `${FIXTURES}matting/${COMPOSITES[1]!.name}`;
const meta = await sharp(`${source}.jpg`).metadata();
for (const megapixels of [1, 4, 16]) {
  const width = Math.round(Math.sqrt((megapixels * 1e6 * meta.width!) / meta.height!));
  const height = Math.round((width * meta.height!) / meta.width!);
  const photo = await sharp(`${source}.jpg`).resize(width, height).jpeg({ quality: 92 }).toBuffer();
  const mask = await sharp(`${source}.alpha.png`).resize(width, height).toColourspace('b-w').png().toBuffer();
  const render = (decontaminate: boolean) => {
    const { effect, output } = parseEffectSpec({ cutout: { decontaminate } }, { format: 'PNG' });
    return () => renderEffect(effect, output, photo, mask, width, height);
  };
  const [plain, decontaminated] = [await timeMedian(3, render(false)), await timeMedian(3, render(true))];
  console.log(
    `${String(megapixels).padStart(2)} MP: ${decontaminated.toFixed(0)} ms against ${plain.toFixed(0)} ms, ratio ${(decontaminated / plain).toFixed(2)}`,
  );
}
