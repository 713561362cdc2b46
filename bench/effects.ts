/**
 * Effect renders against an honest floor per kind, in one run.
 * 1. Previews through GraphQL (issue 25): each kind's uncached 512 px preview of the 16 MP
 *    fixture, asked through the API, against decoding the original and shrinking it to 512 px
 *    once (the floor of any path that touches the original); with preview proxies (the
 *    default) and without (PROXY_MAX_SIDE=0, a second gateway in the same run).
 * 2. For each effect at preview size (512 px) and full size, the renderer alone against the
 *    least libvips work that kind needs at that size (see FLOORS), and a cached answer through
 *    GraphQL against the same connection's trivial query (like with like: the cache's overhead).
 *   node --import tsx bench/effects.ts [runs [KIND… | PREVIEWS]]
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { ApiKeyService } from '../src/auth/api-keys.js';
import { loadConfig } from '../src/config/config.js';
import { MAX_BLUR_SIGMA, renderEffect } from '../src/effects/render.js';
import { shrinkFor } from '../src/effects/steps/blur.js';
import { parseEffectSpec, type EffectInput } from '../src/effects/spec.js';
import { createLogger } from '../src/lib/logger.js';
import { startGateway } from '../src/main.js';
import { OwnerRepository } from '../src/storage/repositories/owner.repository.js';
import { Client, fixturePath } from '../test/helpers/client.js';
import { timeMedian, untilIdle } from './timing.js';

const RUNS = Number(process.argv[2] ?? 5);
/** Kinds to measure (all without). */
const ONLY = process.argv.slice(3);
const time = (run: () => Promise<unknown> | unknown) => timeMedian(RUNS, run);

interface Case {
  name: string;
  effect: EffectInput;
  format: 'PNG' | 'JPEG';
}

const KINDS: Case[] = [
  { name: 'MASK', effect: { mask: {} }, format: 'PNG' },
  { name: 'CUTOUT', effect: { cutout: {} }, format: 'PNG' },
  { name: 'BACKGROUND_BLUR', effect: { backgroundBlur: { strength: 0.5 } }, format: 'JPEG' },
  { name: 'DEPTH_OF_FIELD', effect: { depthOfField: { strength: 0.5 } }, format: 'JPEG' },
  { name: 'DEPTH_OF_FIELD gauss', effect: { depthOfField: { strength: 0.5, lens: 'GAUSSIAN' } }, format: 'JPEG' },
  { name: 'COLOR_SPLASH', effect: { colorSplash: {} }, format: 'JPEG' },
  { name: 'BACKGROUND_REPLACE', effect: { backgroundReplace: { color: '#1e90ff' } }, format: 'JPEG' },
  { name: 'OUTLINE', effect: { outline: { widthPx: 12 } }, format: 'PNG' },
  { name: 'MASK_OVERLAY', effect: { maskOverlay: {} }, format: 'JPEG' },
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
  const subject = await sharp(rgb, raw)
    .joinChannel(alpha, { raw: { width, height, channels: 1 } })
    .raw()
    .toBuffer();
  return { rgb, alpha, raw, subject, rgba: { raw: { width, height, channels: 4 as const } } };
}

/** A blur of σ at reduced size, as the product does it (unweighted: the floor skips the halo work). */
function reducedBlur(rgb: Buffer, width: number, height: number, sigma: number): Promise<Buffer> {
  const shrink = shrinkFor(sigma);
  if (shrink === 1)
    return sharp(rgb, { raw: { width, height, channels: 3 } })
      .blur(Math.max(0.3, sigma))
      .raw()
      .toBuffer();
  return sharp(rgb, { raw: { width, height, channels: 3 } })
    .resize(Math.round(width / shrink), Math.round(height / shrink), { fit: 'fill' })
    .blur(sigma / shrink)
    .raw()
    .toBuffer({ resolveWithObject: true })
    .then(({ data, info }) =>
      sharp(data, { raw: { width: info.width, height: info.height, channels: 3 } })
        .resize(width, height, { fit: 'fill', kernel: 'cubic' })
        .raw()
        .toBuffer(),
    );
}

/**
 * The minimum libvips work of each kind at one size, written down: decode at size, the blurs
 * the kind needs (at the σ the product uses, at the reduced size the product blurs at), one
 * composite, encode to the same format. What the floor leaves out is what the product adds:
 * weighting (no halo), decontamination's foreground estimate, distance ramps, blur levels.
 */
