/**
 * Effect renders against their floor, in one run: for each effect at preview size (512 px)
 * and full size of the largest fixture photo, the uncached render (decode, compose, encode)
 * against the bare sharp work it needs (decode at that size + one blur + encode), and a
 * cached hit through GraphQL against a plain file GET of the same rendition.
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

  console.log(`${width}×${height} photo, median of ${RUNS}; floor = decode at size + one blur (σ 10) + encode`);
  console.log('effect                size     render ms  floor ms  ratio   cached GraphQL ms  file GET ms  ratio');
  for (const input of KINDS) {
    for (const maxWidth of [512, undefined]) {
      const { effect, output } = parseEffectSpec({ ...input, ...(maxWidth ? { maxWidth } : {}) });
      const target = maxWidth ? { w: 512, h: Math.round((512 * height) / width) } : { w: width, h: height };
      const renderMs = await time(() => renderEffect(effect, output, photo, mask, width, height));
      const floorMs = await time(async () => {
        const decoded = sharp(photo).resize(target.w, target.h, { fit: 'fill' }).blur(10);
        await (output.format === 'png' ? decoded.png({ compressionLevel: 4, adaptiveFiltering: false }) : decoded.jpeg({ quality: 82 })).toBuffer();
      });
      const query = `query($id: ID!, $input: EffectInput!) { segmentation(id: $id) { effect(input: $input) { url cacheStatus } } }`;
      const variables = { id: segmentation.data.segmentAsset.id, input: { ...input, ...(maxWidth ? { maxWidth } : {}) } };
      const url = (await client.query(query, variables)).data.segmentation.effect.url as string;
      const cachedMs = await time(() => client.query(query, variables));
      const getMs = await time(async () => (await fetch(url)).arrayBuffer());
      console.log(
        `${input.kind.padEnd(21)} ${(maxWidth ? '512' : 'full').padEnd(6)} ${renderMs.toFixed(0).padStart(10)} ${floorMs.toFixed(0).padStart(9)} ${(renderMs / floorMs).toFixed(2).padStart(6)} ${cachedMs.toFixed(1).padStart(19)} ${getMs.toFixed(1).padStart(12)} ${(cachedMs / getMs).toFixed(2).padStart(6)}`,
      );
    }
  }
} finally {
  await gateway.close();
  await rm(dir, { recursive: true, force: true });
}
