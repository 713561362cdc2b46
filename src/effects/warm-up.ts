/**
 * A render thread's warm-up: every effect kind rendered a few times on a made-up photo at
 * preview size, so V8 has compiled the per-pixel loops (foreground estimate, depth of field's
 * blend, resampling) before the first person asks. Cold, a thread's first half-dozen cut-out
 * previews took up to three times as long as warm ones (53, 52, 21, 32… ms against 17).
 * Runs on the render thread (src/effects/render-worker.ts).
 */
import sharp from 'sharp';
import { renderEffect } from './render.js';
import { parseEffectSpec, type EffectInput } from './spec.js';

/** Every kind that needs no ground truth or background asset, with the lens variants. */
const KINDS: EffectInput[] = [
  { mask: {} },
  { cutout: {} },
  { backgroundBlur: {} },
  { depthOfField: {} },
  { depthOfField: { lens: 'GAUSSIAN' } },
  { colorSplash: {} },
  { backgroundReplace: { color: '#336699' } },
  { outline: {} },
  { maskOverlay: {} },
];

const [WIDTH, HEIGHT] = [512, 288];

/** A noisy photo and a soft-edged disc for a mask, so the soft-band paths run too. */
async function scene(): Promise<{ photo: Buffer; mask: Buffer }> {
  const photo = await sharp({ create: { width: WIDTH, height: HEIGHT, channels: 3, background: '#808080', noise: { type: 'gaussian', mean: 128, sigma: 40 } } })
    .jpeg()
    .toBuffer();
  const disc = Buffer.from(`<svg width="${WIDTH}" height="${HEIGHT}"><circle cx="${WIDTH / 2}" cy="${HEIGHT / 2}" r="${HEIGHT / 3}" fill="#fff"/></svg>`);
  const mask = await sharp(disc).blur(3).toColourspace('b-w').png().toBuffer();
  return { photo, mask };
}

/** Renders every kind `rounds` times; the time it took, in ms. */
export async function warmUp(rounds: number): Promise<number> {
  const started = performance.now();
  const { photo, mask } = await scene();
  for (let round = 0; round < rounds; round += 1)
    for (const input of KINDS) {
      const { effect, output } = parseEffectSpec(input);
      await renderEffect(effect, output, photo, mask, WIDTH, HEIGHT);
    }
  return performance.now() - started;
}
