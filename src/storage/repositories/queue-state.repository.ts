/** Operators' pause switches of the work queues (`maskgraph queue pause | resume`); see QueueState in schema.prisma. */
import type { PrismaClient } from '../database.js';

export interface QueuePause {
  pausedAt: Date;
  pausedBy: string | null;
}

export class QueueStateRepository {
  constructor(private readonly prisma: PrismaClient) {}

  /** Read before every job a worker takes: one primary-key lookup. */
  async isPaused(queue: string): Promise<boolean> {
    const row = await this.prisma.queueState.findUnique({ where: { queue }, select: { pausedAt: true } });
    return row?.pausedAt != null;
  }

  async pauses(): Promise<Map<string, QueuePause>> {
    const rows = await this.prisma.queueState.findMany({ where: { pausedAt: { not: null } } });
    return new Map(rows.map((row) => [row.queue, { pausedAt: row.pausedAt!, pausedBy: row.pausedBy }]));
  }

  /** Keeps the first pause's time and author when the queue is paused already. */
  async pause(queue: string, by: string | null): Promise<void> {
    await this.prisma.$transaction([
      this.prisma.queueState.upsert({ where: { queue }, create: { queue }, update: {} }),
      this.prisma.queueState.updateMany({ where: { queue, pausedAt: null }, data: { pausedAt: new Date(), pausedBy: by } }),
    ]);
  }

  async resume(queue: string): Promise<void> {
    await this.prisma.queueState.updateMany({ where: { queue }, data: { pausedAt: null, pausedBy: null } });
  }
}
