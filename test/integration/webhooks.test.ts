/**
 * Webhooks (issue 24 §2) against a real receiver on 127.0.0.1, every delivery verified with
 * the `standardwebhooks` npm package (a verifier nobody here wrote): events from uploads and
 * model runs arrive signed; a receiver answering 500 twice then 200 gets three attempts with
 * growing delays, all recorded, under one webhook-id; a redirect is not followed; private
 * destinations are refused without WEBHOOK_ALLOWED_HOSTS, at creation and again at connect
 * time; repeated failures disable the webhook visibly; a rotated secret signs beside the old.
 */
import assert from 'node:assert/strict';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { Webhook as Verifier } from 'standardwebhooks';
import { Client, errorCode, uniqueJpeg } from '../helpers/client.js';
import { DATABASE_TARGETS } from '../helpers/database-targets.js';
import { startTestGateway, type TestGateway } from '../helpers/gateway.js';

interface Received {
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
  atMs: number;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A receiver whose answers are scripted per path: each request takes the next status (the last repeats). */
async function startReceiver(script: Record<string, number[]>): Promise<{ server: Server; url: string; received: Received[] }> {
  const received: Received[] = [];
  const served = new Map<string, number>();
  const server = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk.toString()));
    request.on('end', () => {
      const path = request.url ?? '/';
      received.push({ path, headers: request.headers, body, atMs: performance.now() });
      const statuses = script[path] ?? [200];
      const count = served.get(path) ?? 0;
      served.set(path, count + 1);
      const status = statuses[Math.min(count, statuses.length - 1)]!;
      response.writeHead(status, status >= 300 && status < 400 ? { location: '/ok' } : {}).end('ok');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, received };
}

const WEBHOOK = 'id url events description disabledAt disabledReason consecutiveFailures previousSecretExpiresAt';
const DELIVERIES = 'id type status nextAttemptAt attempts { number status scheduledAt attemptedAt durationMs responseStatus error }';

interface Delivery {
  id: string;
  type: string;
  status: string;
  attempts: { number: number; status: string; scheduledAt: string; durationMs: number | null; responseStatus: number | null; error: string | null }[];
}

