/**
 * Webhooks: an owner's endpoints told of events (an asset created, a segmentation ended, a
 * mask corrected, a batch finished, a queued render ready) in the Standard Webhooks format.
 *
 * An event becomes one delivery per webhook that wants it (its id is the `webhook-id` every
 * attempt carries) with a first attempt; each attempt is a job on the webhook queue, so
 * workers deliver at least once. A failed attempt is retried with exponential back-off only
 * when it may succeed later (a timeout, a broken connection, 408, 429, 5xx); after
 * WEBHOOK_DISABLE_AFTER_FAILURES failed attempts in a row the webhook is disabled, with the
 * reason on it, until `enableWebhook`.
 */
import { AppError } from '../errors.js';
import type { JobQueue } from '../jobs/job-queue.js';
import type { Logger } from '../lib/logger.js';
import type { SegmentationRecord, WebhookRecord } from '../storage/records.js';
import type { DeliveryWithAttempts, WebhookRepository } from '../storage/repositories/webhook.repository.js';
import { checkDestination, DeliveryFailed, DestinationRefused, postJson, type DestinationPolicy } from './destination.js';
import { newSecret, signatureHeader } from './signature.js';

/** The event types, as the `type` of each body. */
export const WEBHOOK_EVENT_TYPES = [
  'asset.created',
  'segmentation.succeeded',
  'segmentation.failed',
  'mask.corrected',
  'batch.finished',
  'rendition.ready',
] as const;
export type WebhookEventType = (typeof WEBHOOK_EVENT_TYPES)[number];

/** What the services that make events hold: `emit` never throws. */
export interface WebhookNotifier {
  emit(ownerId: string, type: WebhookEventType, key: string, data: Record<string, unknown>): Promise<void>;
}

/** A delivery's event key as stored: unique per webhook, so an event recorded twice is delivered once. */
function storedKey(type: WebhookEventType, key: string): string {
  return `${type}:${key}`;
}

/** The event of a segmentation that ended (SUCCEEDED or FAILED): its type, de-duplication key and data. */
export function segmentationEnded(
  record: Pick<SegmentationRecord, 'id' | 'assetId' | 'modelId' | 'status' | 'errorCode' | 'errorMessage' | 'finishedAt'>,
): { type: WebhookEventType; key: string; data: Record<string, unknown> } | undefined {
  if (record.status !== 'SUCCEEDED' && record.status !== 'FAILED') return undefined;
  return {
    type: record.status === 'SUCCEEDED' ? 'segmentation.succeeded' : 'segmentation.failed',
    key: `${record.id}:${record.finishedAt?.toISOString()}`,
    data: {
      segmentation: {
        id: record.id,
        assetId: record.assetId,
        model: record.modelId,
        status: record.status,
        errorCode: record.errorCode,
        errorMessage: record.errorMessage,
        finishedAt: record.finishedAt?.toISOString() ?? null,
      },
    },
  };
}

export interface WebhookSettings extends DestinationPolicy {
  /** Each attempt, connection included. */
  timeoutMs: number;
  /** Attempts per delivery, the first included. */
  maxAttempts: number;
  /** The first retry waits this long (×1 to ×1.25); each next one twice as long. */
  retryBaseSeconds: number;
  disableAfterFailures: number;
  maxPerOwner: number;
}

/** A retry never waits longer than this, whatever a receiver's Retry-After asks. */
const MAX_RETRY_DELAY_SECONDS = 6 * 3600;
/** Bodies are built here from small records; a bigger one is a bug, not something to send. */
const MAX_BODY_BYTES = 64 * 1024;
const MAX_URL_LENGTH = 2000;
/** Scheduled attempts a start re-sends at most (the rest wait for the next start or their lease). */
const RECOVER_LIMIT = 10_000;

export class WebhookService implements WebhookNotifier {
  constructor(
    private readonly webhooks: WebhookRepository,
    private readonly queue: JobQueue,
    private readonly settings: WebhookSettings,
    private readonly logger: Logger,
  ) {}

