/**
 * Every database test runs once per target: always the embedded PGlite, and PostgreSQL
 * when TEST_DATABASE_URL is set (.ci/run sets it). Each PostgreSQL use gets its own
 * schema, dropped afterwards, so runs never see each other's rows.
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { skipUnlessRequired } from './required-suites.js';

export interface DatabaseTarget {
  name: 'pglite' | 'postgresql';
  /** Why this target is skipped, or undefined when it runs. */
  skipReason: string | undefined;
  /** Environment for loadConfig: selects the database (and its schema). */
  provision(): Promise<{ env: Record<string, string>; drop(): Promise<void> }>;
}

const TEST_DATABASE_URL = process.env.TEST_DATABASE_URL;
const POSTGRESQL_SKIP = skipUnlessRequired(
  'the PostgreSQL run',
  TEST_DATABASE_URL ? undefined : 'set TEST_DATABASE_URL=postgresql://postgres@127.0.0.1:5432/test to run it (CI does)',
);

export const DATABASE_TARGETS: DatabaseTarget[] = [
  {
    name: 'pglite',
    skipReason: undefined,
    provision: async () => ({ env: {}, drop: async () => {} }),
  },
  {
    name: 'postgresql',
    skipReason: POSTGRESQL_SKIP,
    provision: async () => {
      const schema = `mg_test_${randomBytes(6).toString('hex')}`;
      const admin = new pg.Client({ connectionString: TEST_DATABASE_URL });
      await admin.connect();
      await admin.query(`CREATE SCHEMA "${schema}"`);
      await admin.end();
      const url = new URL(TEST_DATABASE_URL!);
      url.searchParams.set('schema', schema);
      return {
        env: { DATABASE_URL: url.toString(), AUTO_MIGRATE: 'true' },
        drop: async () => {
          const client = new pg.Client({ connectionString: TEST_DATABASE_URL });
          await client.connect();
          await client.query(`DROP SCHEMA "${schema}" CASCADE`);
          await client.query(`DROP SCHEMA IF EXISTS "${schema}_pgboss" CASCADE`); // the queue's, beside it
          await client.end();
        },
      };
    },
  },
];