for (const target of DATABASE_TARGETS) {
  describe(`webhooks on ${target.name}`, { skip: target.skipReason }, () => {
    let gateway: TestGateway;
    let client: Client;
    let receiver: Awaited<ReturnType<typeof startReceiver>>;
    const settings = {
      WEBHOOK_ALLOWED_HOSTS: '127.0.0.1,localhost',
      WEBHOOK_RETRY_BASE_SECONDS: '1',
      WEBHOOK_MAX_ATTEMPTS: '3',
      WEBHOOK_DISABLE_AFTER_FAILURES: '4',
      QUEUE_POLL_SECONDS: '0.5',
    };

    before(async () => {
      receiver = await startReceiver({ '/flaky': [500, 500, 200], '/redirect': [302], '/broken': [500] });
      gateway = await startTestGateway(target, settings);
      client = new Client(gateway.url, (await gateway.newOwner('hooks')).key);
    });
    after(async () => {
      await gateway?.dispose();
      receiver?.server.close();
    });

    /** A webhook to `path` on the receiver, by its address or (`host`) another name for it. */
    const create = async (path: string, events: string[], host = '127.0.0.1') => {
      const answer = await client.query<{ createWebhook: { webhook: { id: string }; secret: string } }>(
        `mutation($input: CreateWebhookInput!) { createWebhook(input: $input) { webhook { ${WEBHOOK} } secret } }`,
        { input: { url: `${receiver.url.replace('127.0.0.1', host)}${path}`, events } },
      );
      assert.equal(answer.errors, undefined, JSON.stringify(answer.errors));
      return answer.data!.createWebhook;
    };
    const deliveries = async (webhookId: string): Promise<Delivery[]> => {
      const answer = await client.query<{ webhookDeliveries: Delivery[] }>(`query($id: ID!) { webhookDeliveries(webhookId: $id) { ${DELIVERIES} } }`, {
        id: webhookId,
      });
      assert.equal(answer.errors, undefined, JSON.stringify(answer.errors));
      return answer.data!.webhookDeliveries;
    };
    const until = async <T>(read: () => Promise<T>, done: (value: T) => boolean, what: string): Promise<T> => {
      for (let polls = 0; polls < 300; polls += 1) {
        const value = await read();
        if (done(value)) return value;
        await sleep(100);
      }
      assert.fail(`timed out waiting for ${what}: ${JSON.stringify(await read())}`);
    };
    const upload = async () => ((await client.upload(await uniqueJpeg(64, 48), { selection: 'id' })).data!.uploadAsset as { id: string }).id;
    const arrivals = (path: string) => receiver.received.filter((request) => request.path === path);
    /** The verifier's own check of the signature and timestamp; the parsed body. */
    const verify = (secret: string, request: Received) =>
      new Verifier(secret).verify(request.body, request.headers as Record<string, string>) as {
        type: string;
        timestamp: string;
        data: Record<string, { id: string }>;
      };

    test('events arrive signed as Standard Webhooks says: an upload, then a model run', async () => {
      const { webhook, secret } = await create('/ok', ['ASSET_CREATED', 'SEGMENTATION_SUCCEEDED']);
      assert.match(secret, /^whsec_[A-Za-z0-9+/]+=*$/, 'the whsec_ form');
      const assetId = await upload();
      const [created] = await until(
        async () => arrivals('/ok'),
        (list) => list.length >= 1,
        'asset.created',
      );
      const body = verify(secret, created!);
      assert.equal(body.type, 'asset.created');
      assert.equal(body.data.asset!.id, assetId);
      assert.throws(
        () => new Verifier(`whsec_${Buffer.alloc(24, 7).toString('base64')}`).verify(created!.body, created!.headers as Record<string, string>),
        'another key fails',
      );

      const run = await client.query('mutation($id: ID!) { segmentAsset(input: { assetId: $id, model: "u2netp", wait: true }) { id status } }', {
        id: assetId,
      });
      assert.equal(run.errors, undefined, JSON.stringify(run.errors));
      const finished = await until(
        async () => arrivals('/ok'),
        (list) => list.length >= 2,
        'segmentation.succeeded',
      );
      const succeeded = verify(secret, finished[1]!);
      assert.equal(succeeded.type, 'segmentation.succeeded');
      assert.equal(succeeded.data.segmentation!.id, (run.data.segmentAsset as { id: string }).id);

      const listed = await deliveries(webhook.id);
      assert.deepEqual(
        listed.map((delivery) => [delivery.type, delivery.status, delivery.attempts.length]),
        [
          ['segmentation.succeeded', 'DELIVERED', 1],
          ['asset.created', 'DELIVERED', 1],
        ],
      );
      assert.equal(listed[1]!.id, created!.headers['webhook-id'], 'the delivery id is the webhook-id');
      await client.query('mutation($id: ID!) { deleteWebhook(id: $id) }', { id: webhook.id });
    });

    test("a model run's event lost to a crash after the row's commit is recorded at the next worker start, once", async () => {
      const { webhook, secret } = await create('/lost', ['SEGMENTATION_SUCCEEDED']);
      const assetId = await upload();
      const run = await client.query('mutation($id: ID!) { segmentAsset(input: { assetId: $id, model: "u2netp", wait: true }) { id status } }', {
        id: assetId,
      });
      assert.equal(run.data?.segmentAsset.status, 'SUCCEEDED', JSON.stringify(run));
      await until(
        async () => arrivals('/lost'),
        (list) => list.length === 1,
        'the first delivery',
      );
      // As if the worker had died between the row's commit and recording the event: no delivery.
      await gateway.database.prisma.webhookDelivery.deleteMany({ where: { webhookId: webhook.id } });
      gateway = await gateway.restart();
      client = client.withBaseUrl(gateway.url);
      const [, again] = await until(
        async () => arrivals('/lost'),
        (list) => list.length === 2,
        'the recovered delivery',
      );
      const body = verify(secret, again!);
      assert.deepEqual([body.type, body.data.segmentation!.id], ['segmentation.succeeded', run.data.segmentAsset.id]);
      // Another start finds it recorded: nothing more.
      gateway = await gateway.restart();
      client = client.withBaseUrl(gateway.url);
      assert.deepEqual(
        (await deliveries(webhook.id)).map((delivery) => [delivery.type, delivery.status]),
        [['segmentation.succeeded', 'DELIVERED']],
      );
      await client.query('mutation($id: ID!) { deleteWebhook(id: $id) }', { id: webhook.id });
    });

    test('500, 500, 200: three attempts under one webhook-id, each delay longer, every attempt recorded', async () => {
      const { webhook, secret } = await create('/flaky', ['ASSET_CREATED']);
      await upload();
      const [delivery] = await until(
        () => deliveries(webhook.id),
        (list) => list[0]?.status !== 'PENDING' && list.length === 1,
        'the delivery to settle',
      );
      assert.equal(delivery!.status, 'DELIVERED');
      assert.deepEqual(
        delivery!.attempts.map((attempt) => [attempt.number, attempt.status, attempt.responseStatus]),
        [
          [1, 'FAILED', 500],
          [2, 'FAILED', 500],
          [3, 'SUCCEEDED', 200],
        ],
      );
      assert.ok(
        delivery!.attempts.every((attempt) => attempt.durationMs !== null && attempt.durationMs >= 0),
        'each attempt has its duration',
      );
      const [first, second, third] = delivery!.attempts.map((attempt) => Date.parse(attempt.scheduledAt));
      assert.ok(third! - second! > second! - first!, `the delays grow: ${second! - first!} ms then ${third! - second!} ms`);

      const calls = arrivals('/flaky');
      assert.equal(calls.length, 3, 'three requests reached the receiver');
      assert.equal(new Set(calls.map((call) => call.headers['webhook-id'])).size, 1, 'one webhook-id on every retry');
      for (const call of calls) assert.equal(verify(secret, call).type, 'asset.created');
      assert.ok(calls[2]!.atMs - calls[1]!.atMs > calls[1]!.atMs - calls[0]!.atMs, 'the receiver saw the waits grow');
      await client.query('mutation($id: ID!) { deleteWebhook(id: $id) }', { id: webhook.id });
    });

    test('a redirect is not followed, and not retried', async () => {
      const { webhook } = await create('/redirect', ['ASSET_CREATED']);
      const before = arrivals('/ok').length;
      await upload();
      const [delivery] = await until(
        () => deliveries(webhook.id),
        (list) => list[0]?.status === 'FAILED',
        'the delivery to fail',
      );
      assert.deepEqual(
        delivery!.attempts.map((attempt) => [attempt.status, attempt.responseStatus]),
        [['FAILED', 302]],
      );
      assert.match(delivery!.attempts[0]!.error!, /redirect/);
      assert.equal(arrivals('/ok').length, before, 'the Location was never requested');
      await client.query('mutation($id: ID!) { deleteWebhook(id: $id) }', { id: webhook.id });
    });

    test('private, loopback, link-local and metadata destinations are refused unless allowed', async () => {
      for (const url of [
        'http://10.1.2.3/hook',
        'http://169.254.169.254/latest/meta-data/',
        'http://[::1]:9/hook',
        'http://[::ffff:7f00:1]/hook',
        'http://192.168.0.10/hook',
        'http://100.64.0.1/hook',
        'ftp://example.com/hook',
        'http://user:pass@127.0.0.1/hook',
      ]) {
        const answer = await client.query('mutation($input: CreateWebhookInput!) { createWebhook(input: $input) { secret } }', {
          input: { url, events: ['ASSET_CREATED'] },
        });
        assert.equal(errorCode(answer), 'BAD_USER_INPUT', `${url}: ${JSON.stringify(answer.errors)}`);
      }
    });

    test('the check repeats at connect time: a host no longer allowed gets nothing', async () => {
      const { webhook } = await create('/late', ['ASSET_CREATED'], 'localhost');
      gateway = await gateway.restart({ ...settings, WEBHOOK_ALLOWED_HOSTS: '127.0.0.1' });
      client = client.withBaseUrl(gateway.url);
      await upload();
      const [delivery] = await until(
        () => deliveries(webhook.id),
        (list) => list[0]?.status === 'FAILED',
        'the delivery to be refused',
      );
      assert.equal(delivery!.attempts.length, 1, 'a refused destination is not retried');
      assert.match(delivery!.attempts[0]!.error!, /private or reserved/);
      assert.equal(arrivals('/late').length, 0, 'nothing reached it');
      gateway = await gateway.restart(settings);
      client = client.withBaseUrl(gateway.url);
      await client.query('mutation($id: ID!) { deleteWebhook(id: $id) }', { id: webhook.id });
    });

    test('repeated failures disable the webhook, visibly; enableWebhook turns it back on', async () => {
      const { webhook } = await create('/broken', ['ASSET_CREATED']);
      await upload();
      await upload();
      const read = async () =>
        (
          await client.query<{ webhooks: { id: string; disabledAt: string | null; disabledReason: string | null; consecutiveFailures: number }[] }>(
            `{ webhooks { ${WEBHOOK} } }`,
          )
        ).data!.webhooks.find((hook) => hook.id === webhook.id)!;
      const disabled = await until(read, (hook) => hook.disabledAt !== null, 'the webhook to be disabled');
      assert.equal(disabled.consecutiveFailures, 4);
      assert.match(disabled.disabledReason!, /4 failed attempts in a row/);
      await until(
        () => deliveries(webhook.id),
        (list) => list.every((delivery) => delivery.status === 'FAILED'),
        'both deliveries to end',
      );
      const attempts = (await deliveries(webhook.id)).flatMap((delivery) => delivery.attempts);
      assert.equal(attempts.filter((attempt) => attempt.status === 'FAILED').length, 4, 'no attempt after the fourth failure');
      const calls = arrivals('/broken').length;
      await upload();
      await sleep(1500);
      assert.equal(arrivals('/broken').length, calls, 'a disabled webhook gets no new delivery');

      const enabled = await client.query<{ enableWebhook: { disabledAt: string | null; consecutiveFailures: number } }>(
        `mutation($id: ID!) { enableWebhook(id: $id) { ${WEBHOOK} } }`,
        { id: webhook.id },
      );
      assert.deepEqual(enabled.data!.enableWebhook.disabledAt, null);
      assert.equal(enabled.data!.enableWebhook.consecutiveFailures, 0);
      await client.query('mutation($id: ID!) { deleteWebhook(id: $id) }', { id: webhook.id });
    });

    test('a rotated secret signs beside the old one during the grace period', async () => {
      const { webhook, secret: old } = await create('/rotated', ['ASSET_CREATED']);
      const rotated = await client.query<{ rotateWebhookSecret: { secret: string; webhook: { previousSecretExpiresAt: string } } }>(
        `mutation($id: ID!) { rotateWebhookSecret(id: $id, graceSeconds: 3600) { secret webhook { ${WEBHOOK} } } }`,
        { id: webhook.id },
      );
      assert.equal(rotated.errors, undefined, JSON.stringify(rotated.errors));
      const fresh = rotated.data!.rotateWebhookSecret.secret;
      assert.notEqual(fresh, old);
      await upload();
      const [call] = await until(
        async () => arrivals('/rotated'),
        (list) => list.length >= 1,
        'a delivery',
      );
      assert.equal(String(call!.headers['webhook-signature']).split(' ').length, 2, 'two signatures');
      assert.equal(verify(fresh, call!).type, 'asset.created', 'the new secret verifies');
      assert.equal(verify(old, call!).type, 'asset.created', 'the old one still does');
      const deleted = await client.query('mutation($id: ID!) { deleteWebhook(id: $id) }', { id: webhook.id });
      assert.equal(deleted.data.deleteWebhook, true);
      const listed = await client.query<{ webhooks: unknown[] }>('{ webhooks { id } }');
      assert.deepEqual(listed.data!.webhooks, [], 'every webhook of this owner deleted');
    });
  });
}
