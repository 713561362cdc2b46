/**
 * Upload cost against its floor, measured in one run on one machine:
 *   floor      sharp alone decoding a 12-megapixel JPEG and making the 256 px WebP thumbnail
 *              (the image work an upload cannot avoid)
 *   end-to-end a multipart `uploadAsset` over HTTP to a running gateway (PGlite, local disk):
 *              receive + hash + fsync, header probe, the same thumbnail, blob store, row insert
 * Prints medians and the ratio. Run: `npm run bench` (or `node --import tsx bench/upload.ts [runs]`).
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { loadConfig } from '../src/config/config.js';
import { ApiKeyService } from '../src/auth/api-keys.js';
import { createLogger } from '../src/lib/logger.js';
import { startGateway } from '../src/main.js';
import { OwnerRepository } from '../src/storage/repositories/owner.repository.js';
import { Client, fixturePath } from '../test/helpers/client.js';
import { timeMedian } from './timing.js';

const RUNS = Number(process.argv[2] ?? 15);

const time = (run: () => Promise<unknown>) => timeMedian(RUNS, run);

const dir = await mkdtemp(join(tmpdir(), 'maskgraph-bench-'));
try {
  // 12-megapixel camera-like JPEGs made from the largest fixture photograph, each with
  // different bytes (quality 85–94) so every upload stores a new blob rather than reusing one.
  const decoded = await sharp(fixturePath('dandelion-large.jpg')).resize(4000, 3000, { fit: 'cover' }).toBuffer();
  const photoPaths: string[] = [];
  for (let quality = 85; quality < 95; quality += 1) {
    const path = join(dir, `photo-q${quality}.jpg`);
    await writeFile(path, await sharp(decoded).jpeg({ quality }).toBuffer());
    photoPaths.push(path);
  }
  const photos = await Promise.all(photoPaths.map((path) => readFile(path)));
  let next = 0;

  const config = loadConfig({ DATA_DIR: join(dir, 'data'), PORT: '0', LOG_LEVEL: 'error' });
  const gateway = await startGateway(config, createLogger('error'));
  const owners = new OwnerRepository(gateway.database.prisma);
  const owner = await owners.createOwner('bench');
  const { secret } = await new ApiKeyService(owners).createKey(owner.id, 'bench');
  const client = new Client(gateway.url, secret);

  const floorMs = await time(() =>
    sharp(photoPaths[next++ % photoPaths.length]!, { failOn: 'warning' })
      .rotate()
      .resize(256, 256, { fit: 'inside', withoutEnlargement: true })
      .webp({ quality: 80, effort: 2 })
      .toBuffer(),
  );
  const uploadMs = await time(async () => {
    const response = await client.upload(photos[next++ % photos.length]!, { filename: 'photo.jpg', selection: 'id' });
    if (response.errors) throw new Error(JSON.stringify(response.errors));
  });
  await gateway.close();

  console.log(`12-megapixel JPEGs (~${(photos[0]!.length / 1e6).toFixed(1)} MB), ${RUNS} runs each, sharp threads per op: ${sharp.concurrency()}`);
  console.log(`floor  sharp decode + 256 px WebP thumbnail: median ${floorMs.toFixed(1)} ms`);
  console.log(`upload uploadAsset over HTTP, end to end:    median ${uploadMs.toFixed(1)} ms`);
  console.log(`ratio  upload / floor = ${(uploadMs / floorMs).toFixed(2)}`);
} finally {
  await rm(dir, { recursive: true, force: true });
}
