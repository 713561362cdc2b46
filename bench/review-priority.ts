/**
 * How well `assets(orderBy: REVIEW_PRIORITY)` puts the masks that need the most correction
 * first, measured against the truth in one run: the composites with exact ground truth (the
 * test fixtures' six, and the shared soft-alpha three, binarised, when ../shared is there)
 * are segmented by two IS-Net models, as a library would; each asset's review priority
 * (known without ground truth) is compared with the HCE its worse mask really costs against
 * the ground truth (set afterwards).
 *   Spearman's ρ   rank correlation of the priority with the true HCE (1: the same order)
 *   top third      of the third of assets the priority puts first, the share that truly are
 *                  among the third with the highest HCE
 * The floor is the library's default order (newest first), scored the same way.
 *   node --import tsx bench/review-priority.ts
 */
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { ApiKeyService } from '../src/auth/api-keys.js';
import { loadConfig } from '../src/config/config.js';
import { createLogger } from '../src/lib/logger.js';
import { startGateway } from '../src/main.js';
import { OwnerRepository } from '../src/storage/repositories/owner.repository.js';
import { Client, FIXTURES, sendFile, settledReviewPriority } from '../test/helpers/client.js';

const MODELS = ['isnet-general-q8', 'isnet-general'];
const SHARED = new URL('../../shared/fixtures/matting/', import.meta.url).pathname;
const CASES = [
  ...[
    'c1-bear-meadow.jpg',
    'c2-person-forest-portrait.jpg',
    'c3-crane-stream-border.jpg',
    'c4-palm-dune-fine.jpg',
    'c5-flower-leaves-small.png',
    'c6-truck-bird-road-large.jpg',
  ].map((name) => ({
    photo: `${FIXTURES}composites/${name}`,
    truth: `${FIXTURES}composites/${name.replace(/\.(jpg|png)$/, '.gt.png')}`,
  })),
  ...['p1-tree-bridge', 'p2-heron-hills', 'p3-fly-leaf']
    .map((name) => ({ photo: `${SHARED}${name}.jpg`, truth: `${SHARED}${name}.alpha.png` }))
    .filter((pair) => existsSync(pair.photo)),
];

/** Ranks 1..n (ties share their mean rank). */
function ranks(values: number[]): number[] {
  const order = values.map((value, index) => ({ value, index })).sort((a, b) => a.value - b.value);
  const result = new Array<number>(values.length);
  for (let start = 0; start < order.length;) {
    let end = start;
    while (end + 1 < order.length && order[end + 1]!.value === order[start]!.value) end += 1;
    for (let k = start; k <= end; k += 1) result[order[k]!.index] = (start + end) / 2 + 1;
    start = end + 1;
  }
  return result;
}

function spearman(a: number[], b: number[]): number {
  const [ra, rb] = [ranks(a), ranks(b)];
  const mean = (values: number[]) => values.reduce((sum, value) => sum + value, 0) / values.length;
  const [ma, mb] = [mean(ra), mean(rb)];
  let covariance = 0,
    va = 0,
    vb = 0;
  for (let i = 0; i < ra.length; i += 1) {
    covariance += (ra[i]! - ma) * (rb[i]! - mb);
    va += (ra[i]! - ma) ** 2;
    vb += (rb[i]! - mb) ** 2;
  }
  return covariance / Math.sqrt(va * vb);
}

/** Of the first third in `order`, the share that is in the true top third by HCE. */
function topThird(order: string[], hce: Map<string, number>): number {
  const k = Math.max(1, Math.round(order.length / 3));
  const truth = new Set(
    [...hce.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, k)
      .map(([id]) => id),
  );
  return order.slice(0, k).filter((id) => truth.has(id)).length / k;
}

const dir = await mkdtemp(join(tmpdir(), 'maskgraph-review-'));
const gateway = await startGateway(loadConfig({ DATA_DIR: join(dir, 'data'), PORT: '0', LOG_LEVEL: 'error', WARM_UP: 'false' }), createLogger('error'));
try {
  const owners = new OwnerRepository(gateway.database.prisma);
  const owner = await owners.createOwner('bench');
  const client = new Client(gateway.url, (await new ApiKeyService(owners).createKey(owner.id, 'bench')).secret);
  const hce = new Map<string, number>();
  const names = new Map<string, string>();
  for (const { photo, truth } of CASES) {
    const id = (await client.upload(photo, { selection: 'id' })).data!.uploadAsset.id as string;
    names.set(id, photo.split('/').pop()!);
    for (const model of MODELS) {
      const response = await client.query(
        `mutation($id: ID!, $model: String) { segmentAsset(input: { assetId: $id, model: $model, wait: true, waitTimeoutMs: 120000 }) { id status } }`,
        { id, model },
      );
      if (response.data?.segmentAsset?.status !== 'SUCCEEDED') throw new Error(JSON.stringify(response));
      await settledReviewPriority(client, response.data.segmentAsset.id);
    }
    // Ground truth only now: the priority was fixed without it. A soft alpha is binarised (> 128).
    const truthPng = await sharp(await readFile(truth))
      .toColourspace('b-w')
      .png()
      .toBuffer();
    await sendFile(client, 'mutation($id: ID!, $m: Upload!) { setGroundTruth(assetId: $id, mask: $m) { id } }', { id }, 'm', truthPng);
    const scored = await client.query(`query($id: ID!) { asset(id: $id) { segmentations { quality { hce } } } }`, { id });
    hce.set(id, Math.max(...scored.data.asset.segmentations.map((segmentation: { quality: { hce: number } }) => segmentation.quality.hce)));
  }
  const order = async (orderBy: string) =>
    (
      (await client.query(`query($o: AssetOrder) { assets(first: 100, orderBy: $o) { edges { node { id reviewPriority } } } }`, { o: orderBy })).data.assets
        .edges as { node: { id: string; reviewPriority: number } }[]
    ).map((edge) => edge.node);
  const byPriority = await order('REVIEW_PRIORITY');
  const newestFirst = await order('CREATED_AT_DESC');
  console.log(`${byPriority.length} assets, ${MODELS.join(' + ')}; priority vs the true HCE of the worse mask`);
  for (const node of byPriority)
    console.log(
      `  ${names.get(node.id)!.padEnd(34)} priority ${node.reviewPriority.toFixed(1).padStart(7)}   true HCE ${String(hce.get(node.id)).padStart(5)}`,
    );
  const truthOf = (nodes: { id: string }[]) => nodes.map((node) => hce.get(node.id)!);
  // An order's ρ: its position (first = highest) against the true HCE.
  const rho = (nodes: { id: string }[]) =>
    spearman(
      nodes.map((_, index) => nodes.length - index),
      truthOf(nodes),
    );
  console.log(
    `REVIEW_PRIORITY    ρ ${rho(byPriority).toFixed(2)}   top third ${(
      topThird(
        byPriority.map((node) => node.id),
        hce,
      ) * 100
    ).toFixed(0)} %`,
  );
  console.log(
    `newest first       ρ ${rho(newestFirst).toFixed(2)}   top third ${(
      topThird(
        newestFirst.map((node) => node.id),
        hce,
      ) * 100
    ).toFixed(0)} %   (the floor)`,
  );
} finally {
  await gateway.close();
  await rm(dir, { recursive: true, force: true });
}
