/**
 * Opens the database behind Prisma: the embedded PGlite (default, data in
 * `<dataDir>/pglite`) or a PostgreSQL server when a URL is given. Only `storage/`
 * imports the Prisma client.
 */
import { mkdir } from 'node:fs/promises';
import { PGlite } from '@electric-sql/pglite';
import { PrismaPg } from '@prisma/adapter-pg';
import type { SqlDriverAdapter, SqlMigrationAwareDriverAdapterFactory, Transaction } from '@prisma/driver-adapter-utils';
import { PrismaPGlite } from 'pglite-prisma-adapter';
import { lockDataDir } from './data-dir-lock.js';
import { PrismaClient } from './generated/prisma/client.js';

export type { PrismaClient } from './generated/prisma/client.js';

export interface Database {
  readonly prisma: PrismaClient;
  /** The adapter factory, for the schema engine (migrations). */
  readonly adapterFactory: SqlMigrationAwareDriverAdapterFactory;
  readonly kind: 'pglite' | 'postgresql';
  /** What the queue and the event bus need to reach the same database beside Prisma. */
  readonly connection: DatabaseConnection;
  /** Answers whether the database responds to a trivial query. */
  ping(): Promise<boolean>;
  /** SQL statements Prisma has sent since the database was opened (for /metrics and the benches). */
  statementCount(): number;
  close(): Promise<void>;
}

/**
 * PGlite: the one in-process instance (a single connection shared by everything).
 * PostgreSQL: a libpq URL without Prisma's `?schema=` and the schema it selected, if any.
 */
export type DatabaseConnection =
  { kind: 'pglite'; pglite: PGlite; schema: undefined } | { kind: 'postgresql'; connectionString: string; schema: string | undefined };

export type DatabaseLocation =
  | { kind: 'pglite'; dataDir: string | undefined }
  /** `applicationName`: how this process's connections show in pg_stat_activity. */
  | { kind: 'postgresql'; url: string; poolSize?: number; applicationName?: string };

/**
 * `?schema=NAME` in a PostgreSQL URL selects a schema (the tests use one per run):
 * Prisma qualifies its queries with it, and the search path makes migrations land there.
 */
export function splitSchema(url: string): { connectionString: string; schema: string | undefined } {
  const parsed = new URL(url);
  const schema = parsed.searchParams.get('schema') ?? undefined;
  parsed.searchParams.delete('schema');
  return { connectionString: parsed.toString(), schema };
}

function postgresAdapter(connectionString: string, schema: string | undefined, poolSize: number, applicationName: string): PrismaPg {
  return new PrismaPg(
    {
      connectionString,
      max: poolSize,
      application_name: applicationName,
      ...(schema ? { options: `-c search_path="${schema}"` } : {}),
    },
    schema ? { schema } : undefined,
  );
}

/** `inner` with `overrides`, every other method bound to it (adapters keep private state, which a proxy's `this` would miss). */
function bound<T extends object>(inner: T, overrides: Partial<T>): T {
  return new Proxy(inner, {
    get: (target, property) => {
      if (property in overrides) return overrides[property as keyof T];
      const value = Reflect.get(target, property, target) as unknown;
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
  });
}

/** Counts what passes through a driver adapter: each query, and BEGIN and COMMIT/ROLLBACK of transactions. */
class StatementCounter {
  count = 0;

  factory(inner: SqlMigrationAwareDriverAdapterFactory): SqlMigrationAwareDriverAdapterFactory {
    return bound(inner, { connect: async () => this.adapter(await inner.connect()) });
  }

  private adapter(inner: SqlDriverAdapter): SqlDriverAdapter {
    return this.queryable(inner, {
      executeScript: (script: string) => this.counted(() => inner.executeScript(script)),
      startTransaction: async (isolation?: Parameters<SqlDriverAdapter['startTransaction']>[0]) => {
        this.count += 1;
        return this.transaction(await inner.startTransaction(isolation));
      },
    });
  }

  private transaction(inner: Transaction): Transaction {
    return this.queryable(inner, {
      commit: () => this.counted(() => inner.commit()),
      rollback: () => this.counted(() => inner.rollback()),
    });
  }

  private queryable<T extends SqlDriverAdapter | Transaction>(inner: T, overrides: Partial<T>): T {
    return bound(inner, {
      queryRaw: (query: Parameters<T['queryRaw']>[0]) => this.counted(() => inner.queryRaw(query)),
      executeRaw: (query: Parameters<T['executeRaw']>[0]) => this.counted(() => inner.executeRaw(query)),
      ...overrides,
    } as Partial<T>);
  }

  private counted<R>(run: () => Promise<R>): Promise<R> {
    this.count += 1;
    return run();
  }
}

/**
 * The adapter the schema engine applies migrations through. @prisma/adapter-pg runs a script
 * by splitting it at every `;`, which cuts PL/pgSQL function bodies apart (migration
 * owner_revision has some); a script goes to PostgreSQL whole instead, as one simple query.
 */
function wholeScripts(inner: SqlMigrationAwareDriverAdapterFactory): SqlMigrationAwareDriverAdapterFactory {
  const whole = (adapter: SqlDriverAdapter): SqlDriverAdapter => {
    const client = (adapter as unknown as { client: { query(text: string): Promise<unknown> } }).client;
    return bound(adapter, { executeScript: async (script: string) => void (await client.query(script)) });
  };
  return bound(inner, { connect: async () => whole(await inner.connect()), connectToShadowDb: async () => whole(await inner.connectToShadowDb()) });
}

/** Opens the database; a PGlite `dataDir` of undefined keeps it in memory (tests of the CLI). */
export async function openDatabase(location: DatabaseLocation): Promise<Database> {
  const statements = new StatementCounter();
  if (location.kind === 'postgresql') {
    const { connectionString, schema } = splitSchema(location.url);
    const adapterFactory = postgresAdapter(connectionString, schema, location.poolSize ?? 10, location.applicationName ?? `maskgraph ${process.pid}`);
    const prisma = new PrismaClient({ adapter: statements.factory(adapterFactory) });
    return {
      prisma,
      adapterFactory: wholeScripts(adapterFactory),
      kind: 'postgresql',
      connection: { kind: 'postgresql', connectionString, schema },
      ping: () => pingWith(prisma),
      statementCount: () => statements.count,
      close: () => prisma.$disconnect(),
    };
  }
  let unlock = async () => {};
  if (location.dataDir) {
    await mkdir(location.dataDir, { recursive: true });
    unlock = await lockDataDir(location.dataDir);
  }
  let pglite: PGlite;
  try {
    pglite = await PGlite.create(location.dataDir);
  } catch (error) {
    await unlock();
    throw error;
  }
  const adapterFactory = new PrismaPGlite(pglite);
  const prisma = new PrismaClient({ adapter: statements.factory(adapterFactory) });
  return {
    prisma,
    adapterFactory,
    kind: 'pglite',
    connection: { kind: 'pglite', pglite, schema: undefined },
    ping: () => pingWith(prisma),
    statementCount: () => statements.count,
    close: async () => {
      await prisma.$disconnect();
      await pglite.close();
      await unlock();
    },
  };
}

async function pingWith(prisma: PrismaClient): Promise<boolean> {
  try {
    await prisma.$queryRaw`SELECT 1`;
    return true;
  } catch {
    return false;
  }
}