const FLOORS: Record<string, (inputs: FloorInputs) => Promise<unknown>> = {
  // Decode and scale the mask, encode it: no photo at all.
  MASK: ({ mask, width, height }) => sharp(mask).resize(width, height, { fit: 'fill', kernel: 'linear' }).toColourspace('b-w').png(PNG).toBuffer(),
  // Photo + mask as alpha, encoded (decontamination's foreground estimate is what the product adds).
  CUTOUT: async (inputs) => {
    const { subject, rgba } = await layersAt(inputs);
    return sharp(subject, rgba).png(PNG).toBuffer();
  },
  // One blur at the product's σ (strength × 3 % of the longer side), the subject over it.
  BACKGROUND_BLUR: async (inputs) => {
    const { rgb, raw, subject, rgba } = await layersAt(inputs);
    const background = await reducedBlur(rgb, inputs.width, inputs.height, Math.min(MAX_BLUR_SIGMA, 0.5 * 0.03 * Math.max(inputs.width, inputs.height)));
    return sharp(background, raw)
      .composite([{ input: subject, ...rgba }])
      .jpeg(JPEG)
      .toBuffer();
  },
  // One blur at the largest σ depth of field reaches (strength × 4 %), the subject over it.
  DEPTH_OF_FIELD: async (inputs) => {
    const { rgb, raw, subject, rgba } = await layersAt(inputs);
    const background = await reducedBlur(rgb, inputs.width, inputs.height, Math.min(MAX_BLUR_SIGMA, 0.5 * 0.04 * Math.max(inputs.width, inputs.height)));
    return sharp(background, raw)
      .composite([{ input: subject, ...rgba }])
      .jpeg(JPEG)
      .toBuffer();
  },
  // A grey copy (one recomb), the subject over it.
  COLOR_SPLASH: async (inputs) => {
    const { rgb, raw, subject, rgba } = await layersAt(inputs);
    const luma: [number, number, number] = [0.299, 0.587, 0.114];
    return sharp(rgb, raw)
      .recomb([luma, luma, luma])
      .composite([{ input: subject, ...rgba }])
      .jpeg(JPEG)
      .toBuffer();
  },
  // A flat colour, the subject over it.
  BACKGROUND_REPLACE: async (inputs) => {
    const { subject, rgba } = await layersAt(inputs);
    return sharp({ create: { width: inputs.width, height: inputs.height, channels: 3, background: '#1e90ff' } })
      .composite([{ input: subject, ...rgba }])
      .jpeg(JPEG)
      .toBuffer();
  },
  // The mask dilated by the stroke width (one blur + threshold of one channel), the subject over the stroke.
  OUTLINE: async (inputs) => {
    const { alpha, subject, rgba } = await layersAt(inputs);
    const stroke = await sharp(alpha, { raw: { width: inputs.width, height: inputs.height, channels: 1 } })
      .blur(Math.max(0.3, (12 * inputs.scale) / 2))
      .threshold(1)
      .toColourspace('b-w')
      .raw()
      .toBuffer();
    const white = await sharp({ create: { width: inputs.width, height: inputs.height, channels: 3, background: '#ffffff' } })
      .joinChannel(stroke, { raw: { width: inputs.width, height: inputs.height, channels: 1 } })
      .raw()
      .toBuffer();
    return sharp(white, rgba)
      .composite([{ input: subject, ...rgba }])
      .png(PNG)
      .toBuffer();
  },
  // A tint layer with the mask (× opacity) as alpha over the photo.
  MASK_OVERLAY: async (inputs) => {
    const { rgb, raw, alpha } = await layersAt(inputs);
    const tintAlpha = await sharp(alpha, { raw: { width: inputs.width, height: inputs.height, channels: 1 } })
      .linear(0.45, 0)
      .toColourspace('b-w')
      .raw()
      .toBuffer();
    const tint = await sharp({ create: { width: inputs.width, height: inputs.height, channels: 3, background: '#ff2d55' } })
      .joinChannel(tintAlpha, { raw: { width: inputs.width, height: inputs.height, channels: 1 } })
      .raw()
      .toBuffer();
    return sharp(rgb, raw)
      .composite([{ input: tint, raw: { width: inputs.width, height: inputs.height, channels: 4 } }])
      .jpeg(JPEG)
      .toBuffer();
  },
};
FLOORS['DEPTH_OF_FIELD gauss'] = FLOORS.DEPTH_OF_FIELD!;

const photo = await readFile(fixturePath('dandelion-large.jpg'));
const { width, height } = await sharp(photo).metadata();
const EFFECT_QUERY = `query($id: ID!, $input: EffectInput!, $output: OutputInput) { segmentation(id: $id) { effect(input: $input, output: $output) { url cacheStatus } } }`;

/**
 * A gateway of its own (env on top of the bench's), as deployed (WARM_UP: the default model
 * loaded and the render threads warmed up before /readyz answers), an owner, the 16 MP photo
 * uploaded and segmented.
 */