  /**
   * @returns the webhook and its signing secret, shown this once.
   * @throws AppError BAD_USER_INPUT (url, destination, events, description, too many).
   */
  async create(
    ownerId: string,
    input: { url: string; events: WebhookEventType[]; description: string | null },
  ): Promise<{ webhook: WebhookRecord; secret: string }> {
    const events = [...new Set(input.events)];
    if (events.length === 0) throw new AppError('BAD_USER_INPUT', 'Give at least one event', { details: { field: 'events' } });
    if (input.description !== null && input.description.length > 500) {
      throw new AppError('BAD_USER_INPUT', 'The description is longer than 500 characters', { details: { field: 'description' } });
    }
    const url = await this.destination(input.url);
    if ((await this.webhooks.countForOwner(ownerId)) >= this.settings.maxPerOwner) {
      throw new AppError('BAD_USER_INPUT', `An owner has at most ${this.settings.maxPerOwner} webhooks (MAX_WEBHOOKS_PER_OWNER)`, {
        details: { field: 'url' },
      });
    }
    const secret = newSecret();
    const webhook = await this.webhooks.create({ ownerId, url: url.toString(), events, description: input.description, secret: secret.stored });
    return { webhook, secret: secret.shown };
  }

  list(ownerId: string): Promise<WebhookRecord[]> {
    return this.webhooks.listForOwner(ownerId);
  }

  /** A new secret, shown this once; the old one keeps signing beside it for `graceSeconds`. */
  async rotate(ownerId: string, id: string, graceSeconds: number): Promise<{ webhook: WebhookRecord; secret: string }> {
    const current = await this.owned(ownerId, id);
    const secret = newSecret();
    const webhook = await this.webhooks.rotate(current.id, secret.stored, current.secret, new Date(Date.now() + graceSeconds * 1000));
    return { webhook, secret: secret.shown };
  }

  async delete(ownerId: string, id: string): Promise<void> {
    if (!(await this.webhooks.delete(ownerId, id))) throw new AppError('NOT_FOUND', `No webhook with id ${id}`, { details: { id } });
  }

  /** Turns a disabled webhook back on, its failure count reset (its failed deliveries stay failed). */
  async enable(ownerId: string, id: string): Promise<WebhookRecord> {
    return this.webhooks.enable((await this.owned(ownerId, id)).id);
  }

  async deliveries(ownerId: string, id: string, first: number, after: string | undefined): Promise<DeliveryWithAttempts[]> {
    return this.webhooks.deliveries((await this.owned(ownerId, id)).id, first, after);
  }

  /**
   * Tells the owner's webhooks that want `type`; `key` names the event, so announcing it twice
   * delivers it once. Never throws: a webhook's trouble must not fail the work that made the event.
   */
  async emit(ownerId: string, type: WebhookEventType, key: string, data: Record<string, unknown>): Promise<void> {
    try {
      const body = JSON.stringify({ type, timestamp: new Date().toISOString(), data });
      if (Buffer.byteLength(body) > MAX_BODY_BYTES) throw new Error(`a ${type} body of ${Buffer.byteLength(body)} bytes`);
      for (const attemptId of await this.webhooks.addDeliveries(ownerId, { type, key: storedKey(type, key), body })) {
        await this.queue.send(attemptId, { priority: 'interactive', ownerId });
      }
    } catch (error) {
      this.logger.warn('webhook event not recorded', { type, key, error });
    }
  }

  /**
   * At a worker's start: records the deliveries of segmentations that ended in the last
   * `windowMs` whose event was never recorded. The job records it just after the row's own
   * commit, so a worker killed between the two left the row ended and no delivery; recording
   * again is harmless (deliveries are unique per webhook and event). A transactional outbox
   * would close the gap for every event; this closes it for the job's, the common one.
   */
  async recoverMissedSegmentationEvents(windowMs: number): Promise<number> {
    let recorded = 0;
    const storedEvent = (record: SegmentationRecord) => {
      const event = segmentationEnded(record);
      return event && { type: event.type, storedKey: storedKey(event.type, event.key) };
    };
    for (const record of await this.webhooks.endedSegmentationsWithoutDelivery(new Date(Date.now() - windowMs), RECOVER_LIMIT, storedEvent)) {
      const event = segmentationEnded(record);
      if (!event) continue;
      await this.emit(record.ownerId, event.type, event.key, event.data);
      recorded += 1;
    }
    return recorded;
  }

  /** At a worker's start: re-sends every scheduled attempt's job (a send lost to a crash; sending twice is harmless). */
  async recoverScheduled(): Promise<void> {
    for (const attempt of await this.webhooks.scheduledAttempts(RECOVER_LIMIT)) {
      await this.queue.send(attempt.id, { priority: 'interactive', ownerId: attempt.ownerId, startAfter: attempt.scheduledAt });
    }
  }

