/** Evaluation rows and their per-asset items. Reads are scoped to an owner. */
import type { Prisma } from '../generated/prisma/client.js';
import type { PrismaClient } from '../database.js';
import type { EvaluationItemRecord, EvaluationRecord } from '../records.js';

export type ItemOrder = 'HCE_DESC' | 'HCE_ASC' | 'MAE_DESC';

export class EvaluationRepository {
  constructor(private readonly prisma: PrismaClient) {}

  create(ownerId: string, models: string[], filter: Prisma.InputJsonValue): Promise<EvaluationRecord> {
    return this.prisma.evaluation.create({ data: { ownerId, models, filter } });
  }

  findById(id: string): Promise<EvaluationRecord | null> {
    return this.prisma.evaluation.findUnique({ where: { id } });
  }

  findOwned(ownerId: string, id: string): Promise<EvaluationRecord | null> {
    return this.prisma.evaluation.findFirst({ where: { id, ownerId } });
  }

  list(ownerId: string, first: number): Promise<EvaluationRecord[]> {
    return this.prisma.evaluation.findMany({ where: { ownerId }, orderBy: [{ createdAt: 'desc' }, { id: 'desc' }], take: first });
  }

  update(id: string, data: Prisma.EvaluationUpdateInput): Promise<EvaluationRecord> {
    return this.prisma.evaluation.update({ where: { id }, data });
  }

  addItem(item: Omit<EvaluationItemRecord, 'id'>): Promise<EvaluationItemRecord> {
    return this.prisma.evaluationItem.create({ data: item });
  }

  items(evaluationId: string, order: ItemOrder, modelId: string | undefined): Promise<EvaluationItemRecord[]> {
    const orderBy: Prisma.EvaluationItemOrderByWithRelationInput[] =
      order === 'HCE_ASC' ? [{ hce: 'asc' }, { id: 'asc' }] : order === 'MAE_DESC' ? [{ mae: 'desc' }, { id: 'asc' }] : [{ hce: 'desc' }, { id: 'asc' }];
    return this.prisma.evaluationItem.findMany({ where: { evaluationId, ...(modelId ? { modelId } : {}) }, orderBy });
  }

  /** Rows a previous process left unfinished. */
  unfinished(): Promise<EvaluationRecord[]> {
    return this.prisma.evaluation.findMany({ where: { status: { in: ['QUEUED', 'RUNNING'] } } });
  }
}
