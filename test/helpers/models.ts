/** Registries over temporary model folders, for tests that bring their own weights. */
import { copyFile, mkdir, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ModelManifest } from '../../src/inference/manifest.js';
import { ModelRegistry } from '../../src/inference/registry.js';

export const MODELS_DIR = fileURLToPath(new URL('../../models/', import.meta.url));
/** The shared U²-Net-p fixture export (random weights); tests read it from ../shared. */
export const U2NETP_FIXTURE_ONNX = fileURLToPath(new URL('../../../shared/fixtures/families/u2netp/u2netp-seed2.onnx', import.meta.url));

export async function readManifest(id: string): Promise<ModelManifest> {
  return JSON.parse(await readFile(join(MODELS_DIR, id, 'model.json'), 'utf8')) as ModelManifest;
}

/** A registry holding `manifest` (its id replaced by `id`) with `weights` as its model file. */
export async function registryWith(id: string, manifest: ModelManifest, weights: string | Uint8Array): Promise<ModelRegistry> {
  const dir = await mkdtemp(join(tmpdir(), 'maskgraph-models-'));
  await mkdir(join(dir, id));
  await writeFile(join(dir, id, 'model.json'), JSON.stringify({ ...manifest, id, sha256: null, byteSize: null, default: false }));
  if (typeof weights === 'string') await copyFile(weights, join(dir, id, manifest.file));
  else await writeFile(join(dir, id, manifest.file), weights);
  return ModelRegistry.load(dir);
}
