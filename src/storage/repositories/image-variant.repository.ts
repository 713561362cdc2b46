/** Rendered preset images, one per URL and negotiated format (src/images/image.service.ts). */
import { Prisma } from '../generated/prisma/client.js';
import type { PrismaClient } from '../database.js';
import type { ImageVariantRecord } from '../records.js';

export type NewImageVariant = Omit<ImageVariantRecord, 'id' | 'createdAt'>;

export class ImageVariantRepository {
  constructor(private readonly prisma: PrismaClient) {}

  findByKey(cacheKey: string): Promise<ImageVariantRecord | null> {
    return this.prisma.imageVariant.findUnique({ where: { cacheKey } });
  }

  /** Inserts it; when another process stored the same key first, returns that one. */
  async create(data: NewImageVariant): Promise<ImageVariantRecord> {
    try {
      return await this.prisma.imageVariant.create({ data });
    } catch (error) {
      if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === 'P2002') return (await this.findByKey(data.cacheKey))!;
      throw error;
    }
  }
}