async function openGateway(env: Record<string, string>) {
  const dir = await mkdtemp(join(tmpdir(), 'maskgraph-bench-'));
  const gateway = await startGateway(
    loadConfig({ DATA_DIR: join(dir, 'data'), PORT: '0', LOG_LEVEL: 'error', WARM_UP: 'true', ...env }),
    createLogger('error'),
  );
  while (!(await fetch(`${gateway.url}/readyz`)).ok) await new Promise((resolve) => setTimeout(resolve, 100));
  const owners = new OwnerRepository(gateway.database.prisma);
  const owner = await owners.createOwner('bench');
  const client = new Client(gateway.url, (await new ApiKeyService(owners).createKey(owner.id, 'bench')).secret);
  const assetId = (await client.upload(photo, { filename: 'dandelion.jpg', selection: 'id' })).data!.uploadAsset.id;
  const segmentation = await client.query(
    `mutation($id: ID!) { segmentAsset(input: { assetId: $id, wait: true, waitTimeoutMs: 120000 }) { id mask { url } } }`,
    { id: assetId },
  );
  const mask = Buffer.from(await (await fetch(segmentation.data.segmentAsset.mask.url)).arrayBuffer());
  return {
    gateway,
    client,
    segmentationId: segmentation.data.segmentAsset.id as string,
    mask,
    close: async () => {
      await gateway.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/**
 * Each kind's uncached 512 px preview through GraphQL, with and without proxies, against the
 * floor of decoding the original and shrinking it to 512 px, on idle gateways. Each ask names a new output
 * quality (part of the cache key; PNG ignores it), so the cache never answers; the first ask
 * of each kind is the warm-up (the very first also makes the mask's proxy).
 */
async function previews(): Promise<void> {
  const floorMs = await time(() => sharp(photo).resize(512).raw().toBuffer());
  const withProxies = await openGateway({});
  const without = await openGateway({ PROXY_MAX_SIDE: '0' });
  // Both gateways' work after their segmentation (proxies, review priority) is done first.
  await untilIdle();
  try {
    console.log(
      `${width}×${height} photo, median of ${RUNS}; uncached 512 px previews through GraphQL against decoding the original to 512 px once (${floorMs.toFixed(0)} ms)`,
    );
    console.log('effect                with proxies ms  ratio   originals ms  ratio');
    const asks = new Map<EffectInput, number>();
    const ask = async (opened: Awaited<ReturnType<typeof openGateway>>, input: EffectInput, format: 'PNG' | 'JPEG') => {
      // A new output quality each time (60, 61, … per kind): a new cache key, near the default 82.
      const quality = 60 + (asks.get(input) ?? 0);
      asks.set(input, quality - 59);
      const answer = await opened.client.query(EFFECT_QUERY, { id: opened.segmentationId, input, output: { format, maxWidth: 512, quality } });
      if (answer.data?.segmentation?.effect?.cacheStatus !== 'MISS') throw new Error(`expected an uncached render: ${JSON.stringify(answer)}`);
    };
    for (const { name, effect: input, format } of KINDS.filter((kind) => ONLY.length === 0 || ONLY.includes(kind.name) || ONLY.includes('PREVIEWS'))) {
      const proxyMs = await time(() => ask(withProxies, input, format));
      const originalMs = await time(() => ask(without, input, format));
      console.log(
        `${name.padEnd(21)} ${proxyMs.toFixed(0).padStart(15)} ${(proxyMs / floorMs).toFixed(2).padStart(6)} ${originalMs.toFixed(0).padStart(14)} ${(originalMs / floorMs).toFixed(2).padStart(6)}`,
      );
    }
  } finally {
    await withProxies.close();
    await without.close();
  }
}

await previews();
if (ONLY.includes('PREVIEWS')) process.exit(0);

const { client, segmentationId, mask, close } = await openGateway({});
await untilIdle();
try {
  console.log(`${width}×${height} photo, median of ${RUNS}; floor = the least libvips work of each kind (bench/effects.ts FLOORS)`);
  console.log('effect                size     render ms  floor ms  ratio   cached effect query ms  trivial query ms  ratio');
  const trivialMs = await time(() => client.query('{ viewer { id } }'));
  for (const { name, effect: input, format } of KINDS.filter((kind) => ONLY.length === 0 || ONLY.includes(kind.name))) {
    for (const maxWidth of [512, undefined]) {
      const { effect, output } = parseEffectSpec(input, { format, ...(maxWidth ? { maxWidth } : {}) });
      const target = maxWidth ? { width: 512, height: Math.round((512 * height) / width) } : { width, height };
      const renderMs = await time(() => renderEffect(effect, output, photo, mask, width, height));
      const floorMs = await time(() => FLOORS[name]!({ photo, mask, ...target, scale: target.width / width }));
      const variables = { id: segmentationId, input, output: { format, ...(maxWidth ? { maxWidth } : {}) } };
      await client.query(EFFECT_QUERY, variables);
      const cachedMs = await time(() => client.query(EFFECT_QUERY, variables));
      console.log(
        `${name.padEnd(21)} ${(maxWidth ? '512' : 'full').padEnd(6)} ${renderMs.toFixed(0).padStart(10)} ${floorMs.toFixed(0).padStart(9)} ${(renderMs / floorMs).toFixed(2).padStart(6)} ${cachedMs.toFixed(1).padStart(24)} ${trivialMs.toFixed(1).padStart(17)} ${(cachedMs / trivialMs).toFixed(2).padStart(6)}`,
      );
    }
  }
} finally {
  await close();
}
