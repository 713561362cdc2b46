/** Webhooks, their deliveries (one per event and webhook) and each delivery's attempts. */
import type { PrismaClient } from '../database.js';
import type { SegmentationRecord, WebhookAttemptRecord, WebhookDeliveryRecord, WebhookRecord } from '../records.js';

export type DeliveryWithAttempts = WebhookDeliveryRecord & { attempts: WebhookAttemptRecord[] };

/** What a worker needs to make an attempt. */
export type AttemptToRun = WebhookAttemptRecord & { delivery: WebhookDeliveryRecord & { webhook: WebhookRecord } };

export interface AttemptOutcome {
  status: 'SUCCEEDED' | 'FAILED' | 'SKIPPED';
  attemptedAt: Date;
  durationMs: number | null;
  responseStatus: number | null;
  error: string | null;
}

export class WebhookRepository {
  constructor(private readonly prisma: PrismaClient) {}

  create(webhook: { ownerId: string; url: string; events: string[]; description: string | null; secret: string }): Promise<WebhookRecord> {
    return this.prisma.webhook.create({ data: webhook });
  }

  countForOwner(ownerId: string): Promise<number> {
    return this.prisma.webhook.count({ where: { ownerId } });
  }

  listForOwner(ownerId: string): Promise<WebhookRecord[]> {
    return this.prisma.webhook.findMany({ where: { ownerId }, orderBy: { createdAt: 'asc' } });
  }

  findOwned(ownerId: string, id: string): Promise<WebhookRecord | null> {
    return this.prisma.webhook.findFirst({ where: { id, ownerId } });
  }

  /** The new key signs from now on; the old one beside it until `previousExpiresAt`. */
  rotate(id: string, secret: string, previous: string, previousExpiresAt: Date): Promise<WebhookRecord> {
    return this.prisma.webhook.update({ where: { id }, data: { secret, previousSecret: previous, previousSecretExpiresAt: previousExpiresAt } });
  }

  /** Its deliveries and their scheduled attempts go with it (a queued attempt then finds nothing and ends). */
  async delete(ownerId: string, id: string): Promise<boolean> {
    return (await this.prisma.webhook.deleteMany({ where: { id, ownerId } })).count > 0;
  }

  enable(id: string): Promise<WebhookRecord> {
    return this.prisma.webhook.update({ where: { id }, data: { disabledAt: null, disabledReason: null, consecutiveFailures: 0 } });
  }

  /**
   * One delivery per enabled webhook of the owner that wants `type`, each with its first
   * attempt scheduled now; an event key seen before adds nothing. The new attempts' ids.
   */
  async addDeliveries(ownerId: string, event: { type: string; key: string; body: string }): Promise<string[]> {
    const hooks = await this.prisma.webhook.findMany({ where: { ownerId, disabledAt: null, events: { has: event.type } }, select: { id: true } });
    if (hooks.length === 0) return [];
    return this.prisma.$transaction(async (tx) => {
      const deliveries = await tx.webhookDelivery.createManyAndReturn({
        data: hooks.map((hook) => ({ webhookId: hook.id, eventKey: event.key, type: event.type, body: event.body })),
        skipDuplicates: true,
        select: { id: true },
      });
      const scheduledAt = new Date();
      const attempts = await tx.webhookAttempt.createManyAndReturn({
        data: deliveries.map((delivery) => ({ deliveryId: delivery.id, number: 1, scheduledAt })),
        select: { id: true },
      });
      return attempts.map((attempt) => attempt.id);
    });
  }

  findAttempt(id: string): Promise<AttemptToRun | null> {
    return this.prisma.webhookAttempt.findUnique({ where: { id }, include: { delivery: { include: { webhook: true } } } });
  }

  /** Fills in a scheduled attempt; false when it was filled in already (a repeated delivery of its job). */
  async finishAttempt(id: string, outcome: AttemptOutcome): Promise<boolean> {
    return (await this.prisma.webhookAttempt.updateMany({ where: { id, status: 'SCHEDULED' }, data: outcome })).count > 0;
  }

  async scheduleAttempt(deliveryId: string, number: number, scheduledAt: Date): Promise<string> {
    const attempt = await this.prisma.webhookAttempt.upsert({
      where: { deliveryId_number: { deliveryId, number } },
      create: { deliveryId, number, scheduledAt },
      update: {},
      select: { id: true },
    });
    return attempt.id;
  }

