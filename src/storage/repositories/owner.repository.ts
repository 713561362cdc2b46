/** Owners and their API keys (only the SHA-256 of a key's secret is stored). */
import type { PrismaClient } from '../database.js';
import type { ApiKeyRecord, OwnerRecord } from '../records.js';

export type ApiKeyWithOwner = ApiKeyRecord & { owner: OwnerRecord };

export class OwnerRepository {
  constructor(private readonly prisma: PrismaClient) {}

  createOwner(name: string): Promise<OwnerRecord> {
    return this.prisma.owner.create({ data: { name } });
  }

  findOwner(id: string): Promise<OwnerRecord | null> {
    return this.prisma.owner.findUnique({ where: { id } });
  }

  findOwnerByName(name: string): Promise<OwnerRecord | null> {
    return this.prisma.owner.findFirst({ where: { name }, orderBy: { createdAt: 'asc' } });
  }

  createApiKey(key: { ownerId: string; name: string; prefix: string; secretHash: string }): Promise<ApiKeyRecord> {
    return this.prisma.apiKey.create({ data: key });
  }

  /** The owner of an unrevoked key, in one statement (every request authenticates). */
  findOwnerByActiveKey(secretHash: string): Promise<OwnerRecord | null> {
    return this.prisma.owner.findFirst({ where: { apiKeys: { some: { secretHash, revokedAt: null } } } });
  }

  async touchApiKey(secretHash: string, at: Date): Promise<void> {
    await this.prisma.apiKey.updateMany({ where: { secretHash }, data: { lastUsedAt: at } });
  }

  countApiKeys(): Promise<number> {
    return this.prisma.apiKey.count();
  }

  listApiKeys(): Promise<ApiKeyWithOwner[]> {
    return this.prisma.apiKey.findMany({ include: { owner: true }, orderBy: { createdAt: 'asc' } });
  }

  /** Returns false when no active key has this id. */
  async revokeApiKey(id: string): Promise<boolean> {
    const { count } = await this.prisma.apiKey.updateMany({ where: { id, revokedAt: null }, data: { revokedAt: new Date() } });
    return count > 0;
  }
}
