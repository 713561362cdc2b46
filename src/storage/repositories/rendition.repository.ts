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

  create(rendition: Omit<RenditionRecord, 'id' | 'createdAt' | 'lastUsedAt'>): Promise<RenditionRecord> {
    return this.prisma.rendition.create({ data: rendition });
  }

  /** Marks a cache hit (the eviction order). */
  async touch(id: string): Promise<void> {
    await this.prisma.rendition.updateMany({ where: { id }, data: { lastUsedAt: new Date() } });
  }

  async totalBytes(): Promise<number> {
    return (await this.prisma.rendition.aggregate({ _sum: { byteSize: true } }))._sum.byteSize ?? 0;
  }

  /** The least recently used renditions first, `except` one (the one just made). */
  leastRecentlyUsed(limit: number, except: string): Promise<Pick<RenditionRecord, 'id' | 'sha256' | 'byteSize'>[]> {
    return this.prisma.rendition.findMany({
      where: { id: { not: except } },
      orderBy: [{ lastUsedAt: 'asc' }, { id: 'asc' }],
      take: limit,
      select: { id: true, sha256: true, byteSize: true },
    });
  }

  async deleteByIds(ids: string[]): Promise<number> {
    return (await this.prisma.rendition.deleteMany({ where: { id: { in: ids } } })).count;
  }
}
