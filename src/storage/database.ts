/**
 * Opens the database behind Prisma: the embedded PGlite (default, data in
 * `<dataDir>/pglite`) or a PostgreSQL server when a URL is given. Only `storage/`
 * imports the Prisma client.
 */
import { mkdir } from 'node:fs/promises';
import { PGlite } from '@electric-sql/pglite';
import { PrismaPg } from '@prisma/adapter-pg';
import type { SqlMigrationAwareDriverAdapterFactory } from '@prisma/driver-adapter-utils';
import { PrismaPGlite } from 'pglite-prisma-adapter';
import { lockDataDir } from './data-dir-lock.js';
import { PrismaClient } from './generated/prisma/client.js';

export type { PrismaClient } from './generated/prisma/client.js';

export interface Database {
  readonly prisma: PrismaClient;
  /** The adapter factory, for the schema engine (migrations). */
  readonly adapterFactory: SqlMigrationAwareDriverAdapterFactory;
  readonly kind: 'pglite' | 'postgresql';
  /** Answers whether the database responds to a trivial query. */
  ping(): Promise<boolean>;
  close(): Promise<void>;
}

export type DatabaseLocation = { kind: 'pglite'; dataDir: string | undefined } | { kind: 'postgresql'; url: string };

/**
 * `?schema=NAME` in a PostgreSQL URL selects a schema (the tests use one per run):
 * Prisma qualifies its queries with it, and the search path makes migrations land there.
 */
function postgresAdapter(url: string): PrismaPg {
  const parsed = new URL(url);
  const schema = parsed.searchParams.get('schema') ?? undefined;
  parsed.searchParams.delete('schema');
  return new PrismaPg(
    {
      connectionString: parsed.toString(),
      max: 10,
      ...(schema ? { options: `-c search_path="${schema}"` } : {}),
    },
    schema ? { schema } : undefined,
  );
}

/** Opens the database; a PGlite `dataDir` of undefined keeps it in memory (tests of the CLI). */
export async function openDatabase(location: DatabaseLocation): Promise<Database> {
  if (location.kind === 'postgresql') {
    const adapterFactory = postgresAdapter(location.url);
    const prisma = new PrismaClient({ adapter: adapterFactory });
    return {
      prisma,
      adapterFactory,
      kind: 'postgresql',
      ping: () => pingWith(prisma),
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
  const prisma = new PrismaClient({ adapter: adapterFactory });
  return {
    prisma,
    adapterFactory,
    kind: 'pglite',
    ping: () => pingWith(prisma),
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
