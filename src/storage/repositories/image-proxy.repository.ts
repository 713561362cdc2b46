/** Preview proxies of stored images (src/images/proxy.service.ts), keyed by their source blob. */
import { Prisma } from '../generated/prisma/client.js';
import type { PrismaClient } from '../database.js';
import type { ImageProxyRecord } from '../records.js';

export type NewImageProxy = Omit<ImageProxyRecord, 'createdAt'>;

export class ImageProxyRepository {
  constructor(private readonly prisma: PrismaClient) {}

  find(sourceSha256: string, maxSide: number): Promise<ImageProxyRecord | null> {
    return this.prisma.imageProxy.findUnique({ where: { sourceSha256_maxSide: { sourceSha256, maxSide } } });
  }

  /** Inserts it; when another process stored a proxy of the same source first, returns that one. */
  async create(data: NewImageProxy): Promise<ImageProxyRecord> {
    try {
      return await this.prisma.imageProxy.create({ data });
    } catch (error) {
      if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === 'P2002') return (await this.find(data.sourceSha256, data.maxSide))!;
      throw error;
    }
  }

  /** Forgets a proxy whose blob is gone (it is made again on next need). */
  async delete(sourceSha256: string, maxSide: number): Promise<void> {
    await this.prisma.imageProxy.deleteMany({ where: { sourceSha256, maxSide } });
  }
}
