/** Cached effect renditions. */
import type { PrismaClient } from '../database.js';
import type { RenditionRecord } from '../records.js';

export class RenditionRepository {
  constructor(private readonly prisma: PrismaClient) {}

  find(segmentationId: string, cacheKey: string): Promise<RenditionRecord | null> {
    return this.prisma.rendition.findUnique({ where: { segmentationId_cacheKey: { segmentationId, cacheKey } } });
  }

  findById(id: string): Promise<RenditionRecord | null> {
    return this.prisma.rendition.findUnique({ where: { id } });
  }

  create(rendition: Omit<RenditionRecord, 'id' | 'createdAt'>): Promise<RenditionRecord> {
    return this.prisma.rendition.create({ data: rendition });
  }
}
