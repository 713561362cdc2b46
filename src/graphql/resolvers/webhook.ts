import { parsePageSize, parseUuid } from '../../assets/asset-input.js';
import { inputError } from '../../errors.js';
import type { WebhookEventType } from '../../webhooks/webhook.service.js';
import type { MutationResolvers, QueryResolvers, WebhookDeliveryResolvers, WebhookEvent, WebhookResolvers } from '../generated/resolvers.js';

/** The schema's enum and the body's `type`, both ways. */
const TYPE_OF: Record<WebhookEvent, WebhookEventType> = {
  ASSET_CREATED: 'asset.created',
  SEGMENTATION_SUCCEEDED: 'segmentation.succeeded',
  SEGMENTATION_FAILED: 'segmentation.failed',
  MASK_CORRECTED: 'mask.corrected',
  BATCH_FINISHED: 'batch.finished',
  RENDITION_READY: 'rendition.ready',
};
const EVENT_OF = new Map(Object.entries(TYPE_OF).map(([event, type]) => [type as string, event as WebhookEvent]));

/** Webhook and delivery ids. */
const parseId = (id: string, field: string) => parseUuid(id, field, 'an id');

/** The longest rotation grace period: a week. */
const MAX_GRACE_SECONDS = 7 * 24 * 3600;

export const Webhook: WebhookResolvers = {
  events: (webhook) => webhook.events.flatMap((type) => EVENT_OF.get(type) ?? []),
};

export const WebhookDelivery: WebhookDeliveryResolvers = {
  nextAttemptAt: (delivery) => delivery.attempts.find((attempt) => attempt.status === 'SCHEDULED')?.scheduledAt ?? null,
};

export const webhookQueries: Pick<QueryResolvers, 'webhooks' | 'webhookDeliveries'> = {
  webhooks: (_parent, _args, { owner, services }) => services.webhooks.list(owner.id),
  webhookDeliveries: (_parent, { webhookId, first, after }, { owner, services }) =>
    services.webhooks.deliveries(owner.id, parseId(webhookId, 'webhookId'), parsePageSize(first ?? 20), after ? parseId(after, 'after') : undefined),
};

export const webhookMutations: Pick<MutationResolvers, 'createWebhook' | 'rotateWebhookSecret' | 'enableWebhook' | 'deleteWebhook'> = {
  createWebhook: (_parent, { input }, { owner, services }) =>
    services.webhooks.create(owner.id, { url: input.url, events: input.events.map((event) => TYPE_OF[event]), description: input.description ?? null }),
  rotateWebhookSecret: (_parent, { id, graceSeconds }, { owner, services }) => {
    const grace = graceSeconds ?? 86_400;
    if (!Number.isInteger(grace) || grace < 0 || grace > MAX_GRACE_SECONDS)
      throw inputError('graceSeconds', `a whole number from 0 to ${MAX_GRACE_SECONDS}`, grace);
    return services.webhooks.rotate(owner.id, parseId(id, 'id'), grace);
  },
  enableWebhook: (_parent, { id }, { owner, services }) => services.webhooks.enable(owner.id, parseId(id, 'id')),
  deleteWebhook: async (_parent, { id }, { owner, services }) => {
    await services.webhooks.delete(owner.id, parseId(id, 'id'));
    return true;
  },
};
