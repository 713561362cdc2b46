/**
 * Segmentation cost against its floor, in one run on one machine:
 *   floor       onnxruntime `session.run` alone on an already-prepared input tensor
 *               (same weights, same thread count as the gateway)
 *   end-to-end  `segmentAsset(wait: true)` over HTTP for an uploaded photo, until the
 *               mask is stored; the stages come from the job's recorded timings
 * for each photo and for IS-Net medium (isnet-general) and small (isnet-general-q8).
 * Every run uses new image bytes (a unique EXIF field), so no run is answered from the reuse cache.
 *
 *   node --import tsx bench/segment.ts [--runs N] [--throughput JOBS] [--rss JOBS]
 *     --throughput JOBS  also compare one client against 8 concurrent clients
 *     --rss JOBS         also run JOBS consecutive jobs and print the RSS along the way
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ort from 'onnxruntime-node';
import sharp from 'sharp';
import { ApiKeyService } from '../src/auth/api-keys.js';
import { loadConfig } from '../src/config/config.js';
import { MODELS_DIR } from '../src/inference/models-dir.js';
import { createLogger } from '../src/lib/logger.js';
import { startGateway } from '../src/main.js';
import { OwnerRepository } from '../src/storage/repositories/owner.repository.js';
import { Client, fixturePath } from '../test/helpers/client.js';
import { median } from './timing.js';

const args = process.argv.slice(2);
const option = (name: string, fallback: number) => {
  const index = args.indexOf(name);
  return index === -1 ? fallback : Number(args[index + 1]);
};
const RUNS = option('--runs', 3);
const THROUGHPUT_JOBS = option('--throughput', 0);
const RSS_JOBS = option('--rss', 0);
const PHOTOS = ['cat-chelsea.png', 'grace-hopper.jpg', 'fig-bowl.jpg', 'dogs-portrait.jpg', 'dandelion-large.jpg'];
const MODELS = ['isnet-general', 'isnet-general-q8'];

let variant = 0;
/** The photo as a JPEG with a unique EXIF description: same pixels, new bytes, new content key. */
async function freshBytes(photo: string): Promise<Buffer> {
  variant += 1;
  return sharp(fixturePath(photo)).withExif({ IFD0: { ImageDescription: `maskgraph bench ${variant}` } }).jpeg({ quality: 92 }).toBuffer();
}

const dir = await mkdtemp(join(tmpdir(), 'maskgraph-bench-'));
const config = loadConfig({ DATA_DIR: join(dir, 'data'), PORT: '0', LOG_LEVEL: 'error', WARM_UP: 'false', MAX_QUEUED_JOBS: '1000' });
const gateway = await startGateway(config, createLogger('error'));
try {
  const owners = new OwnerRepository(gateway.database.prisma);
  const owner = await owners.createOwner('bench');
  const client = new Client(gateway.url, (await new ApiKeyService(owners).createKey(owner.id, 'bench')).secret);

  async function segmentOnce(photo: string, model: string) {
    const upload = await client.upload(await freshBytes(photo), { filename: 'photo.jpg', selection: 'id' });
    const started = performance.now();
    const response = await client.query(
      `mutation($id: ID!, $model: String) { segmentAsset(input: { assetId: $id, model: $model, wait: true, waitTimeoutMs: 120000 }) {
        status reused timings { queueWaitMs preprocessMs inferenceMs postprocessMs storeMs } } }`,
      { id: upload.data!.uploadAsset.id, model },
    );
    const endToEndMs = performance.now() - started;
    const result = response.data.segmentAsset;
    if (result.status !== 'SUCCEEDED' || result.reused) throw new Error(JSON.stringify(response));
    return { endToEndMs, ...result.timings } as { endToEndMs: number; queueWaitMs: number; preprocessMs: number; inferenceMs: number; postprocessMs: number; storeMs: number };
  }

  console.log(`segmentation, ${RUNS} runs per cell (medians), ${config.inferenceThreads} ORT threads, sharp threads per op ${sharp.concurrency()}`);
  console.log('photo                 MP    model             floor ms  infer ms  e2e ms  e2e/floor  pre ms  post ms  store ms  (pre+post)/infer');
  for (const model of MODELS) {
    const session = await ort.InferenceSession.create(join(MODELS_DIR, model, 'model.onnx'), { intraOpNumThreads: config.inferenceThreads, interOpNumThreads: 1, graphOptimizationLevel: 'all' });
    const input = new ort.Tensor('float32', new Float32Array(3 * 1024 * 1024).fill(0.1), [1, 3, 1024, 1024]);
    for (let i = 0; i < 2; i += 1) await session.run({ input }, ['output']); // warm-up, as the gateway's first runs
    for (let i = 0; i < 2; i += 1) await segmentOnce(PHOTOS[0]!, model); // the gateway's first two runs are slow too
    for (const photo of PHOTOS) {
      const floor: number[] = [];
      const runs: Awaited<ReturnType<typeof segmentOnce>>[] = [];
      for (let i = 0; i < RUNS; i += 1) {
        const start = performance.now();
        await session.run({ input }, ['output']);
        floor.push(performance.now() - start);
        runs.push(await segmentOnce(photo, model));
      }
      const { width, height } = await sharp(fixturePath(photo)).metadata();
      const pick = (key: keyof (typeof runs)[number]) => median(runs.map((run) => run[key]));
      const floorMs = median(floor);
      console.log(
        `${photo.padEnd(21)} ${((width * height) / 1e6).toFixed(1).padStart(4)}  ${model.padEnd(17)} ${floorMs.toFixed(0).padStart(8)} ${pick('inferenceMs').toFixed(0).padStart(9)} ${pick('endToEndMs').toFixed(0).padStart(7)} ${(pick('endToEndMs') / floorMs).toFixed(2).padStart(10)} ${pick('preprocessMs').toFixed(0).padStart(7)} ${pick('postprocessMs').toFixed(0).padStart(8)} ${pick('storeMs').toFixed(0).padStart(9)} ${(((pick('preprocessMs') + pick('postprocessMs')) / pick('inferenceMs')) * 100).toFixed(1).padStart(14)} %`,
      );
    }
    await session.release();
  }

  if (THROUGHPUT_JOBS > 0) {
    for (const clients of [1, 8]) {
      const start = performance.now();
      let next = 0;
      await Promise.all(Array.from({ length: clients }, async () => {
        while (next < THROUGHPUT_JOBS) {
          next += 1;
          await segmentOnce('cat-chelsea.png', 'isnet-general');
        }
      }));
      const seconds = (performance.now() - start) / 1000;
      console.log(`throughput with ${clients} client(s): ${(THROUGHPUT_JOBS / seconds).toFixed(2)} jobs/s (${THROUGHPUT_JOBS} jobs in ${seconds.toFixed(1)} s)`);
    }
  }

  if (RSS_JOBS > 0) {
    const rssMb = () => (process.memoryUsage().rss / 1e6).toFixed(0);
    console.log(`RSS over ${RSS_JOBS} consecutive jobs (MB): start ${rssMb()}`);
    for (let job = 1; job <= RSS_JOBS; job += 1) {
      await segmentOnce('cat-chelsea.png', 'isnet-general');
      if (job % Math.max(1, Math.floor(RSS_JOBS / 10)) === 0) console.log(`  after ${job} jobs: ${rssMb()}`);
    }
  }
} finally {
  await gateway.close();
  await rm(dir, { recursive: true, force: true });
}
