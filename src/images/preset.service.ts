/** The owner's presets beside the built-in ones: listing, lookup and changes. */
import { AppError, inputError } from '../errors.js';
import type { BlobLocks } from '../storage/blob-locks.js';
import { releaseUnreferenced } from '../storage/blob-release.js';
import type { BlobStore } from '../storage/blob-store.js';
import type { PresetRecord } from '../storage/records.js';
import type { BlobReferenceRepository } from '../storage/repositories/blob-reference.repository.js';
import type { PresetRepository } from '../storage/repositories/preset.repository.js';
import { BUILT_IN_PRESETS, builtInPreset, MAX_PRESETS_PER_OWNER, parsePresetInput, type PresetInput, type PresetSpec } from './preset.js';

function fromRecord(record: PresetRecord): PresetSpec {
  const output = record.output as { format: PresetSpec['format']; quality: number };
  return {
    name: record.name,
    revision: record.revision,
    builtIn: false,
    id: record.id,
    effect: (record.effect ?? undefined) as PresetSpec['effect'],
    format: output.format,
    quality: output.quality,
    crop: (record.crop ?? undefined) as PresetSpec['crop'],
    widths: record.widths,
  };
}

function toData(spec: ReturnType<typeof parsePresetInput>) {
  return { effect: spec.effect ?? null, output: { format: spec.format, quality: spec.quality }, crop: spec.crop ?? null, widths: spec.widths };
}

export class PresetService {
  constructor(
    private readonly presets: PresetRepository,
    private readonly references: BlobReferenceRepository,
    private readonly blobs: BlobStore,
    private readonly blobLocks: BlobLocks,
  ) {}

  /** The built-in presets, then the owner's by name. */
  async list(ownerId: string): Promise<PresetSpec[]> {
    return [...BUILT_IN_PRESETS, ...(await this.presets.list(ownerId)).map(fromRecord)];
  }

  /** A built-in or the owner's preset; null when there is none of that name. */
  async find(ownerId: string, name: string): Promise<PresetSpec | null> {
    const record = builtInPreset(name) ? null : await this.presets.findByName(ownerId, name);
    return builtInPreset(name) ?? (record && fromRecord(record));
  }

  /** `find` for many names, reading the owner's presets once. */
  async findMany(ownerId: string, names: readonly string[]): Promise<(PresetSpec | null)[]> {
    const own = names.filter((name) => !builtInPreset(name));
    const records = own.length === 0 ? [] : await this.presets.findByNames(ownerId, own);
    return names.map((name) => {
      const record = records[own.indexOf(name)];
      return builtInPreset(name) ?? (record ? fromRecord(record) : null);
    });
  }

  async create(ownerId: string, input: PresetInput): Promise<PresetSpec> {
    const spec = parsePresetInput(input);
    if ((await this.presets.count(ownerId)) >= MAX_PRESETS_PER_OWNER) {
      throw new AppError('BUSY', `You have ${MAX_PRESETS_PER_OWNER} presets, the most allowed; delete one first`);
    }
    const record = await this.presets.create(ownerId, spec.name, toData(spec));
    if (!record) throw inputError('input.name', 'a name none of your presets has', spec.name);
    return fromRecord(record);
  }

  /** Replaces the definition: its URLs change (the revision is part of them), old ones redirect. */
  async update(ownerId: string, input: PresetInput): Promise<PresetSpec> {
    const spec = parsePresetInput(input);
    const record = await this.presets.update(ownerId, spec.name, toData(spec));
    if (!record) throw new AppError('NOT_FOUND', `You have no preset named ${spec.name}`, { details: { field: 'input.name' } });
    return fromRecord(record);
  }

  /** Deletes it with its rendered images: its URLs answer 404 from now on. */
  async delete(ownerId: string, name: string): Promise<void> {
    if (builtInPreset(name)) throw inputError('name', 'one of your own presets (built-ins cannot be deleted)', name);
    const hashes = await this.presets.delete(ownerId, name);
    if (!hashes) throw new AppError('NOT_FOUND', `You have no preset named ${name}`, { details: { field: 'name' } });
    for (const sha256 of new Set(hashes)) await this.blobLocks.run(sha256, () => releaseUnreferenced(this.references, this.blobs, [sha256]));
  }
}