  async settleDelivery(id: string, status: 'DELIVERED' | 'FAILED'): Promise<void> {
    await this.prisma.webhookDelivery.updateMany({ where: { id, status: 'PENDING' }, data: { status } });
  }

  async recordSuccess(webhookId: string): Promise<void> {
    await this.prisma.webhook.updateMany({ where: { id: webhookId, consecutiveFailures: { gt: 0 } }, data: { consecutiveFailures: 0 } });
  }

  /** Counts a failed attempt; at `disableAfter` in a row the webhook is disabled. Whether it is disabled now. */
  async recordFailure(webhookId: string, disableAfter: number, reason: string): Promise<boolean> {
    const counted = await this.prisma.webhook.update({ where: { id: webhookId }, data: { consecutiveFailures: { increment: 1 } } }).catch(() => null);
    if (!counted) return true; // deleted meanwhile
    if (counted.disabledAt) return true;
    if (counted.consecutiveFailures < disableAfter) return false;
    await this.prisma.webhook.updateMany({
      where: { id: webhookId, disabledAt: null },
      data: { disabledAt: new Date(), disabledReason: `${counted.consecutiveFailures} failed attempts in a row; the last: ${reason}`.slice(0, 500) },
    });
    return true;
  }

  /** Scheduled attempts with their owner (a start re-sends their jobs: a send lost to a crash is made again). */
  /**
   * Segmentations that ended since `since` whose event (`eventOf`: its type and stored key)
   * some live webhook of their owner, subscribed to it before it happened, has no delivery
   * of: owners with such webhooks, their runs, then those runs' deliveries.
   */
  async endedSegmentationsWithoutDelivery(
    since: Date,
    limit: number,
    eventOf: (row: SegmentationRecord) => { type: string; storedKey: string } | undefined,
  ): Promise<SegmentationRecord[]> {
    const hooks = await this.prisma.webhook.findMany({
      where: { disabledAt: null, events: { hasSome: ['segmentation.succeeded', 'segmentation.failed'] } },
      select: { id: true, ownerId: true, events: true, createdAt: true },
    });
    if (hooks.length === 0) return [];
    const ended = (
      await this.prisma.segmentation.findMany({
        where: { ownerId: { in: [...new Set(hooks.map((hook) => hook.ownerId))] }, status: { in: ['SUCCEEDED', 'FAILED'] }, finishedAt: { gte: since } },
        orderBy: { finishedAt: 'asc' },
        take: limit,
      })
    ).flatMap((row) => {
      const event = eventOf(row);
      return event ? [{ row, ...event }] : [];
    });
    const delivered = new Set(
      (
        await this.prisma.webhookDelivery.findMany({
          where: { webhookId: { in: hooks.map((hook) => hook.id) }, eventKey: { in: ended.map((event) => event.storedKey) } },
          select: { webhookId: true, eventKey: true },
        })
      ).map((delivery) => `${delivery.webhookId} ${delivery.eventKey}`),
    );
    return ended
      .filter(({ row, type, storedKey }) =>
        hooks.some(
          (hook) =>
            hook.ownerId === row.ownerId && hook.events.includes(type) && hook.createdAt <= row.finishedAt! && !delivered.has(`${hook.id} ${storedKey}`),
        ),
      )
      .map(({ row }) => row);
  }

  async scheduledAttempts(limit: number): Promise<{ id: string; scheduledAt: Date; ownerId: string }[]> {
    const rows = await this.prisma.webhookAttempt.findMany({
      where: { status: 'SCHEDULED' },
      select: { id: true, scheduledAt: true, delivery: { select: { webhook: { select: { ownerId: true } } } } },
      orderBy: { scheduledAt: 'asc' },
      take: limit,
    });
    return rows.map((row) => ({ id: row.id, scheduledAt: row.scheduledAt, ownerId: row.delivery.webhook.ownerId }));
  }

  /** A webhook's deliveries, newest first, each with its attempts in order. */
  deliveries(webhookId: string, first: number, after: string | undefined): Promise<DeliveryWithAttempts[]> {
    return this.prisma.webhookDelivery.findMany({
      where: { webhookId, ...(after ? { id: { lt: after } } : {}) },
      include: { attempts: { orderBy: { number: 'asc' } } },
      orderBy: { id: 'desc' },
      take: first,
    });
  }
}
