import { readFile } from 'node:fs/promises';
import sharp from 'sharp';
import { mattingErrors } from './src/metrics/matting.js';
import { unknownBand, bandRadius } from './src/refinement/refine-mask.js';
async function weightedBlur(rgb: Buffer, weight: Uint8Array, width: number, height: number, sigma: number): Promise<Buffer> {
  const rgba = await sharp(rgb, { raw: { width, height, channels: 3 } }).joinChannel(Buffer.from(weight), { raw: { width, height, channels: 1 } }).raw().toBuffer();
  return sharp(rgba, { raw: { width, height, channels: 4 } }).blur(sigma).removeAlpha().raw().toBuffer();
}
const args = process.argv.slice(2).map(Number);
const [bandK, sigmaK, t0, t1] = [args[0] ?? 1, args[1] ?? 1, args[2] ?? 20, args[3] ?? 60];
const res = [];
for (const name of ['p1-tree-bridge', 'p2-heron-hills', 'p3-fly-leaf']) {
  const photo = await readFile(`/work/shared/fixtures/matting/${name}.jpg`);
  const { width: w, height: h } = await sharp(photo).metadata();
  const width = w!, height = h!;
  const rgb = await sharp(photo).removeAlpha().raw().toBuffer();
  const truth = new Uint8Array(await sharp(`/work/shared/fixtures/matting/${name}.alpha.png`).toColourspace('b-w').raw().toBuffer());
  const mask = new Uint8Array(await sharp(`/tmp/masks/${name}.isnet-general.png`).toColourspace('b-w').raw().toBuffer());
  const radius = Math.round(bandRadius(width, height, 1024) * bandK);
  const band = await unknownBand(mask, width, height, radius);
  const fgKnown = Uint8Array.from(mask, (v, i) => (!band[i] && v >= 128 ? 255 : 0));
  const bgKnown = Uint8Array.from(mask, (v, i) => (!band[i] && v < 128 ? 255 : 0));
  const [F, B] = await Promise.all([weightedBlur(rgb, fgKnown, width, height, radius * sigmaK), weightedBlur(rgb, bgKnown, width, height, radius * sigmaK)]);
  const out = Uint8Array.from(mask);
  for (let i = 0; i < out.length; i++) {
    if (!band[i]) continue;
    let num = 0, den = 0;
    for (let c = 0; c < 3; c++) { const fb = F[i * 3 + c]! - B[i * 3 + c]!; num += (rgb[i * 3 + c]! - B[i * 3 + c]!) * fb; den += fb * fb; }
    const alpha = den > 0 ? Math.min(1, Math.max(0, num / den)) : mask[i]! / 255;
    const distance = Math.sqrt(den);
    const confidence = Math.min(1, Math.max(0, (distance - t0) / (t1 - t0)));
    out[i] = Math.round(255 * (confidence * alpha + (1 - confidence) * mask[i]! / 255));
  }
  const before = mattingErrors(mask, truth, width, height), after = mattingErrors(out, truth, width, height);
  res.push(`${((after.overall.sad / before.overall.sad - 1) * 100).toFixed(1)}/${((after.band.mse / before.band.mse - 1) * 100).toFixed(0)}`);
  if (process.env.SAVE) await sharp(out, { raw: { width, height, channels: 1 } }).png().toFile(`/tmp/dof/${name}-fb.png`);
}
console.log(`band×${bandK} σ×${sigmaK} t ${t0}-${t1}:`, res.join('  '));
