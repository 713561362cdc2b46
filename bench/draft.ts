/**
 * Draft masks (issue 25): how long `segmentAsset(input: { draft: true })` takes to answer with
 * its U²-Net-p draft, against the full model's job on the same photo (`wait: true`, mutation
 * to answer), in one run on the embedded gateway. Each measurement is a new owner with its own
 * copy of the photo (a unique JPEG comment: same pixels, new content hash), so no earlier run,
 * proxy or cached byte is reused. Each starts on an idle gateway: a finished run's review
 * priority and proxies take another second or two of CPU, which doubled a draft's inference.
 * The drafts asked right after their upload answered (while the photo's proxy is being made)
 * are measured too, as a second figure.
 *   node --import tsx bench/draft.ts [runs [model]]
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ApiKeyService } from '../src/auth/api-keys.js';
import { loadConfig } from '../src/config/config.js';
import { createLogger } from '../src/lib/logger.js';
import { startGateway } from '../src/main.js';
import { OwnerRepository } from '../src/storage/repositories/owner.repository.js';
import { Client, fixturePath } from '../test/helpers/client.js';
import { median, untilIdle } from './timing.js';

const RUNS = Number(process.argv[2] ?? 3);
const MODEL = process.argv[3] ?? 'isnet-general';
const photo = await readFile(fixturePath('dandelion-large.jpg'));
const dir = await mkdtemp(join(tmpdir(), 'maskgraph-bench-'));
const gateway = await startGateway(loadConfig({ DATA_DIR: join(dir, 'data'), PORT: '0', LOG_LEVEL: 'error' }), createLogger('error'));

/** The photo with a JPEG comment (COM segment) naming `name` after its start marker: the same pixels, another content hash. */
function copyOfPhoto(name: string): Buffer {
  const text = Buffer.from(`maskgraph bench ${name}`);
  const length = Buffer.alloc(2);
  length.writeUInt16BE(text.length + 2);
  return Buffer.concat([photo.subarray(0, 2), Buffer.from([0xff, 0xfe]), length, text, photo.subarray(2)]);
}

/** A new owner with a copy of the photo uploaded (nothing of another owner's is ever reused). */
async function freshOwner(name: string): Promise<{ client: Client; assetId: string }> {
  const owners = new OwnerRepository(gateway.database.prisma);
  const owner = await owners.createOwner(name);
  const client = new Client(gateway.url, (await new ApiKeyService(owners).createKey(owner.id, name)).secret);
  return { client, assetId: (await client.upload(copyOfPhoto(name), { filename: 'dandelion.jpg', selection: 'id' })).data!.uploadAsset.id };
}

/** Waits for `id`'s run (behind a draft) to end. */
async function settled(client: Client, id: string): Promise<void> {
  for (let status = 'QUEUED'; status === 'QUEUED' || status === 'RUNNING';) {
    await new Promise((resolve) => setTimeout(resolve, 200));
    status = (await client.query('query($id: ID!) { segmentation(id: $id) { status } }', { id })).data.segmentation.status;
  }
}

type Timings = Record<'queueWaitMs' | 'preprocessMs' | 'inferenceMs' | 'postprocessMs' | 'storeMs', number | null>;

async function timed(
  client: Client,
  input: Record<string, unknown>,
): Promise<{ ms: number; data: { id: string; status: string; timings: Timings; draft: { status: string; timings: Timings } | null } }> {
  const started = performance.now();
  const answer = await client.query(
    'mutation($input: SegmentAssetInput!) { segmentAsset(input: $input) { id status timings { queueWaitMs preprocessMs inferenceMs postprocessMs storeMs } draft { status timings { queueWaitMs preprocessMs inferenceMs postprocessMs storeMs } } } }',
    { input },
  );
  if (answer.errors) throw new Error(JSON.stringify(answer.errors));
  return { ms: performance.now() - started, data: answer.data.segmentAsset };
}

try {
  const drafts: number[] = [];
  const fulls: number[] = [];
  const rightAfterUpload: number[] = [];
  for (let run = 0; run <= RUNS; run += 1) {
    // Run 0 warms both models and the threads up; it is not counted.
    const a = await freshOwner(`draft-${run}`);
    await untilIdle();
    const draft = await timed(a.client, { assetId: a.assetId, model: MODEL, draft: true, waitTimeoutMs: 120_000 });
    if (draft.data.draft?.status !== 'SUCCEEDED') throw new Error(`the draft did not finish: ${JSON.stringify(draft.data)}`);
    // The run behind the draft finishes before the next measurement starts.
    await settled(a.client, draft.data.id);
    await untilIdle();
    const c = await freshOwner(`draft-at-once-${run}`);
    const atOnce = await timed(c.client, { assetId: c.assetId, model: MODEL, draft: true, waitTimeoutMs: 120_000 });
    await settled(c.client, atOnce.data.id);
    const b = await freshOwner(`full-${run}`);
    await untilIdle();
    const full = await timed(b.client, { assetId: b.assetId, model: MODEL, wait: true, waitTimeoutMs: 120_000 });
    if (full.data.status !== 'SUCCEEDED') throw new Error(`the full run did not succeed: ${JSON.stringify(full.data)}`);
    if (run > 0) {
      drafts.push(draft.ms);
      fulls.push(full.ms);
      rightAfterUpload.push(atOnce.ms);
      console.log(`run ${run}: draft stages ${JSON.stringify(draft.data.draft.timings)}; full stages ${JSON.stringify(full.data.timings)}`);
    }
  }
  const [draftMs, fullMs] = [median(drafts), median(fulls)];
  console.log(
    `16 MP photo, ${MODEL}, median of ${RUNS}: draft answer ${draftMs.toFixed(0)} ms, full job ${fullMs.toFixed(0)} ms, ratio ${(draftMs / fullMs).toFixed(2)} (target < 0.25)`,
  );
  console.log(`drafts ${drafts.map((ms) => ms.toFixed(0)).join(' ')}; full runs ${fulls.map((ms) => ms.toFixed(0)).join(' ')}`);
  const atOnceMs = median(rightAfterUpload);
  console.log(
    `asked right after the upload answered (its proxy still being made): draft answer ${atOnceMs.toFixed(0)} ms, ratio ${(atOnceMs / fullMs).toFixed(2)}; ${rightAfterUpload.map((ms) => ms.toFixed(0)).join(' ')}`,
  );
} finally {
  await gateway.close();
  await rm(dir, { recursive: true, force: true });
}
