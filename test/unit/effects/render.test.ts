/**
 * Effects at the pixel level on a real photograph with an exact mask (the bear composite
 * and its ground truth), rendered at preview size.
 */
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { describe, test } from 'node:test';
import sharp from 'sharp';
import { MAX_BLUR_SIGMA, renderEffect } from '../../../src/effects/render.js';
import { parseEffectSpec, type EffectInput, type OutputInput } from '../../../src/effects/spec.js';
import { AppError } from '../../../src/errors.js';
import { FIXTURES } from '../../helpers/client.js';

const PHOTO = await readFile(`${FIXTURES}/composites/c1-bear-meadow.jpg`);
const MASK = await readFile(`${FIXTURES}/composites/c1-bear-meadow.gt.png`);
const [W, H] = [1024, 682];

async function render(input: EffectInput, outputInput: OutputInput = {}) {
  const { effect, output } = parseEffectSpec(input, outputInput);
  return renderEffect(effect, output, PHOTO, MASK, W, H);
}

async function raw(bytes: Buffer, channels?: number) {
  // A grey PNG decodes to three channels unless asked for one.
  const image = channels === 1 ? sharp(bytes).toColourspace('b-w') : sharp(bytes);
  const { data, info } = await image.raw().toBuffer({ resolveWithObject: true });
  if (channels) assert.equal(info.channels, channels);
  return { data, info };
}

/** The mask and photo at the preview size, as the renderer sees them. */
async function inputsAt(width: number, height: number) {
  const mask = await sharp(MASK).resize(width, height, { fit: 'fill', kernel: 'linear' }).toColourspace('b-w').raw().toBuffer();
  const photo = await sharp(PHOTO).resize(width, height, { fit: 'fill' }).removeAlpha().raw().toBuffer();
  return { mask, photo };
}

/** Pixels at least `radius` px inside the subject (mask 255 everywhere around). */
function erodedSubject(mask: Buffer, width: number, height: number, radius: number): number[] {
  const inside: number[] = [];
  for (let y = radius; y < height - radius; y += 1)
    for (let x = radius; x < width - radius; x += 1) {
      let solid = true;
      for (let dy = -radius; dy <= radius && solid; dy += 1)
        for (let dx = -radius; dx <= radius; dx += 1)
          if (mask[(y + dy) * width + x + dx]! < 255) {
            solid = false;
            break;
          }
      if (solid) inside.push(y * width + x);
    }
  return inside;
}

