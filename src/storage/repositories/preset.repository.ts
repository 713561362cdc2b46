/** Owners' presets (src/images/preset.ts); built-in presets live in code, not here. */
import { Prisma } from '../generated/prisma/client.js';
import type { PrismaClient } from '../database.js';
import type { PresetRecord } from '../records.js';

export interface PresetData {
  effect: unknown;
  output: unknown;
  crop: unknown;
  widths: number[];
}

const json = (value: unknown) => (value === undefined || value === null ? Prisma.DbNull : (value as Prisma.InputJsonValue));

export class PresetRepository {
  constructor(private readonly prisma: PrismaClient) {}

  list(ownerId: string): Promise<PresetRecord[]> {
    return this.prisma.preset.findMany({ where: { ownerId }, orderBy: { name: 'asc' } });
  }

  findByName(ownerId: string, name: string): Promise<PresetRecord | null> {
    return this.prisma.preset.findUnique({ where: { ownerId_name: { ownerId, name } } });
  }

  /** The owner's presets among `names`, in their order, in one statement. */
  async findByNames(ownerId: string, names: readonly string[]): Promise<(PresetRecord | null)[]> {
    const rows = await this.prisma.preset.findMany({ where: { ownerId, name: { in: [...names] } } });
    return names.map((name) => rows.find((row) => row.name === name) ?? null);
  }

  findOwned(ownerId: string, id: string): Promise<PresetRecord | null> {
    return this.prisma.preset.findFirst({ where: { ownerId, id } });
  }

  count(ownerId: string): Promise<number> {
    return this.prisma.preset.count({ where: { ownerId } });
  }

  /** Null when the owner already has a preset of that name. */
  async create(ownerId: string, name: string, data: PresetData): Promise<PresetRecord | null> {
    try {
      return await this.prisma.preset.create({
        data: { ownerId, name, effect: json(data.effect), output: data.output as Prisma.InputJsonValue, crop: json(data.crop), widths: data.widths },
      });
    } catch (error) {
      if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === 'P2002') return null;
      throw error;
    }
  }

  /** Replaces the definition and raises the revision; null when there is no such preset. */
  async update(ownerId: string, name: string, data: PresetData): Promise<PresetRecord | null> {
    const { count } = await this.prisma.preset.updateMany({
      where: { ownerId, name },
      data: { effect: json(data.effect), output: data.output as Prisma.InputJsonValue, crop: json(data.crop), widths: data.widths, revision: { increment: 1 } },
    });
    return count === 0 ? null : this.findByName(ownerId, name);
  }

  /** Deletes the preset and the images rendered for it; returns their blobs, or null when there was no preset. */
  async delete(ownerId: string, name: string): Promise<string[] | null> {
    return this.prisma.$transaction(async (tx) => {
      const { count } = await tx.preset.deleteMany({ where: { ownerId, name } });
      if (count === 0) return null;
      const variants = await tx.imageVariant.findMany({ where: { preset: name, asset: { ownerId } }, select: { id: true, sha256: true } });
      await tx.imageVariant.deleteMany({ where: { id: { in: variants.map((variant) => variant.id) } } });
      return variants.map((variant) => variant.sha256);
    });
  }
}
