/**
 * A Relay frontend's fragments (test/fixtures/relay: @refetchable on an Asset and on the
 * library, @connection over `assets`, a subscription) compile with relay-compiler against the
 * schema. Relay needs `Node`, `node(id:)` and a full PageInfo; without them it refuses.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { cp, mkdir, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { test } from 'node:test';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const COMPILER = join(ROOT, 'node_modules/.bin/relay-compiler');

/** Compiles the fixture's fragments against `schema` in a scratch folder: the artifacts, or the compiler's errors. */
async function compile(schema: string): Promise<{ ok: true; artifacts: Map<string, string> } | { ok: false; output: string }> {
  const dir = await mkdtemp(join(tmpdir(), 'maskgraph-relay-'));
  try {
    await cp(join(ROOT, 'test/fixtures/relay/src'), join(dir, 'src'), { recursive: true });
    await mkdir(join(dir, '__generated__'));
    await writeFile(join(dir, 'schema.graphql'), schema);
    await writeFile(
      join(dir, 'relay.config.json'),
      JSON.stringify({ src: './src', schema: './schema.graphql', language: 'typescript', artifactDirectory: './__generated__' }),
    );
    try {
      await promisify(execFile)(COMPILER, [], { cwd: dir, timeout: 60_000 });
    } catch (error) {
      const failed = error as { stdout?: string; stderr?: string };
      return { ok: false, output: `${failed.stdout ?? ''}${failed.stderr ?? ''}` };
    }
    const artifacts = new Map<string, string>();
    for (const name of await readdir(join(dir, '__generated__'))) artifacts.set(name, await readFile(join(dir, '__generated__', name), 'utf8'));
    return { ok: true, artifacts };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

test('relay-compiler compiles @refetchable and @connection fragments against the schema', async () => {
  const result = await compile(await readFile(join(ROOT, 'schema.graphql'), 'utf8'));
  assert.ok(result.ok, result.ok ? '' : result.output);
  assert.deepEqual([...result.artifacts.keys()].sort(), [
    'AssetCardRefetchQuery.graphql.ts',
    'AssetCard_asset.graphql.ts',
    'LibraryPaginationQuery.graphql.ts',
    'LibraryQuery.graphql.ts',
    'Library_query.graphql.ts',
    'SegmentationWatchSubscription.graphql.ts',
  ]);
  // The refetch query goes through node(id:), which only a Node-aware schema offers.
  assert.match(result.artifacts.get('AssetCardRefetchQuery.graphql.ts')!, /node\(id: \$id\)/);
});

test('without node(id:) the same fragments are refused, so the test above can fail', async () => {
  const schema = (await readFile(join(ROOT, 'schema.graphql'), 'utf8')).replace(/^ {2}node\(.*\): Node$/m, '');
  const result = await compile(schema);
  assert.equal(result.ok, false);
  assert.match(result.ok ? '' : result.output, /node/i);
});