describe('effects', () => {
  test('CUTOUT: the alpha channel is the mask', async () => {
    const result = await render({ cutout: {} }, { maxWidth: 512 });
    const { data, info } = await raw(result.bytes, 4);
    const { mask } = await inputsAt(info.width, info.height);
    for (let i = 0; i < mask.length; i += 1) assert.equal(data[i * 4 + 3], mask[i], `alpha at ${i}`);
    assert.equal(result.format, 'png');
  });

  test('CUTOUT with a crop margin ends at the subject plus the margin', async () => {
    const result = await render({ cutout: { cropMarginPx: 10 } });
    // Ground-truth box x 305–719, y 300–652; with 10 px margin and the bottom clipped by the frame at 681.
    assert.deepEqual([result.width, result.height], [719 - 305 + 1 + 20, 652 - 300 + 1 + 20]);
  });

  test('BACKGROUND_BLUR keeps the subject, blurs the background, and does not bleed the subject into it', async () => {
    const result = await render({ backgroundBlur: { strength: 0.6 } }, { maxWidth: 400, format: 'PNG' });
    const { data, info } = await raw(result.bytes, 3);
    const { mask, photo } = await inputsAt(info.width, info.height);
    for (const i of erodedSubject(mask, info.width, info.height, 2))
      for (let c = 0; c < 3; c += 1) assert.ok(Math.abs(data[i * 3 + c]! - photo[i * 3 + c]!) <= 1, `subject pixel ${i}`);
    let changed = 0;
    let background = 0;
    for (let i = 0; i < mask.length; i += 1)
      if (mask[i] === 0) {
        background += 1;
        changed += Math.abs(data[i * 3]! - photo[i * 3]!);
      }
    assert.ok(changed / background > 3, `background changed by ${changed / background} on average`);

    // The ring just outside the subject, against a blur that mixes the subject in (a halo):
    // ours must be closer to the photo's own background colours there.
    const sigma = 0.6 * 0.03 * 400;
    const naive = await sharp(photo, { raw: { width: info.width, height: info.height, channels: 3 } })
      .blur(sigma)
      .raw()
      .toBuffer();
    const subjectMean = [0, 1, 2].map((c) => {
      let sum = 0,
        n = 0;
      for (let i = 0; i < mask.length; i += 1)
        if (mask[i] === 255) {
          sum += photo[i * 3 + c]!;
          n += 1;
        }
      return sum / n;
    });
    // Background pixels within 6 px of the subject.
    const ring: number[] = [];
    for (let y = 0; y < info.height; y += 1)
      for (let x = 0; x < info.width; x += 1) {
        if (mask[y * info.width + x] !== 0) continue;
        let near = false;
        for (let dy = -6; dy <= 6 && !near; dy += 1)
          for (let dx = -6; dx <= 6; dx += 1) {
            const yy = y + dy,
              xx = x + dx;
            if (yy >= 0 && yy < info.height && xx >= 0 && xx < info.width && mask[yy * info.width + xx]! >= 128) {
              near = true;
              break;
            }
          }
        if (near) ring.push(y * info.width + x);
      }
    assert.ok(ring.length > 100, `ring of ${ring.length} pixels; subject mean ${subjectMean}`);
    const distanceToSubject = (pixels: Buffer) =>
      ring.reduce((sum, i) => sum + Math.hypot(...[0, 1, 2].map((c) => pixels[i * 3 + c]! - subjectMean[c]!)), 0) / ring.length;
    assert.ok(
      distanceToSubject(data) > distanceToSubject(naive) + 2,
      `ours ${distanceToSubject(data).toFixed(1)} vs naive ${distanceToSubject(naive).toFixed(1)} from the subject colour`,
    );
  });

  test('BACKGROUND_REPLACE puts exactly the colour where the mask is 0', async () => {
    const result = await render({ backgroundReplace: { color: '#1e90ff' } }, { maxWidth: 300, format: 'PNG' });
    const { data, info } = await raw(result.bytes, 3);
    const { mask } = await inputsAt(info.width, info.height);
    let checked = 0;
    for (let i = 0; i < mask.length; i += 1)
      if (mask[i] === 0) {
        assert.deepEqual([data[i * 3], data[i * 3 + 1], data[i * 3 + 2]], [0x1e, 0x90, 0xff]);
        checked += 1;
      }
    assert.ok(checked > 1000, 'expected: checked > 1000');
  });

  test('COLOR_SPLASH turns the background into the luma of the photo and keeps the subject', async () => {
    const { data, info } = await raw((await render({ colorSplash: {} }, { maxWidth: 300, format: 'PNG' })).bytes, 3);
    const { mask, photo } = await inputsAt(info.width, info.height);
    let background = 0;
    let subject = 0;
    for (let i = 0; i < mask.length; i += 1) {
      const rgb = [0, 1, 2].map((c) => data[i * 3 + c]!);
      if (mask[i] === 0) {
        const luma = 0.299 * photo[i * 3]! + 0.587 * photo[i * 3 + 1]! + 0.114 * photo[i * 3 + 2]!;
        for (const value of rgb) assert.ok(Math.abs(value - luma) <= 2, `background pixel ${i}: ${rgb} vs luma ${luma.toFixed(1)}`);
        background += 1;
      }
      if (mask[i] === 255) {
        for (let c = 0; c < 3; c += 1) assert.ok(Math.abs(rgb[c]! - photo[i * 3 + c]!) <= 1, `subject pixel ${i}: ${rgb}`);
        subject += 1;
      }
    }
    assert.ok(background > 10_000 && subject > 2_000, `${background} background, ${subject} subject pixels checked`);
  });

  test('MASK thresholds and inverts', async () => {
    const { data, info } = await raw((await render({ mask: { threshold: 128, invert: true } }, { format: 'PNG' })).bytes, 1);
    const { mask } = await inputsAt(info.width, info.height);
    for (let i = 0; i < mask.length; i += 1) assert.equal(data[i], mask[i]! >= 128 ? 0 : 255);
  });

  test('MASK_OVERLAY tints the subject with the colour at its opacity, outlines it and leaves the background', async () => {
    const tint = [0x10, 0xc0, 0x40];
    const { data, info } = await raw((await render({ maskOverlay: { color: '#10c040', opacity: 0.5 } }, { maxWidth: 300, format: 'PNG' })).bytes, 3);
    const { mask, photo } = await inputsAt(info.width, info.height);
    const w = info.width;
    let interior = 0;
    let contour = 0;
    for (let i = 0; i < mask.length; i += 1) {
      const rgb = [0, 1, 2].map((c) => data[i * 3 + c]!);
      const x = i % w;
      const neighbours = [x > 0 ? mask[i - 1] : 255, x < w - 1 ? mask[i + 1] : 255, mask[i - w] ?? 255, mask[i + w] ?? 255];
      if (mask[i] === 0) for (let c = 0; c < 3; c += 1) assert.equal(rgb[c], photo[i * 3 + c], `background pixel ${i} channel ${c}`);
      if (mask[i] === 255 && neighbours.every((value) => value === 255)) {
        for (let c = 0; c < 3; c += 1) assert.ok(Math.abs(rgb[c]! - (photo[i * 3 + c]! * 0.5 + tint[c]! * 0.5)) <= 1, `interior pixel ${i}: ${rgb}`);
        interior += 1;
      }
      if (mask[i]! >= 128 && neighbours.some((value) => value! < 128)) {
        assert.deepEqual(rgb, tint, `contour pixel ${i}`);
        contour += 1;
      }
    }
    assert.ok(interior > 2_000 && contour > 200, `${interior} interior, ${contour} contour pixels`);
  });

  test('BACKGROUND_BLUR blurs with σ = strength × 3 % of the longer side', async () => {
    // A vertical black-to-white step far from a small subject in the corner: the blurred
    // step's 10–90 % rise is 2.563 σ for a Gaussian, which measures σ.
    const [width, height] = [400, 300];
    const step = Buffer.alloc(width * height * 3);
    for (let i = 0; i < width * height; i += 1) if (i % width >= 250) step.fill(255, i * 3, i * 3 + 3);
    const photo = await sharp(step, { raw: { width, height, channels: 3 } })
      .png()
      .toBuffer();
    const corner = Buffer.alloc(width * height);
    for (let y = 0; y < 30; y += 1) corner.fill(255, y * width, y * width + 30);
    const mask = await sharp(corner, { raw: { width, height, channels: 1 } })
      .toColourspace('b-w')
      .png()
      .toBuffer();
    for (const strength of [0.3, 0.6]) {
      const { effect, output } = parseEffectSpec({ backgroundBlur: { strength } }, { format: 'PNG' });
      const { data } = await raw((await renderEffect(effect, output, photo, mask, width, height)).bytes, 3);
      const row = 200 * width;
      const crossing = (level: number) => {
        for (let x = 150; x < 350; x += 1) {
          const [a, b] = [data[(row + x) * 3]!, data[(row + x + 1) * 3]!];
          if (a < level && b >= level) return x + (level - a) / (b - a);
        }
        return Number.NaN;
      };
      const measured = (crossing(0.9 * 255) - crossing(0.1 * 255)) / 2.563;
      const expected = strength * 0.03 * width;
      assert.ok(Math.abs(measured - expected) <= 0.15 * expected, `strength ${strength}: σ ${measured.toFixed(2)}, expected ${expected.toFixed(2)}`);
    }
  });

  for (const lens of ['DISC', 'GAUSSIAN'] as const)
    test(`DEPTH_OF_FIELD (${lens}) blurs more the farther a pixel is from the subject`, async () => {
      // Uniform texture (noise) around a disc: what remains of its spread measures the blur alone.
      const size = 400;
      const noise = Buffer.alloc(size * size * 3);
      let seed = 1;
      for (let i = 0; i < noise.length; i += 1) noise[i] = (seed = (Math.imul(seed, 1_664_525) + 1_013_904_223) >>> 0) >>> 24;
      const photo = await sharp(noise, { raw: { width: size, height: size, channels: 3 } })
        .png()
        .toBuffer();
      const disc = Buffer.alloc(size * size);
      for (let y = 0; y < size; y += 1) for (let x = 0; x < size; x += 1) disc[y * size + x] = Math.hypot(x - 200, y - 200) <= 60 ? 255 : 0;
      const mask = await sharp(disc, { raw: { width: size, height: size, channels: 1 } })
        .toColourspace('b-w')
        .png()
        .toBuffer();
      const { effect, output } = parseEffectSpec({ depthOfField: { strength: 0.5, falloffPx: 120, lens } }, { format: 'PNG' });
      const { data } = await raw((await renderEffect(effect, output, photo, mask, size, size)).bytes, 3);
      const bands = [
        [3, 20],
        [20, 50],
        [50, 90],
        [90, 120],
      ] as const;
      const spread = bands.map(([from, to]) => {
        const values: number[] = [];
        for (let y = 0; y < size; y += 1)
          for (let x = 0; x < size; x += 1) {
            const d = Math.hypot(x - 200, y - 200) - 60;
            if (d >= from && d < to) for (let c = 0; c < 3; c += 1) values.push(data[(y * size + x) * 3 + c]!);
          }
        const mean = values.reduce((sum, value) => sum + value, 0) / values.length;
        return Math.sqrt(values.reduce((sum, value) => sum + (value - mean) ** 2, 0) / values.length);
      });
      for (let k = 1; k < spread.length; k += 1)
        assert.ok(spread[k]! < spread[k - 1]!, `the noise's spread by distance band: ${spread.map((v) => v.toFixed(2)).join(' > ')}`);
      for (let i = 0; i < size * size; i += 1)
        if (Math.hypot((i % size) - 200, Math.floor(i / size) - 200) < 57) assert.ok(Math.abs(data[i * 3]! - noise[i * 3]!) <= 1, 'subject unchanged');
    });

  test('DEPTH_OF_FIELD with a DISC lens turns a bright point into a flat disc that blooms with highlights; GAUSSIAN into a bell', async () => {
    // A bright dot far from the subject (beyond the falloff: the strongest blur) on a dark photo.
    const [width, height, cx, cy] = [800, 400, 560, 200];
    const dark = Buffer.alloc(width * height * 3, 20);
    for (let y = cy - 3; y <= cy + 3; y += 1) for (let x = cx - 3; x <= cx + 3; x += 1) dark.fill(255, (y * width + x) * 3, (y * width + x) * 3 + 3);
    const photo = await sharp(dark, { raw: { width, height, channels: 3 } })
      .png()
      .toBuffer();
    const square = Buffer.alloc(width * height);
    for (let y = 150; y < 250; y += 1) square.fill(255, y * width + 40, y * width + 90);
    const mask = await sharp(square, { raw: { width, height, channels: 1 } })
      .toColourspace('b-w')
      .png()
      .toBuffer();
    // strength 0.5: σ = 0.5 × 4 % × 800 = 16 px; the disc's radius is 2σ = 32 px.
    const profile = async (lens: 'DISC' | 'GAUSSIAN', highlights: number) => {
      const { effect, output } = parseEffectSpec({ depthOfField: { strength: 0.5, falloffPx: 40, lens, highlights } }, { format: 'PNG' });
      const { data } = await raw((await renderEffect(effect, output, photo, mask, width, height)).bytes, 3);
      return (d: number) => data[(cy * width + cx + d) * 3]! - 20;
    };
    const disc = await profile('DISC', 0);
    assert.ok(
      disc(0) > 0 && Math.abs(disc(20) - disc(0)) <= Math.max(2, 0.2 * disc(0)),
      `flat inside the disc: ${disc(0)} at the centre, ${disc(20)} at 20 px`,
    );
    assert.ok(disc(40) <= 1, `nothing beyond the rim: ${disc(40)} at 40 px`);
    const bloom = await profile('DISC', 1);
    assert.ok(bloom(10) >= disc(10) + 4, `highlights bloom: ${bloom(10)} vs ${disc(10)}`);
    const bell = await profile('GAUSSIAN', 0);
    assert.ok(bell(20) < 0.6 * bell(0), `a Gaussian falls off: ${bell(0)} at the centre, ${bell(20)} at 20 px`);
  });

  // 16 px at 512 px wide: distances at full resolution, edge within 1 px; 48 px at full size:
  // distances at half size, enlarged, edge within 2.5 px.
  for (const [widthPx, maxWidth, slack] of [
    [16, 512, 1],
    [48, undefined, 2.5],
  ] as const) {
    test(`OUTLINE draws a solid stroke of ${widthPx} px around the subject on transparency (${maxWidth ?? 'full'} wide)`, async () => {
      const { data, info } = await raw((await render({ outline: { widthPx, color: '#ffcc00' } }, maxWidth ? { maxWidth } : {})).bytes, 4);
      const { mask } = await inputsAt(info.width, info.height);
      const { nearestForeground } = await import('../../../src/metrics/nearest-foreground.js');
      const distance = nearestForeground(
        Uint8Array.from(mask, (v) => (v >= 128 ? 1 : 0)),
        info.width,
        info.height,
      ).distance;
      const width = widthPx * (info.width / W);
      let stroke = 0;
      for (let i = 0; i < mask.length; i += 1) {
        if (mask[i] === 0 && distance[i]! > 0.5 && distance[i]! <= width - slack) {
          assert.deepEqual([data[i * 4], data[i * 4 + 1], data[i * 4 + 2], data[i * 4 + 3]], [0xff, 0xcc, 0x00, 255], `stroke at distance ${distance[i]}`);
          stroke += 1;
        }
        if (distance[i]! > width + 0.5 + slack) assert.equal(data[i * 4 + 3], 0, `transparent beyond the stroke, at distance ${distance[i]}`);
        if (mask[i] === 255) assert.equal(data[i * 4 + 3], 255);
      }
      assert.ok(stroke > 500, 'expected: stroke > 500');
    });
  }

  test('BACKGROUND_REPLACE with a gradient runs from color at the top to color2 at the bottom', async () => {
    const { data, info } = await raw(
      (await render({ backgroundReplace: { color: '#000000', gradient: { to: '#ffffff' } } }, { maxWidth: 300, format: 'PNG' })).bytes,
      3,
    );
    const { mask } = await inputsAt(info.width, info.height);
    const at = (x: number, y: number) => (mask[y * info.width + x] === 0 ? data[(y * info.width + x) * 3] : undefined);
    assert.equal(at(0, 0), 0);
    assert.equal(at(0, info.height - 1), 255);
    assert.ok(Math.abs(at(0, Math.floor(info.height / 2))! - 128) <= 2, 'expected: Math.abs(at(0, Math.floor(info.height / 2))! - 128) <= 2');
  });

  test('BACKGROUND_REPLACE casts the drop shadow at its offset, direction and opacity', async () => {
    // A disc subject on a flat photo; a hard shadow (no blur) is the disc moved by the offset.
    const [width, height, cx, cy, r] = [400, 300, 200, 150, 60];
    const photo = await sharp({ create: { width, height, channels: 3, background: '#808080' } })
      .png()
      .toBuffer();
    const inDisc = (x: number, y: number) => Math.hypot(x - cx, y - cy) <= r;
    const disc = Buffer.alloc(width * height);
    for (let i = 0; i < disc.length; i += 1) disc[i] = inDisc(i % width, Math.floor(i / width)) ? 255 : 0;
    const mask = await sharp(disc, { raw: { width, height, channels: 1 } })
      .toColourspace('b-w')
      .png()
      .toBuffer();
    const { effect, output } = parseEffectSpec(
      { backgroundReplace: { color: '#ffffff', shadow: { opacity: 0.6, offsetX: 30, offsetY: 20, blurPx: 0 } } },
      { format: 'PNG' },
    );
    const { data } = await raw((await renderEffect(effect, output, photo, mask, width, height)).bytes, 3);
    let shadowed = 0;
    let lit = 0;
    for (let y = 0; y < height; y += 1)
      for (let x = 0; x < width; x += 1) {
        if (disc[y * width + x]) continue;
        // One pixel of slack at the shadow's rim, where the disc's own edge is rasterised.
        const dr = Math.hypot(x - 30 - cx, y - 20 - cy) - r;
        if (Math.abs(dr) <= 1.5) continue;
        const value = data[(y * width + x) * 3]!;
        if (dr < 0) {
          assert.ok(Math.abs(value - 255 * 0.4) <= 2, `in the shadow at ${x},${y}: ${value}`);
          shadowed += 1;
        } else {
          assert.equal(value, 255, `outside the shadow at ${x},${y}`);
          lit += 1;
        }
      }
    assert.ok(shadowed > 2_000 && lit > 50_000, `${shadowed} shadow, ${lit} lit pixels`);
  });

  test('CUTOUT decontamination recovers the subject colour on semi-transparent edges', async () => {
    // Red subject on the left, blue background on the right, a half-transparent column between.
    const size = 64;
    const pixels = Buffer.alloc(size * size * 3);
    const alpha = Buffer.alloc(size * size);
    for (let y = 0; y < size; y += 1)
      for (let x = 0; x < size; x += 1) {
        const i = y * size + x;
        const a = x < 31 ? 1 : x === 31 ? 0.5 : 0;
        alpha[i] = Math.round(a * 255);
        pixels[i * 3] = Math.round(255 * a);
        pixels[i * 3 + 2] = Math.round(255 * (1 - a));
      }
    const photo = await sharp(pixels, { raw: { width: size, height: size, channels: 3 } })
      .png()
      .toBuffer();
    const mask = await sharp(alpha, { raw: { width: size, height: size, channels: 1 } })
      .toColourspace('b-w')
      .png()
      .toBuffer();
    const cut = async (decontaminate: boolean) => {
      const { effect, output } = parseEffectSpec({ cutout: { decontaminate } });
      return (await raw((await renderEffect(effect, output, photo, mask, size, size)).bytes, 4)).data;
    };
    const edge = (32 * size + 31) * 4;
    const [clean, raw_] = [await cut(true), await cut(false)];
    assert.deepEqual([raw_[edge], raw_[edge + 2]], [128, 128], 'without decontamination the edge is purple');
    assert.ok(clean[edge]! > 240 && clean[edge + 2]! < 15, `decontaminated edge ${clean[edge]},${clean[edge + 1]},${clean[edge + 2]}`);
  });

  for (const format of ['PNG', 'WEBP', 'AVIF', 'JPEG'] as const) {
    test(`${format} decodes at the requested size`, async () => {
      const result = await render({ backgroundBlur: {} }, { format, maxWidth: 256 });
      const meta = await sharp(result.bytes).metadata();
      assert.equal(meta.format, format === 'AVIF' ? 'heif' : format.toLowerCase());
      assert.deepEqual([meta.width, meta.height], [256, 171]);
    });
  }

  test('rounds float parameters to steps, so near-identical requests share one render', () => {
    assert.equal((parseEffectSpec({ backgroundBlur: { strength: 0.504 } }).effect as { strength: number }).strength, 0.5);
    assert.equal((parseEffectSpec({ cutout: { featherPx: 2.3 } }).effect as { featherPx: number }).featherPx, 2.5);
    assert.equal((parseEffectSpec({ maskOverlay: { opacity: 0.456 } }).effect as { opacity: number }).opacity, 0.46);
    assert.deepEqual(parseEffectSpec({ backgroundBlur: { strength: 0.3004 } }), parseEffectSpec({ backgroundBlur: { strength: 0.3 } }));
  });

  test(`caps the blur at σ ${MAX_BLUR_SIGMA} however large the image`, async () => {
    // Strength 1 on a 6000 px wide image asks for σ 180; the step's rise shows the cap.
    const [width, height] = [6000, 60];
    const step = Buffer.alloc(width * height * 3);
    for (let i = 0; i < width * height; i += 1) if (i % width >= 3000) step.fill(255, i * 3, i * 3 + 3);
    const photo = await sharp(step, { raw: { width, height, channels: 3 } })
      .png()
      .toBuffer();
    const corner = Buffer.alloc(width * height);
    for (let y = 0; y < 10; y += 1) corner.fill(255, y * width, y * width + 10);
    const mask = await sharp(corner, { raw: { width, height, channels: 1 } })
      .toColourspace('b-w')
      .png()
      .toBuffer();
    const { effect, output } = parseEffectSpec({ backgroundBlur: { strength: 1 } }, { format: 'PNG' });
    const { data } = await raw((await renderEffect(effect, output, photo, mask, width, height)).bytes, 3);
    const row = 40 * width;
    const crossing = (level: number) => {
      for (let x = 2000; x < 4000; x += 1)
        if (data[(row + x) * 3]! < level && data[(row + x + 1) * 3]! >= level)
          return x + (level - data[(row + x) * 3]!) / (data[(row + x + 1) * 3]! - data[(row + x) * 3]!);
      return Number.NaN;
    };
    const measured = (crossing(0.9 * 255) - crossing(0.1 * 255)) / 2.563;
    assert.ok(Math.abs(measured - MAX_BLUR_SIGMA) <= 0.15 * MAX_BLUR_SIGMA, `σ ${measured.toFixed(1)}, expected the cap ${MAX_BLUR_SIGMA} (uncapped: 180)`);
  });

  test('refuses inconsistent or out-of-range parameters, naming the field', () => {
    const fails = (input: EffectInput, output: OutputInput, field: string) =>
      assert.throws(
        () => parseEffectSpec(input, output),
        (error: unknown) => error instanceof AppError && error.code === 'BAD_USER_INPUT' && error.details?.field === field,
      );
    fails({ cutout: {} }, { format: 'JPEG' }, 'output.format');
    fails({ backgroundBlur: { strength: 3 } }, {}, 'effect.backgroundBlur.strength');
    fails({ backgroundReplace: { color: 'blue' } }, {}, 'effect.backgroundReplace.color');
    fails({ backgroundReplace: { shadow: { offsetX: 900 } } }, {}, 'effect.backgroundReplace.shadow.offsetX');
    fails({ mask: {} }, { maxWidth: 4 }, 'output.maxWidth');
    fails({ mask: { threshold: 1.5 } }, {}, 'effect.mask.threshold');
    fails({ outline: {} }, { format: 'JPEG' }, 'output.format');
    fails({ depthOfField: { falloffPx: 0 } }, {}, 'effect.depthOfField.falloffPx');
    // Outside GraphQL (whose @oneOf validation comes first) the same rule holds.
    fails({ mask: {}, cutout: {} }, {}, 'effect.');
    fails({}, {}, 'effect.');
  });
});
