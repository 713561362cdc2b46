import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { describe, test } from 'node:test';
import sharp from 'sharp';
import { makeThumbnail, probeImage } from '../../../src/assets/image.js';
import { AppError } from '../../../src/errors.js';
import { FIXTURES, fixturePath } from '../../helpers/client.js';

const LIMITS = { maxInputPixels: 100_000_000, imageFailOn: 'warning' as const };
const manifest = JSON.parse(await readFile(`${FIXTURES}/images/manifest.json`, 'utf8')) as {
  file: string;
  format: string;
  displayWidth: number;
  displayHeight: number;
  exifOrientation: number | null;
  hasAlpha: boolean;
}[];

describe('probeImage', () => {
  for (const entry of manifest) {
    test(`reads ${entry.file}: ${entry.format}, ${entry.displayWidth}×${entry.displayHeight} as displayed`, async () => {
      const probe = await probeImage(fixturePath(entry.file), LIMITS.maxInputPixels);
      assert.deepEqual(probe, {
        mimeType: `image/${entry.format}`,
        width: entry.displayWidth,
        height: entry.displayHeight,
        orientation: entry.exifOrientation ?? 1,
      });
    });
  }

  test('refuses an image over the pixel limit with PAYLOAD_TOO_LARGE, reading only the header', async () => {
    await assert.rejects(
      probeImage(fixturePath('dandelion-large.jpg'), 10_000_000),
      (error: unknown) => error instanceof AppError && error.code === 'PAYLOAD_TOO_LARGE' && /5312×2988/.test(error.message),
    );
  });

  test('recognises AVIF, WebP, TIFF and GIF by their bytes', async () => {
    const source = sharp(fixturePath('flower.jpg')).resize(64);
    const cases = [
      ['image/avif', await source.clone().avif().toBuffer()],
      ['image/webp', await source.clone().webp().toBuffer()],
      ['image/tiff', await source.clone().tiff().toBuffer()],
      ['image/gif', await source.clone().gif().toBuffer()],
    ] as const;
    const { writeFile, mkdtemp } = await import('node:fs/promises');
    const { tmpdir } = await import('node:os');
    const dir = await mkdtemp(`${tmpdir()}/probe-`);
    for (const [mimeType, bytes] of cases) {
      const path = `${dir}/${mimeType.replace('/', '-')}.bin`;
      await writeFile(path, bytes);
      assert.equal((await probeImage(path, LIMITS.maxInputPixels)).mimeType, mimeType);
      await makeThumbnail(path, 64, LIMITS);
    }
  });
});

describe('makeThumbnail', () => {
  test('orients by EXIF: the rotated file gives the same upright picture as the original', async () => {
    const rotated = await makeThumbnail(fixturePath('dogs-portrait-exif6.jpg'), 256, LIMITS);
    const upright = await makeThumbnail(fixturePath('dogs-portrait.jpg'), 256, LIMITS);
    assert.deepEqual([rotated.width, rotated.height], [170, 256]);
    assert.equal(upright.height, 256);
    const pixels = async (bytes: Buffer) => sharp(bytes).resize(32, 48, { fit: 'fill' }).greyscale().raw().toBuffer();
    const [a, b] = await Promise.all([pixels(rotated.bytes), pixels(upright.bytes)]);
    const meanDifference = a.reduce((sum, value, index) => sum + Math.abs(value - b[index]!), 0) / a.length;
    assert.ok(meanDifference < 8, `mean difference ${meanDifference}`);
  });

  test('keeps alpha and never upscales', async () => {
    const thumbnail = await makeThumbnail(fixturePath('bear-alpha.png'), 1024, LIMITS);
    const meta = await sharp(thumbnail.bytes).metadata();
    assert.equal(meta.hasAlpha, true);
    assert.deepEqual([meta.width, meta.height], [346, 294]);
  });
});
