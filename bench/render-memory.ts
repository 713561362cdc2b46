/**
 * Peak memory of one full-size render, per effect kind, of a 100-megapixel photo (the
 * dandelion fixture enlarged to 12 000 × 8 333, with a mask from its IS-Net mask enlarged
 * too). Each kind renders in a fresh child process, whose peak resident set size
 * (`process.resourceUsage().maxRSS`) is reported next to the same process's baseline after
 * loading the inputs: the difference is what the render itself needs.
 *   node --import tsx bench/render-memory.ts [megapixels [KIND…]]
 */
import { execFileSync } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';
import { renderEffect } from '../src/effects/render.js';
import { parseEffectSpec, type EffectInput } from '../src/effects/spec.js';
import { fixturePath } from '../test/helpers/client.js';

const CASES: Record<string, { effect: EffectInput; format: 'PNG' | 'JPEG' }> = {
  MASK: { effect: { mask: {} }, format: 'PNG' },
  CUTOUT: { effect: { cutout: {} }, format: 'PNG' },
  BACKGROUND_BLUR: { effect: { backgroundBlur: {} }, format: 'JPEG' },
  DEPTH_OF_FIELD: { effect: { depthOfField: {} }, format: 'JPEG' },
  COLOR_SPLASH: { effect: { colorSplash: {} }, format: 'JPEG' },
  BACKGROUND_REPLACE: { effect: { backgroundReplace: { shadow: { opacity: 0.5 } } }, format: 'JPEG' },
  OUTLINE: { effect: { outline: {} }, format: 'PNG' },
  MASK_OVERLAY: { effect: { maskOverlay: {} }, format: 'JPEG' },
};

const [, , mode, ...rest] = process.argv;
if (mode === 'child') {
  // One render in this process: inputs loaded, baseline taken, render, peak taken.
  const [name, photoPath, maskPath, width, height] = rest as [string, string, string, string, string];
  const [photo, mask] = await Promise.all([readFile(photoPath), readFile(maskPath)]);
  const baseline = process.resourceUsage().maxRSS;
  const { effect, output } = parseEffectSpec(CASES[name]!.effect, { format: CASES[name]!.format });
  const started = performance.now();
  await renderEffect(effect, output, photo, mask, Number(width), Number(height));
  console.log(JSON.stringify({ baselineKiB: baseline, peakKiB: process.resourceUsage().maxRSS, ms: performance.now() - started }));
} else {
  const megapixels = Number(mode ?? 100);
  const dir = await mkdtemp(join(tmpdir(), 'maskgraph-memory-'));
  try {
    const source = await readFile(fixturePath('dandelion-large.jpg'));
    const meta = await sharp(source).metadata();
    const width = Math.round(Math.sqrt((megapixels * 1e6 * meta.width!) / meta.height!));
    const height = Math.round((width * meta.height!) / meta.width!);
    const photoPath = join(dir, 'photo.jpg');
    const maskPath = join(dir, 'mask.png');
    await writeFile(photoPath, await sharp(source).resize(width, height, { fit: 'fill' }).jpeg({ quality: 90 }).toBuffer());
    // A soft elliptical subject: the mask's content does not change the memory, only its size.
    const ellipse = Buffer.from(
      `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}"><rect width="100%" height="100%" fill="black"/><ellipse cx="${width / 2}" cy="${height / 2}" rx="${width / 4}" ry="${height / 3}" fill="white"/></svg>`,
    );
    await writeFile(maskPath, await sharp(ellipse, { limitInputPixels: false }).toColourspace('b-w').png().toBuffer());
    console.log(`${width}×${height} (${((width * height) / 1e6).toFixed(0)} MP), one full-size render per fresh process`);
    console.log('effect                render s   peak RSS GiB   above baseline GiB');
    for (const name of rest.length > 0 ? rest : Object.keys(CASES)) {
      const line = execFileSync(
        process.execPath,
        ['--import', 'tsx', fileURLToPath(import.meta.url), 'child', name, photoPath, maskPath, String(width), String(height)],
        { encoding: 'utf8' },
      );
      const { baselineKiB, peakKiB, ms } = JSON.parse(line.trim().split('\n').pop()!) as { baselineKiB: number; peakKiB: number; ms: number };
      console.log(
        `${name.padEnd(21)} ${(ms / 1000).toFixed(1).padStart(8)} ${(peakKiB / 1024 ** 2).toFixed(2).padStart(14)} ${((peakKiB - baselineKiB) / 1024 ** 2).toFixed(2).padStart(20)}`,
      );
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
