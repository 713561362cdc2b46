/**
 * Prisma's schema engine compiled to WebAssembly: migrations without the native
 * binary that the Prisma CLI would download.
 *
 * The package's entry point imports its `.wasm` as an ES module, which Node 20 only
 * allows behind `--experimental-wasm-modules`; we load the same bytes through the
 * WebAssembly API and hand them to the package's own JS glue, which works on every
 * supported Node version without flags.
 */
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { SqlDriverAdapter, SqlMigrationAwareDriverAdapterFactory } from '@prisma/driver-adapter-utils';
import { bindMigrationAwareSqlAdapterFactory } from '@prisma/driver-adapter-utils';
import * as glue from '@prisma/schema-engine-wasm/schema_engine_bg';
import type { SchemaEngine } from '@prisma/schema-engine-wasm';

const require = createRequire(import.meta.url);

/** The slice of the WebAssembly API used here (Node has it; the ES lib typings do not). */
interface WasmApi {
  instantiate(bytes: Uint8Array, imports: Record<string, unknown>): Promise<{ instance: { exports: Record<string, unknown> } }>;
}
const { WebAssembly } = globalThis as unknown as { WebAssembly: WasmApi };
let initialised: Promise<void> | undefined;

/**
 * The engine leaves a ~10 s timer running after its work is done, which would keep a
 * CLI command (and every test process) alive that long; its timers are made not to hold
 * the process open.
 */
function withUnrefTimers(imports: Record<string, unknown>): Record<string, unknown> {
  const patched: Record<string, unknown> = { ...imports };
  for (const name of Object.keys(imports).filter((key) => key.startsWith('__wbg_setTimeout_'))) {
    patched[name] = (callback: () => void, delayMs: number) => setTimeout(callback, delayMs >>> 0).unref();
  }
  return patched;
}

async function initialiseWasm(): Promise<void> {
  // The package does not export its .wasm file; it sits beside the entry point.
  const wasmPath = join(dirname(require.resolve('@prisma/schema-engine-wasm')), 'schema_engine_bg.wasm');
  const bytes = await readFile(wasmPath);
  const { instance } = await WebAssembly.instantiate(bytes, { './schema_engine_bg.js': withUnrefTimers(glue) });
  glue.__wbg_set_wasm(instance.exports);
  (instance.exports.__wbindgen_start as () => void)();
}

export interface OpenSchemaEngine {
  engine: SchemaEngine;
  /**
   * Frees the engine and closes the connections it opened. Closing matters: the engine
   * holds PostgreSQL's migration advisory lock on its connection, and a leaked
   * connection would make the next migration wait for the lock to time out.
   */
  close(): Promise<void>;
}

/** Opens a schema engine over a driver adapter; `log` receives the engine's log lines. */
export async function openSchemaEngine(
  adapterFactory: SqlMigrationAwareDriverAdapterFactory,
  schemaFiles: { path: string; content: string }[],
  log: (line: string) => void = () => {},
): Promise<OpenSchemaEngine> {
  initialised ??= initialiseWasm();
  await initialised;
  const opened: SqlDriverAdapter[] = [];
  const record = async (connection: Promise<SqlDriverAdapter>) => {
    const adapter = await connection;
    opened.push(adapter);
    return adapter;
  };
  const trackingFactory: SqlMigrationAwareDriverAdapterFactory = {
    provider: adapterFactory.provider,
    adapterName: adapterFactory.adapterName,
    connect: () => record(adapterFactory.connect()),
    connectToShadowDb: () => record(adapterFactory.connectToShadowDb()),
  };
  const engine: SchemaEngine = await glue.SchemaEngine.new(
    { datamodels: schemaFiles.map((file) => [file.path, file.content]) },
    log,
    bindMigrationAwareSqlAdapterFactory(trackingFactory),
  );
  return {
    engine,
    close: async () => {
      engine.free();
      await Promise.all(opened.map((adapter) => adapter.dispose()));
    },
  };
}
