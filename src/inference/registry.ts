/**
 * The model registry: every `models/<id>/model.json`, with whether its weights are in
 * place (and, for pinned weights, verified by SHA-256). Read once at start-up.
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { AppError, inputError } from '../errors.js';
import { modelManifestSchema, type ModelManifest } from './manifest.js';

export interface ModelEntry {
  manifest: ModelManifest;
  /** Absolute path of the weights. */
  weightsPath: string;
  available: boolean;
  /** Why not available, and how to fix it. */
  unavailableReason: string | undefined;
  /** SHA-256 of the weights in use (pinned or computed); undefined when unavailable. */
  weightsSha256: string | undefined;
}

export async function sha256OfFile(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/**
 * Hashing 88 MB costs ~0.3 s, so the result is remembered beside the weights, keyed by
 * size and modification time, and recomputed only when the file changes.
 */
export async function verifiedSha256(path: string): Promise<string | undefined> {
  const info = await stat(path).catch(() => undefined);
  if (!info?.isFile()) return undefined;
  const stampPath = `${path}.sha256`;
  const key = `${info.size} ${Math.trunc(info.mtimeMs)}`;
  const stamp = await readFile(stampPath, 'utf8').catch(() => '');
  const [stampKey, stampHash] = stamp.trim().split('\n');
  if (stampKey === key && stampHash) return stampHash;
  const hash = await sha256OfFile(path);
  await writeFile(stampPath, `${key}\n${hash}\n`).catch(() => {});
  return hash;
}

export class ModelRegistry {
  private constructor(private readonly entries: Map<string, ModelEntry>) {}

  static async load(modelsDir: string): Promise<ModelRegistry> {
    const entries = new Map<string, ModelEntry>();
    const folders = (await readdir(modelsDir, { withFileTypes: true }))
      .filter((entry) => entry.isDirectory())
      .map((entry) => entry.name)
      .sort();
    for (const folder of folders) {
      const manifestPath = join(modelsDir, folder, 'model.json');
      const text = await readFile(manifestPath, 'utf8').catch(() => undefined);
      if (text === undefined) continue;
      const manifest = modelManifestSchema.parse(JSON.parse(text));
      if (manifest.id !== folder) throw new Error(`${manifestPath}: id ${manifest.id} must match its folder`);
      const weightsPath = join(modelsDir, folder, manifest.file);
      const sha = await verifiedSha256(weightsPath);
      let unavailableReason: string | undefined;
      if (!sha) unavailableReason = `weights not found at models/${folder}/${manifest.file}. ${manifest.obtain}`;
      else if (manifest.sha256 && sha !== manifest.sha256) {
        unavailableReason = `weights at models/${folder}/${manifest.file} do not match the pinned SHA-256 (${sha} ≠ ${manifest.sha256}). ${manifest.obtain}`;
      }
      entries.set(manifest.id, { manifest, weightsPath, available: !unavailableReason, unavailableReason, weightsSha256: unavailableReason ? undefined : sha });
    }
    return new ModelRegistry(entries);
  }

  list(): ModelEntry[] {
    return [...this.entries.values()];
  }

  defaultModel(): ModelEntry | undefined {
    return this.list().find((entry) => entry.manifest.default);
  }

  /**
   * @throws AppError BAD_USER_INPUT for an unknown id, MODEL_UNAVAILABLE when its weights are missing.
   */
  require(id: string): ModelEntry & { weightsSha256: string } {
    const entry = this.entries.get(id);
    if (!entry) {
      throw inputError('model', `one of ${[...this.entries.keys()].join(', ')}`, id);
    }
    if (!entry.available || !entry.weightsSha256)
      throw new AppError('MODEL_UNAVAILABLE', `Model ${id} is not available: ${entry.unavailableReason}`, { details: { model: id } });
    return entry as ModelEntry & { weightsSha256: string };
  }
}
