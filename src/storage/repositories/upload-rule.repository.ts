/** Owners' upload rules (src/rules/). */
import type { PrismaClient } from '../database.js';
import type { UploadRuleRecord } from '../records.js';

export type NewUploadRule = Omit<UploadRuleRecord, 'id' | 'createdAt'>;

export class UploadRuleRepository {
  constructor(private readonly prisma: PrismaClient) {}

  /** The owner's rules, oldest first: the order they run in. */
  list(ownerId: string): Promise<UploadRuleRecord[]> {
    return this.prisma.uploadRule.findMany({ where: { ownerId }, orderBy: [{ createdAt: 'asc' }, { id: 'asc' }] });
  }

  findOwned(ownerId: string, id: string): Promise<UploadRuleRecord | null> {
    return this.prisma.uploadRule.findFirst({ where: { ownerId, id } });
  }

  count(ownerId: string): Promise<number> {
    return this.prisma.uploadRule.count({ where: { ownerId } });
  }

  create(rule: NewUploadRule): Promise<UploadRuleRecord> {
    return this.prisma.uploadRule.create({ data: rule });
  }

  /** False when there was no such rule of the owner's. */
  async delete(ownerId: string, id: string): Promise<boolean> {
    return (await this.prisma.uploadRule.deleteMany({ where: { ownerId, id } })).count > 0;
  }
}
