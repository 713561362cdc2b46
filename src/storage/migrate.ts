/**
 * Applies and checks the migrations in `prisma/migrations` (Prisma's standard layout,
 * recorded in `_prisma_migrations`, so `prisma migrate deploy` agrees with us) through
 * the WebAssembly schema engine.
 */
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import type { MigrationList } from '@prisma/schema-engine-wasm';
import type { Database } from './database.js';
import { openSchemaEngine } from './schema-engine.js';

export const PRISMA_DIR = fileURLToPath(new URL('../../prisma/', import.meta.url));
export const MIGRATIONS_DIR = join(PRISMA_DIR, 'migrations');
const NO_FILTERS = { externalTables: [], externalEnums: [] };

export async function readSchemaFiles(): Promise<{ path: string; content: string }[]> {
  const path = join(PRISMA_DIR, 'schema.prisma');
  return [{ path, content: await readFile(path, 'utf8') }];
}

/** Reads the migrations folder into the shape the schema engine expects. */
export async function readMigrationList(migrationsDir = MIGRATIONS_DIR): Promise<MigrationList> {
  const entries = await readdir(migrationsDir, { withFileTypes: true }).catch(() => []);
  const names = entries
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort();
  const lockPath = join(migrationsDir, 'migration_lock.toml');
  return {
    baseDir: migrationsDir,
    lockfile: { path: 'migration_lock.toml', content: await readFile(lockPath, 'utf8').catch(() => null) },
    shadowDbInitScript: '',
    migrationDirectories: await Promise.all(
      names.map(async (name) => {
        const content = await readFile(join(migrationsDir, name, 'migration.sql'), 'utf8').then(
          (sql) => ({ tag: 'ok' as const, value: sql }),
          (error: Error) => ({ tag: 'error' as const, value: error.message }),
        );
        return { path: name, migrationFile: { path: 'migration.sql', content } };
      }),
    ),
  };
}

/** Applies every pending migration; returns the names applied now. */
export async function applyMigrations(database: Database): Promise<string[]> {
  const { engine, close } = await openSchemaEngine(database.adapterFactory, await readSchemaFiles());
  try {
    const result = await engine.applyMigrations({
      migrationsList: await readMigrationList(),
      filters: NO_FILTERS,
    });
    return result.appliedMigrationNames;
  } finally {
    await close();
  }
}

/** Names of migrations on disk that the database has not finished applying. */
export async function pendingMigrations(database: Database): Promise<string[]> {
  const onDisk = (await readMigrationList()).migrationDirectories.map((dir) => dir.path);
  let applied: string[];
  try {
    const rows = await database.prisma.$queryRaw<{ migration_name: string }[]>`
      SELECT migration_name FROM _prisma_migrations
      WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL`;
    applied = rows.map((row) => row.migration_name);
  } catch {
    return onDisk;
  }
  return onDisk.filter((name) => !applied.includes(name));
}

/**
 * SQL that brings the migration history up to the current schema.prisma, computed
 * against a throw-away in-memory database (the shadow database); empty when in sync.
 */
export async function diffMigrationsToSchema(database: Database): Promise<string> {
  const schemaFiles = await readSchemaFiles();
  const { engine, close } = await openSchemaEngine(database.adapterFactory, schemaFiles);
  try {
    const result = await engine.diff({
      from: { tag: 'migrations', ...(await readMigrationList()) },
      to: { tag: 'schemaDatamodel', files: schemaFiles },
      script: true,
      exitCode: null,
      filters: NO_FILTERS,
    });
    return result.stdout ?? '';
  } finally {
    await close();
  }
}

/**
 * Writes `prisma/migrations/<UTC timestamp>_<name>/migration.sql` with the changes of
 * schema.prisma since the last migration; returns its path, or undefined when in sync.
 * `scratch` is any empty database of the same dialect (an in-memory PGlite).
 */
export async function writeNewMigration(scratch: Database, name: string): Promise<string | undefined> {
  const sql = await diffMigrationsToSchema(scratch);
  if (!/\S/.test(sql.replace(/^--.*$/gm, ''))) return undefined;
  const stamp = new Date().toISOString().replace(/[-:T]/g, '').slice(0, 14);
  const dir = join(MIGRATIONS_DIR, `${stamp}_${name}`);
  await mkdir(dir, { recursive: true });
  const path = join(dir, 'migration.sql');
  await writeFile(path, sql);
  return path;
}
