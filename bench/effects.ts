/**
 * Effect renders against an honest floor per kind, in one run: for each effect at preview
 * size (512 px) and full size of the largest fixture photo, the uncached render against the
 * least libvips work that kind needs at that size (see FLOORS), and a cached answer through
 * GraphQL against the same connection's trivial query (like with like: the cache's overhead).
 *   node --import tsx bench/effects.ts [runs]
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { ApiKeyService } from '../src/auth/api-keys.js';
import { loadConfig } from '../src/config/config.js';
import { renderEffect } from '../src/effects/render.js';
import { parseEffectSpec, type EffectInput } from '../src/effects/spec.js';
import { createLogger } from '../src/lib/logger.js';
import { startGateway } from '../src/main.js';
import { OwnerRepository } from '../src/storage/repositories/owner.repository.js';
import { Client, fixturePath } from '../test/helpers/client.js';
import { timeMedian } from './timing.js';

const RUNS = Number(process.argv[2] ?? 3);
const time = (run: () => Promise<unknown> | unknown) => timeMedian(RUNS, run);

const KINDS: EffectInput[] = [
  { kind: 'MASK', format: 'PNG' },
  { kind: 'CUTOUT', format: 'PNG' },
  { kind: 'BACKGROUND_BLUR', strength: 0.5, format: 'JPEG' },
  { kind: 'DEPTH_OF_FIELD', strength: 0.5, format: 'JPEG' },
  { kind: 'COLOR_SPLASH', format: 'JPEG' },
  { kind: 'BACKGROUND_REPLACE', color: '#1e90ff', format: 'JPEG' },
  { kind: 'OUTLINE', widthPx: 12, format: 'PNG' },
  { kind: 'MASK_OVERLAY', format: 'JPEG' },
];

const JPEG = { quality: 82 };
const PNG = { compressionLevel: 4, adaptiveFiltering: false };

interface FloorInputs {
  photo: Buffer;
  mask: Buffer;
  width: number;
  height: number;
  /** Output width / photo width: pixel parameters scale with it, as in the renderer. */
  scale: number;
}

/** The layers every floor starts from: the photo decoded at size (shrink-on-load) and the mask at size. */
async function layersAt({ photo, mask, width, height }: FloorInputs) {
  const [rgb, alpha] = await Promise.all([
    sharp(photo).resize(width, height, { fit: 'fill' }).removeAlpha().raw().toBuffer(),
    sharp(mask).resize(width, height, { fit: 'fill', kernel: 'linear' }).toColourspace('b-w').raw().toBuffer(),
  ]);
  const raw = { raw: { width, height, channels: 3 as const } };
  const subject = await sharp(rgb, raw).joinChannel(alpha, { raw: { width, height, channels: 1 } }).raw().toBuffer();
  return { rgb, alpha, raw, subject, rgba: { raw: { width, height, channels: 4 as const } } };
}

/**
 * The minimum libvips work of each kind at one size, written down: decode at size, the blurs
 * the kind needs (at the σ the product uses), one composite, encode to the same format.
 */
