/**
 * The pg-boss queue where instances meet: several starting at once on a database whose
 * queues do not exist yet (PostgreSQL makes one of two colliding creations a deadlock
 * victim; the CI run that showed it had a gateway exit at start); and jobs taken in turn
 * across owners.
 */
import assert from 'node:assert/strict';
import { randomBytes, randomUUID } from 'node:crypto';
import { test } from 'node:test';
import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import { PgBossJobQueue, RENDER_QUEUE, REVIEW_PRIORITY_QUEUE } from '../../src/jobs/pg-boss-queue.js';
import { createLogger } from '../../src/lib/logger.js';
import { splitSchema, type DatabaseConnection } from '../../src/storage/database.js';
import { skipUnlessRequired } from '../helpers/required-suites.js';

const TEST_DATABASE_URL = process.env.TEST_DATABASE_URL;
const SKIP = skipUnlessRequired('the PostgreSQL queue run', TEST_DATABASE_URL ? undefined : 'set TEST_DATABASE_URL (CI does)');

test('four instances starting at once on a new database all open every queue', { skip: SKIP, timeout: 120_000 }, async () => {
  const schema = `mg_queue_${randomBytes(5).toString('hex')}`;
  const admin = new pg.Client({ connectionString: TEST_DATABASE_URL });
  await admin.connect();
  try {
    for (let round = 0; round < 3; round += 1) {
      await admin.query(`DROP SCHEMA IF EXISTS "${schema}_pgboss" CASCADE`);
      const { connectionString } = splitSchema(TEST_DATABASE_URL!);
      const connection = { kind: 'postgresql' as const, connectionString, schema };
      const options = { leaseSeconds: 30, maxDeliveries: 3, pollingIntervalSeconds: 1, setsSharedSettings: true };
      const opened = await Promise.allSettled(
        Array.from({ length: 4 }, async () => {
          const queue = await PgBossJobQueue.open(connection, options, createLogger('error'));
          try {
            await queue.besides(RENDER_QUEUE);
            await queue.besides(REVIEW_PRIORITY_QUEUE);
            return queue;
          } catch (error) {
            await queue.stop(); // a pg-boss left running keeps the test process alive after a failure
            throw error;
          }
        }),
      );
      for (const result of opened) if (result.status === 'fulfilled') await result.value.stop();
      assert.deepEqual(
        opened.map((result) => (result.status === 'rejected' ? String(result.reason) : 'opened')),
        ['opened', 'opened', 'opened', 'opened'],
        `round ${round}`,
      );
    }
  } finally {
    await admin.query(`DROP SCHEMA IF EXISTS "${schema}_pgboss" CASCADE`);
    await admin.end();
  }
});

/**
 * Fair by owner: one worker slot runs owner A's first job while A has 11 more waiting; then
 * owner B sends one, A one more, B another, and a batch job comes. B's first job must run
 * right after A's running one (in arrival order it would be 13th), then the owners take
 * turns, and the batch job waits behind every interactive one.
 */
async function fairnessRun(connection: DatabaseConnection): Promise<string[]> {
  const queue = await PgBossJobQueue.open(
    connection,
    { leaseSeconds: 30, maxDeliveries: 1, pollingIntervalSeconds: 0.5, setsSharedSettings: true },
    createLogger('error'),
  );
  try {
    const names = new Map<string, string>();
    const send = async (name: string, ownerId: string, priority: 'interactive' | 'batch' = 'interactive') => {
      const jobId = randomUUID();
      names.set(jobId, name);
      await queue.send(jobId, { priority, ownerId });
    };
    const [a, b, c] = [randomUUID(), randomUUID(), randomUUID()];
    const order: string[] = [];
    let firstStarted = () => {};
    const started = new Promise<void>((resolve) => (firstStarted = resolve));
    let releaseFirst = () => {};
    const released = new Promise<void>((resolve) => (releaseFirst = resolve));
    let allDone = () => {};
    const done = new Promise<void>((resolve) => (allDone = resolve));
    await queue.work(1, async (job) => {
      order.push(names.get(job.id)!);
      if (order.length === 1) {
        firstStarted();
        await released;
      }
      if (order.length === 16) allDone();
    });
    for (let k = 0; k < 12; k += 1) await send(`A${k}`, a);
    await started;
    await send('B0', b);
    await send('A12', a);
    await send('B1', b);
    await send('C-batch', c, 'batch');
    releaseFirst();
    await done;
    return order;
  } finally {
    await queue.stop();
  }
}

function assertFairOrder(order: string[]): void {
  assert.equal(order[0], 'A0', `A's first job was running: ${order.join(' ')}`);
  assert.equal(order[1], 'B0', `B's first job runs right after A's running one: ${order.join(' ')}`);
  assert.ok(order.indexOf('B1') <= 3, `B's second job runs at its turn, after A's second: ${order.join(' ')}`);
  assert.equal(order.at(-1), 'C-batch', `the batch job runs after every interactive one: ${order.join(' ')}`);
  assert.equal(order.filter((name) => name.startsWith('A')).join(' '), Array.from({ length: 13 }, (_, k) => `A${k}`).join(' '), "A's jobs keep their order");
}

test('jobs are taken in turn across owners (PGlite)', { timeout: 120_000 }, async () => {
  const pglite = new PGlite();
  try {
    assertFairOrder(await fairnessRun({ kind: 'pglite', pglite, schema: undefined }));
  } finally {
    await pglite.close();
  }
});

test('jobs are taken in turn across owners (PostgreSQL)', { skip: SKIP, timeout: 120_000 }, async () => {
  const schema = `mg_fair_${randomBytes(5).toString('hex')}`;
  const admin = new pg.Client({ connectionString: TEST_DATABASE_URL });
  await admin.connect();
  try {
    const { connectionString } = splitSchema(TEST_DATABASE_URL!);
    assertFairOrder(await fairnessRun({ kind: 'postgresql', connectionString, schema }));
  } finally {
    await admin.query(`DROP SCHEMA IF EXISTS "${schema}_pgboss" CASCADE`);
    await admin.end();
  }
});
