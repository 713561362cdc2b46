/**
 * The pg-boss queue where instances meet: several starting at once on a database whose
 * queues do not exist yet (PostgreSQL makes one of two colliding creations a deadlock
 * victim; the CI run that showed it had a gateway exit at start).
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { test } from 'node:test';
import pg from 'pg';
import { PgBossJobQueue, RENDER_QUEUE, REVIEW_PRIORITY_QUEUE } from '../../src/jobs/pg-boss-queue.js';
import { createLogger } from '../../src/lib/logger.js';
import { splitSchema } from '../../src/storage/database.js';
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
      const options = { leaseSeconds: 30, maxDeliveries: 3, pollingIntervalSeconds: 1 };
      const opened = await Promise.allSettled(
        Array.from({ length: 4 }, async () => {
          const queue = await PgBossJobQueue.open(connection, options, createLogger('error'));
          try {
            await queue.besides(RENDER_QUEUE, { leaseSeconds: 30, maxDeliveries: 2, oneAtATimePerKey: true });
            await queue.besides(REVIEW_PRIORITY_QUEUE, { leaseSeconds: 30, maxDeliveries: 3, oneAtATimePerKey: false });
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
