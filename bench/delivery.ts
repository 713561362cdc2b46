/**
 * Delivery to frontends against honest floors, measured in one run (ratios, never a timed test):
 *
 *   image     a cached preset image (`thumbnail`, 256 px WebP) through the gateway's
 *             /images route, against the same bytes from a bare `node:http` server that
 *             streams the file with `fs.createReadStream`: autocannon, 32 connections.
 *   library   the library page (20 assets with thumbnails, segmentations and mask URLs, and
 *             the total count) against a query that touches no data (`{ limits { maxUploadBytes } }`):
 *             autocannon, 16 connections, with an API key (both pay its one statement), with the
 *             SQL statements a page costs, counted at the database driver. Twice: as a library
 *             page is asked in practice, again and again while nothing changed (answered from
 *             the per-owner cache), and uncached (GRAPHQL_CACHE_MB=0), the cost of a change.
 *
 * The gateway runs in this process; autocannon runs as a child process, as a client would.
 *
 *   TEST_DATABASE_URL=postgresql://postgres@127.0.0.1:5432/test \
 *     node --import tsx bench/delivery.ts [--duration SEC] [--database pglite|postgresql|both]
 *   (without TEST_DATABASE_URL, PostgreSQL is left out)
 */
import { execFile } from 'node:child_process';
import { createReadStream } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { Client, FIXTURES, settledReviewPriority } from '../test/helpers/client.js';
import { DATABASE_TARGETS, type DatabaseTarget } from '../test/helpers/database-targets.js';
import { startTestGateway } from '../test/helpers/gateway.js';

const args = process.argv.slice(2);
const option = (name: string, fallback: string) => (args.includes(name) ? args[args.indexOf(name) + 1]! : fallback);
const DURATION = Number(option('--duration', '10'));
const DATABASES = option('--database', 'both');

const AUTOCANNON = fileURLToPath(new URL('../node_modules/.bin/autocannon', import.meta.url));
const LIBRARY_PAGE = `{ assets(first: 20) { totalCount pageInfo { hasNextPage endCursor } edges { cursor node {
  id name tags width height thumbnail(size: 256)
  segmentations { id status model reviewPriority mask { url width height boundingBox { x y width height } } }
} } } }`;
const NO_DATABASE = '{ limits { maxUploadBytes } }';

interface Load {
  requestsPerSecond: number;
  p99Ms: number;
  total: number;
  errors: number;
}

async function load(url: string, connections: number, options: { method?: string; body?: string; headers?: Record<string, string> } = {}): Promise<Load> {
  const flags = ['-j', '-c', String(connections), '-d', String(DURATION)];
  if (options.method) flags.push('-m', options.method);
  if (options.body) flags.push('-b', options.body);
  for (const [name, value] of Object.entries(options.headers ?? {})) flags.push('-H', `${name}=${value}`);
  const { stdout } = await promisify(execFile)(AUTOCANNON, [...flags, url], { maxBuffer: 16 * 1024 * 1024 });
  const result = JSON.parse(stdout) as { requests: { average: number; total: number }; latency: { p99: number }; non2xx: number; errors: number };
  return { requestsPerSecond: result.requests.average, p99Ms: result.latency.p99, total: result.requests.total, errors: result.non2xx + result.errors };
}

const show = (load: Load) => `${load.requestsPerSecond.toFixed(0)} req/s (p99 ${load.p99Ms} ms${load.errors ? `, ${load.errors} errors` : ''})`;

async function measure(target: DatabaseTarget, cacheMb: string) {
  const gateway = await startTestGateway(target, { GRAPHQL_CACHE_MB: cacheMb });
  const scratch = await mkdtemp(join(tmpdir(), 'maskgraph-delivery-bench-'));
  const floor = createServer();
  try {
    const key = (await gateway.newOwner('bench')).key;
    const client = new Client(gateway.url, key);
    const photo = await readFile(join(FIXTURES, 'composites/c1-bear-meadow.jpg'));
    const ids: string[] = [];
    for (let index = 0; index < 20; index += 1) ids.push((await client.upload(photo, { name: `photo-${index}.jpg`, selection: 'id' })).data!.uploadAsset.id);
    for (const id of ids.slice(8)) {
      const done = await client.query('mutation($id: ID!) { segmentAsset(input: { assetId: $id, wait: true }) { id status } }', { id });
      await settledReviewPriority(client, done.data.segmentAsset.id);
    }

    // The image: warmed once, then the same bytes from a file for the floor.
    const image = await client.query('query($id: ID!) { asset(id: $id) { image(preset: "thumbnail", width: 256) { url } } }', { id: ids[19] });
    const imageUrl = image.data.asset.image.url as string;
    const first = await fetch(imageUrl, { headers: { accept: 'image/webp' } });
    const bytes = Buffer.from(await first.arrayBuffer());
    const file = join(scratch, 'thumbnail.webp');
    await writeFile(file, bytes);
    floor.on('request', (_request, response) => {
      response.writeHead(200, { 'content-type': 'image/webp', 'content-length': bytes.length, 'cache-control': 'public, max-age=31536000, immutable' });
      createReadStream(file).pipe(response);
    });
    await new Promise<void>((resolve) => floor.listen(0, '127.0.0.1', resolve));
    const floorUrl = `http://127.0.0.1:${(floor.address() as AddressInfo).port}/thumbnail.webp`;
    const bare = await load(floorUrl, 32);
    const served = await load(imageUrl, 32, { headers: { accept: 'image/webp' } });

    // The library page against a query that reads nothing.
    const post = (query: string) => ({
      method: 'POST',
      body: JSON.stringify({ query }),
      headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
    });
    const check = await client.query(LIBRARY_PAGE);
    if (check.errors || check.data.assets.edges.length !== 20) throw new Error(`library page: ${JSON.stringify(check).slice(0, 300)}`);
    const nothing = await load(`${gateway.url}/graphql`, 16, post(NO_DATABASE));
    const before = gateway.database.statementCount();
    const library = await load(`${gateway.url}/graphql`, 16, post(LIBRARY_PAGE));
    const statements = (gateway.database.statementCount() - before) / library.total;

    console.log(`\n${target.name}, ${DURATION} s per load, image ${bytes.length} bytes, GraphQL answer cache ${cacheMb === '0' ? 'off' : `${cacheMb} MB`}`);
    console.log(`  image    bare node:http + createReadStream ${show(bare)}`);
    console.log(`           gateway /images (cached)           ${show(served)}   → ${(served.requestsPerSecond / bare.requestsPerSecond).toFixed(2)}×`);
    console.log(`  library  query touching no database          ${show(nothing)}`);
    console.log(
      `           library page (20 assets)           ${show(library)}   → ${(library.requestsPerSecond / nothing.requestsPerSecond).toFixed(2)}×, ${statements.toFixed(2)} SQL statements per page`,
    );
  } finally {
    await new Promise((resolve) => floor.close(resolve));
    await gateway.dispose();
    await rm(scratch, { recursive: true, force: true });
  }
}

for (const target of DATABASE_TARGETS.filter((each) => !each.skipReason && (DATABASES === 'both' || each.name === DATABASES))) {
  await measure(target, '64');
  await measure(target, '0');
}