const FLOORS: Record<EffectInput['kind'], (inputs: FloorInputs, input: EffectInput) => Promise<unknown>> = {
  // Decode and scale the mask, encode it: no photo at all.
  MASK: ({ mask, width, height }) => sharp(mask).resize(width, height, { fit: 'fill', kernel: 'linear' }).toColourspace('b-w').png(PNG).toBuffer(),
  // Photo + mask as alpha, encoded.
  CUTOUT: async (inputs) => {
    const { subject, rgba } = await layersAt(inputs);
    return sharp(subject, rgba).png(PNG).toBuffer();
  },
  // One blur at the product's σ (strength × 3 % of the longer side), the subject over it.
  BACKGROUND_BLUR: async (inputs, input) => {
    const { rgb, raw, subject, rgba } = await layersAt(inputs);
    const sigma = (input.strength ?? 0.5) * 0.03 * Math.max(inputs.width, inputs.height);
    return sharp(rgb, raw).blur(sigma).composite([{ input: subject, ...rgba }]).jpeg(JPEG).toBuffer();
  },
  // One blur at the largest σ depth of field reaches (strength × 4 %), the subject over it.
  DEPTH_OF_FIELD: async (inputs, input) => {
    const { rgb, raw, subject, rgba } = await layersAt(inputs);
    const sigma = (input.strength ?? 0.5) * 0.04 * Math.max(inputs.width, inputs.height);
    return sharp(rgb, raw).blur(sigma).composite([{ input: subject, ...rgba }]).jpeg(JPEG).toBuffer();
  },
  // A grey copy (one recomb), the subject over it.
  COLOR_SPLASH: async (inputs) => {
    const { rgb, raw, subject, rgba } = await layersAt(inputs);
    const luma: [number, number, number] = [0.299, 0.587, 0.114];
    return sharp(rgb, raw).recomb([luma, luma, luma]).composite([{ input: subject, ...rgba }]).jpeg(JPEG).toBuffer();
  },
  // A flat colour, the subject over it.
  BACKGROUND_REPLACE: async (inputs, input) => {
    const { subject, rgba } = await layersAt(inputs);
    return sharp({ create: { width: inputs.width, height: inputs.height, channels: 3, background: input.color ?? '#ffffff' } }).composite([{ input: subject, ...rgba }]).jpeg(JPEG).toBuffer();
  },
  // The mask dilated by the stroke width (one blur + threshold of one channel), the subject over the stroke.
  OUTLINE: async (inputs, input) => {
    const { alpha, subject, rgba } = await layersAt(inputs);
    const stroke = await sharp(alpha, { raw: { width: inputs.width, height: inputs.height, channels: 1 } }).blur(Math.max(0.3, ((input.widthPx ?? 12) * inputs.scale) / 2)).threshold(1).raw().toBuffer();
    const white = await sharp({ create: { width: inputs.width, height: inputs.height, channels: 3, background: '#ffffff' } }).joinChannel(stroke, { raw: { width: inputs.width, height: inputs.height, channels: 1 } }).raw().toBuffer();
    return sharp(white, rgba).composite([{ input: subject, ...rgba }]).png(PNG).toBuffer();
  },
  // A tint layer with the mask (× opacity) as alpha over the photo.
  MASK_OVERLAY: async (inputs) => {
    const { rgb, raw, alpha } = await layersAt(inputs);
    const tintAlpha = await sharp(alpha, { raw: { width: inputs.width, height: inputs.height, channels: 1 } }).linear(0.45, 0).raw().toBuffer();
    const tint = await sharp({ create: { width: inputs.width, height: inputs.height, channels: 3, background: '#ff2d55' } }).joinChannel(tintAlpha, { raw: { width: inputs.width, height: inputs.height, channels: 1 } }).raw().toBuffer();
    return sharp(rgb, raw).composite([{ input: tint, raw: { width: inputs.width, height: inputs.height, channels: 4 } }]).jpeg(JPEG).toBuffer();
  },
};

const dir = await mkdtemp(join(tmpdir(), 'maskgraph-bench-'));
const gateway = await startGateway(loadConfig({ DATA_DIR: join(dir, 'data'), PORT: '0', LOG_LEVEL: 'error', WARM_UP: 'false' }), createLogger('error'));
try {
  const photo = await readFile(fixturePath('dandelion-large.jpg'));
  const { width, height } = await sharp(photo).metadata();
  const owners = new OwnerRepository(gateway.database.prisma);
  const owner = await owners.createOwner('bench');
  const client = new Client(gateway.url, (await new ApiKeyService(owners).createKey(owner.id, 'bench')).secret);
  const assetId = (await client.upload(photo, { filename: 'dandelion.jpg', selection: 'id' })).data!.uploadAsset.id;
  const segmentation = await client.query(`mutation($id: ID!) { segmentAsset(input: { assetId: $id, wait: true, waitTimeoutMs: 120000 }) { id mask { url } } }`, { id: assetId });
  const mask = Buffer.from(await (await fetch(segmentation.data.segmentAsset.mask.url)).arrayBuffer());

  console.log(`${width}×${height} photo, median of ${RUNS}; floor = the least libvips work of each kind (bench/effects.ts FLOORS)`);
  console.log('effect                size     render ms  floor ms  ratio   cached effect query ms  trivial query ms  ratio');
  const trivialMs = await time(() => client.query('{ viewer { id } }'));
  for (const input of KINDS) {
    for (const maxWidth of [512, undefined]) {
      const { effect, output } = parseEffectSpec({ ...input, ...(maxWidth ? { maxWidth } : {}) });
      const target = maxWidth ? { width: 512, height: Math.round((512 * height) / width) } : { width, height };
      const renderMs = await time(() => renderEffect(effect, output, photo, mask, width, height));
      const floorMs = await time(() => FLOORS[input.kind]({ photo, mask, ...target, scale: target.width / width }, input));
      const query = `query($id: ID!, $input: EffectInput!) { segmentation(id: $id) { effect(input: $input) { url cacheStatus } } }`;
      const variables = { id: segmentation.data.segmentAsset.id, input: { ...input, ...(maxWidth ? { maxWidth } : {}) } };
      await client.query(query, variables);
      const cachedMs = await time(() => client.query(query, variables));
      console.log(
        `${input.kind.padEnd(21)} ${(maxWidth ? '512' : 'full').padEnd(6)} ${renderMs.toFixed(0).padStart(10)} ${floorMs.toFixed(0).padStart(9)} ${(renderMs / floorMs).toFixed(2).padStart(6)} ${cachedMs.toFixed(1).padStart(24)} ${trivialMs.toFixed(1).padStart(17)} ${(cachedMs / trivialMs).toFixed(2).padStart(6)}`,
      );
    }
  }
} finally {
  await gateway.close();
  await rm(dir, { recursive: true, force: true });
}