  /** One attempt (the webhook queue's handler): POST, record, and schedule the next one or settle. */
  async attempt(attemptId: string): Promise<void> {
    const attempt = await this.webhooks.findAttempt(attemptId);
    if (!attempt || attempt.status !== 'SCHEDULED') return; // its webhook was deleted, or a repeated job
    const { delivery } = attempt;
    const { webhook } = delivery;
    const attemptedAt = new Date();
    if (webhook.disabledAt) {
      await this.webhooks.finishAttempt(attempt.id, {
        status: 'SKIPPED',
        attemptedAt,
        durationMs: null,
        responseStatus: null,
        error: 'The webhook is disabled',
      });
      return this.webhooks.settleDelivery(delivery.id, 'FAILED');
    }
    const keys = [webhook.secret];
    if (webhook.previousSecret && webhook.previousSecretExpiresAt && webhook.previousSecretExpiresAt > attemptedAt) keys.push(webhook.previousSecret);
    const timestamp = Math.floor(attemptedAt.getTime() / 1000);
    const headers = {
      'webhook-id': delivery.id,
      'webhook-timestamp': String(timestamp),
      'webhook-signature': signatureHeader(keys, delivery.id, timestamp, delivery.body),
    };
    const started = performance.now();
    let responseStatus: number | null = null;
    let retryAfterSeconds: number | undefined;
    let error: string | null = null;
    let retryable = false;
    try {
      const result = await postJson(new URL(webhook.url), headers, delivery.body, {
        allowedHosts: this.settings.allowedHosts,
        timeoutMs: this.settings.timeoutMs,
      });
      responseStatus = result.status;
      retryAfterSeconds = result.retryAfterSeconds;
      if (result.status < 200 || result.status >= 300) {
        error = result.status >= 300 && result.status < 400 ? `HTTP ${result.status}: redirects are not followed` : `HTTP ${result.status}`;
        retryable = result.status === 408 || result.status === 429 || result.status >= 500;
      }
    } catch (failure) {
      if (!(failure instanceof DeliveryFailed)) throw failure;
      error = failure.message;
      retryable = failure.kind !== 'refused';
    }
    const durationMs = Math.round(performance.now() - started);
    const outcome = { attemptedAt, durationMs, responseStatus, error };
    if (!(await this.webhooks.finishAttempt(attempt.id, { status: error ? 'FAILED' : 'SUCCEEDED', ...outcome }))) return;
    const log = { webhookId: webhook.id, deliveryId: delivery.id, attempt: attempt.number, responseStatus, durationMs };
    if (!error) {
      this.logger.info('webhook delivered', log);
      await this.webhooks.recordSuccess(webhook.id);
      return this.webhooks.settleDelivery(delivery.id, 'DELIVERED');
    }
    const disabled = await this.webhooks.recordFailure(webhook.id, this.settings.disableAfterFailures, error);
    if (disabled) this.logger.warn('webhook disabled after repeated failures', { ...log, error });
    if (!retryable || disabled || attempt.number >= this.settings.maxAttempts) {
      this.logger.warn('webhook delivery failed', { ...log, error, retryable });
      return this.webhooks.settleDelivery(delivery.id, 'FAILED');
    }
    const backoff = this.settings.retryBaseSeconds * 2 ** (attempt.number - 1) * (1 + Math.random() / 4);
    const delaySeconds = Math.min(MAX_RETRY_DELAY_SECONDS, Math.max(backoff, retryAfterSeconds ?? 0));
    const startAfter = new Date(Date.now() + delaySeconds * 1000);
    const next = await this.webhooks.scheduleAttempt(delivery.id, attempt.number + 1, startAfter);
    await this.queue.send(next, { priority: 'interactive', ownerId: webhook.ownerId, startAfter });
    this.logger.info('webhook attempt failed; retrying', { ...log, error, nextAttemptAt: startAfter.toISOString() });
  }

  private async destination(raw: string): Promise<URL> {
    if (raw.length > MAX_URL_LENGTH) throw new AppError('BAD_USER_INPUT', `The url is longer than ${MAX_URL_LENGTH} characters`, { details: { field: 'url' } });
    try {
      return await checkDestination(raw, this.settings);
    } catch (error) {
      if (error instanceof DestinationRefused) throw new AppError('BAD_USER_INPUT', error.message, { details: { field: 'url' } });
      throw error;
    }
  }

  private async owned(ownerId: string, id: string): Promise<WebhookRecord> {
    const webhook = await this.webhooks.findOwned(ownerId, id);
    if (!webhook) throw new AppError('NOT_FOUND', `No webhook with id ${id}`, { details: { id } });
    return webhook;
  }
}
