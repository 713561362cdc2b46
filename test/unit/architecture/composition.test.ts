/**
 * Every service, repository, event follower, thread pool and key administrator is built in
 * one file, src/composition/services.ts, once per process, and handed down: no module
 * below it builds its own copy (with ROLE=all two copies once meant two metrics threads).
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

const SRC = fileURLToPath(new URL('../../../src/', import.meta.url));
const ROOT_FILE = 'composition/services.ts';
/** What counts as building a service: `new XService(…)` and the like, and the factories that load or open one. */
const CONSTRUCTION =
  /new ([A-Z]\w*(?:Service|Repository|Events|Admin|Reader|Worker|Thread|Engine|Pool))\(|(ModelRegistry\.load|UrlSigner\.fromSecretOrFile)\(/g;
/** A class may build itself in its own file (a static factory), and the engine owns its threads. */
const OWN_PARTS: Record<string, string[]> = {
  'inference/engine.ts': ['InferenceWorker'],
  // The CLI's client for a running gateway's control route, not a service of this process.
  'cli/control-client.ts': ['RemoteKeyAdmin'],
};

function constructionsOutsideTheRoot(): string[] {
  const files = (readdirSync(SRC, { recursive: true }) as string[]).filter((file) => file.endsWith('.ts') && !file.includes('generated'));
  const found: string[] = [];
  for (const file of files) {
    if (file === ROOT_FILE) continue;
    const text = readFileSync(join(SRC, file), 'utf8');
    for (const match of text.matchAll(CONSTRUCTION)) {
      const name = match[1] ?? match[2]!;
      if (OWN_PARTS[file]?.includes(name)) continue;
      found.push(`${file}: ${name}`);
    }
  }
  return found;
}

test('the composition root builds the services, and it is where the scan looks', () => {
  const root = readFileSync(join(SRC, ROOT_FILE), 'utf8');
  const built = new Set([...root.matchAll(CONSTRUCTION)].map((match) => match[1] ?? match[2]));
  for (const name of [
    'SegmentationService',
    'AssetService',
    'QualityService',
    'SegmentationRepository',
    'MetricsPool',
    'InferenceEngine',
    'ModelRegistry.load',
  ])
    assert.ok(built.has(name), `${ROOT_FILE} builds ${name}`);
});

test('no other file in src/ builds a service', () => {
  assert.deepEqual(constructionsOutsideTheRoot(), [], 'build these in src/composition/services.ts and pass them down');
});
