/**
 * The only reader of `process.env`. Every variable is validated at start-up and all
 * problems are reported together, each naming its variable.
 */
import { availableParallelism } from 'node:os';
import { resolve } from 'node:path';
import { MODELS_DIR } from './models-dir.js';
import { isLoopbackHostname } from '../lib/loopback.js';
import { z } from 'zod';

export type AuthMode = 'api-key' | 'single-user';
/** all: the embedded all-in-one default; api: HTTP/GraphQL only; worker: jobs only. */
export type Role = 'all' | 'api' | 'worker';

export type BlobStoreConfig =
  { kind: 'fs'; dir: string } | { kind: 's3'; bucket: string; prefix: string; endpoint: string | undefined; forcePathStyle: boolean };

export interface Config {
  readonly role: Role;
  readonly host: string;
  readonly port: number;
  readonly dataDir: string;
  /** Where blobs live; `<dataDir>/blobs` unless BLOB_DIR is set. */
  readonly blobDir: string;
  /** BLOB_STORE=fs (blobDir, default) or s3 (S3_BUCKET, S3_ENDPOINT, S3_FORCE_PATH_STYLE, S3_PREFIX). */
  readonly blobStore: BlobStoreConfig;
  /** gateway: file URLs are signed links the gateway streams; presigned: S3 GETs straight from the store. */
  readonly fileUrls: 'gateway' | 'presigned';
  /** PostgreSQL URL; undefined selects the embedded PGlite database in `<dataDir>/pglite`. */
  readonly databaseUrl: string | undefined;
  /** Apply pending migrations at start; default true for PGlite, false for PostgreSQL (`npm run db:deploy`). */
  readonly autoMigrate: boolean;
  readonly authMode: AuthMode;
  readonly maxUploadBytes: number;
  readonly maxInputPixels: number;
  /** How strict decoding is: 'warning' refuses any corrupt data, 'error' tolerates recoverable glitches. */
  readonly imageFailOn: 'warning' | 'error' | 'truncated';
  readonly maxQueryDepth: number;
  readonly maxQueryAliases: number;
  readonly maxQueryCost: number;
  readonly maxQueryTokens: number;
  /** Secret for signing file URLs; undefined means one is generated and kept in dataDir. */
  readonly urlSigningSecret: string | undefined;
  /** The secret before the last rotation: URLs it signed stay valid while caches and pages still hold them. */
  readonly urlSigningSecretPrevious: string | undefined;
  readonly fileUrlTtlSeconds: number;
  /** Base of the URLs the API hands out, e.g. https://media.example.com; default: from the request. */
  readonly publicUrl: string | undefined;
  /** Origins besides the gateway's own and PUBLIC_URL whose pages may open WebSockets. */
  readonly allowedOrigins: readonly string[];
  readonly sharpConcurrency: number;
  readonly logLevel: 'debug' | 'info' | 'warn' | 'error';
  /** Folder of model manifests and weights; default: the project's models/. */
  readonly modelsDir: string;
  /** onnxruntime intra-op threads per model run. */
  readonly inferenceThreads: number;
  /** Segmentation jobs a worker runs at once (WORKER_CONCURRENCY). */
  readonly maxConcurrentJobs: number;
  /** Jobs that may wait; beyond this segmentAsset answers BUSY. */
  readonly maxQueuedJobs: number;
  /** Jobs one owner may have waiting; beyond this that owner gets BUSY. */
  readonly maxQueuedJobsPerOwner: number;
  /** Assets one batch may take (`startBatch`); its runs wait in the batch band, outside the two limits above. */
  readonly batchMaxAssets: number;
  /** Batches one owner may have running or paused at once; beyond this startBatch answers BUSY. */
  readonly maxOpenBatchesPerOwner: number;
  /** Webhooks (src/webhooks/): where they may go, how long an attempt may take, retries, disabling, how many. */
  readonly webhooks: {
    allowedHosts: ReadonlySet<string>;
    timeoutMs: number;
    maxAttempts: number;
    retryBaseSeconds: number;
    disableAfterFailures: number;
    maxPerOwner: number;
    /** Attempts one worker makes at once. */
    concurrency: number;
  };
  /** A job whose worker stopped answering runs again elsewhere after this long. */
  readonly jobLeaseSeconds: number;
  /** Runs of one job (first one included) before it fails as INTERRUPTED. */
  readonly jobMaxAttempts: number;
  /** How often an idle worker asks the queue for work. */
  readonly queuePollSeconds: number;
  /** How often an open WebSocket's API key is checked again (revoked: the socket closes). */
  readonly keyRecheckSeconds: number;
  /** WebSockets one API key may hold open, and operations at once on one socket. */
  readonly maxSocketsPerKey: number;
  readonly maxSubscriptionsPerSocket: number;
  /** Mask-scoring threads, shared fairly between owners, and the largest mask one call scores. */
  readonly metricsThreads: number;
  readonly metricsMaxPixels: number;
  /** Effect renders at once, and how many may wait before BUSY. */
  readonly maxConcurrentRenders: number;
  readonly maxQueuedRenders: number;
  /** Bytes of cached renditions kept; past it the least recently used are deleted. */
  readonly renditionCacheBytes: number;
  /** Largest width × height of one rendition; a full-size render needs up to 23 bytes per pixel. */
  readonly maxOutputPixels: number;
  /** Longest side of the preview proxies renders decode when their output fits (0: none). */
  readonly proxyMaxSide: number;
  /** Bytes of GraphQL query answers kept per process (src/graphql/response-cache.ts); 0 turns the cache off. */
  readonly graphqlCacheBytes: number;
  readonly jobTimeoutMs: number;
  readonly executionProvider: 'cpu' | 'cuda';
  /** Load the default model and run it twice at start (in the background). */
  readonly warmUp: boolean;
  /** Models to load at start and keep loaded (undefined: the default model). */
  readonly modelsPreload: string[] | undefined;
  /** Release a model (other than the preloaded ones) nobody used for this long; 0: never. */
  readonly modelIdleUnloadSeconds: number;
  readonly shutdownTimeoutMs: number;
}

const integer = (min: number, max: number) => z.coerce.number().int().min(min).max(max);

const envSchema = z.object({
  ROLE: z.enum(['all', 'api', 'worker']).default('all'),
  HOST: z.string().min(1).default('127.0.0.1'),
  PORT: integer(0, 65535).default(4000),
  DATA_DIR: z.string().min(1).default('./data'),
  BLOB_DIR: z.string().min(1).optional(),
  BLOB_STORE: z.enum(['fs', 's3']).default('fs'),
  S3_BUCKET: z
    .string()
    .regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, 'must be an S3 bucket name')
    .optional(),
  S3_ENDPOINT: z.url().optional(),
  S3_FORCE_PATH_STYLE: z.enum(['true', 'false']).default('false'),
  S3_PREFIX: z
    .string()
    .regex(/^([A-Za-z0-9._-]+\/)*$/, 'must be empty or end with / (e.g. maskgraph/)')
    .default(''),
  FILE_URLS: z.enum(['gateway', 'presigned']).default('gateway'),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must start with postgres:// or postgresql://')
    .optional(),
  AUTO_MIGRATE: z.enum(['true', 'false']).optional(),
  AUTH_MODE: z.enum(['api-key', 'single-user']).default('api-key'),
  MAX_UPLOAD_BYTES: integer(1024, 2 ** 31 - 1).default(50 * 1024 * 1024),
  MAX_INPUT_PIXELS: integer(1, 2 ** 31 - 1).default(100_000_000),
  IMAGE_FAIL_ON: z.enum(['warning', 'error', 'truncated']).default('warning'),
  MAX_QUERY_DEPTH: integer(2, 100).default(12),
  MAX_QUERY_ALIASES: integer(1, 1000).default(30),
  MAX_QUERY_COST: integer(100, 1_000_000).default(5000),
  MAX_QUERY_TOKENS: integer(100, 100_000).default(2000),
  URL_SIGNING_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
  URL_SIGNING_SECRET_PREVIOUS: z.string().min(32, 'must be at least 32 characters').optional(),
  FILE_URL_TTL_SECONDS: integer(10, 30 * 24 * 3600).default(3600),
  PUBLIC_URL: z.url().optional(),
  /** Comma-separated origins (https://app.example.com) whose pages may open WebSockets here. */
  ALLOWED_ORIGINS: z
    .string()
    .optional()
    .transform((value, context) => {
      const origins = (value ?? '')
        .split(',')
        .map((item) => item.trim())
        .filter(Boolean);
      for (const origin of origins) {
        if (!URL.canParse(origin) || new URL(origin).origin !== origin.replace(/\/+$/, ''))
          context.addIssue({ code: 'custom', message: `"${origin}" is not an origin like https://app.example.com` });
      }
      return origins;
    }),
  SHARP_CONCURRENCY: integer(0, 64).default(availableParallelism()),
  MODELS_DIR: z.string().min(1).optional(),
  INFERENCE_THREADS: integer(1, 256).default(availableParallelism()),
  WORKER_CONCURRENCY: integer(1, 64).optional(),
  /** The older name of WORKER_CONCURRENCY. */
  MAX_CONCURRENT_JOBS: integer(1, 64).optional(),
  MAX_QUEUED_JOBS: integer(0, 100_000).default(100),
  MAX_QUEUED_JOBS_PER_OWNER: integer(0, 100_000).default(50),
  BATCH_MAX_ASSETS: integer(1, 1_000_000).default(50_000),
  MAX_OPEN_BATCHES_PER_OWNER: integer(1, 1000).default(5),
  WEBHOOK_ALLOWED_HOSTS: z.string().default(''),
  WEBHOOK_TIMEOUT_MS: integer(100, 60_000).default(10_000),
  WEBHOOK_MAX_ATTEMPTS: integer(1, 20).default(12),
  WEBHOOK_RETRY_BASE_SECONDS: z.coerce.number().min(0.1).max(3600).default(10),
  WEBHOOK_DISABLE_AFTER_FAILURES: integer(1, 10_000).default(30),
  MAX_WEBHOOKS_PER_OWNER: integer(0, 1000).default(10),
  WEBHOOK_CONCURRENCY: integer(1, 64).default(4),
  JOB_LEASE_SECONDS: integer(2, 86_400).default(300),
  JOB_MAX_ATTEMPTS: integer(1, 20).default(3),
  QUEUE_POLL_SECONDS: z.coerce.number().min(0.5).max(60).default(1),
  KEY_RECHECK_SECONDS: integer(1, 3600).default(30),
  MAX_SOCKETS_PER_KEY: integer(1, 10_000).default(20),
  MAX_SUBSCRIPTIONS_PER_SOCKET: integer(1, 10_000).default(50),
  METRICS_THREADS: integer(1, 64).default(availableParallelism()),
  METRICS_MAX_PIXELS: integer(1, 2 ** 31 - 1).default(100_000_000),
  MAX_CONCURRENT_RENDERS: integer(1, 64).default(2),
  MAX_QUEUED_RENDERS: integer(0, 10_000).default(16),
  RENDITION_CACHE_BYTES: integer(0, Number.MAX_SAFE_INTEGER).default(1024 ** 3),
  MAX_OUTPUT_PIXELS: integer(4096, 2 ** 31 - 1).default(100_000_000),
  PROXY_MAX_SIDE: integer(0, 4096).default(1024),
  GRAPHQL_CACHE_MB: integer(0, 65_536).default(64),
  JOB_TIMEOUT_MS: integer(1000, 3_600_000).default(120_000),
  EXECUTION_PROVIDER: z.enum(['cpu', 'cuda']).default('cpu'),
  WARM_UP: z.enum(['true', 'false']).default('true'),
  /** Comma-separated model ids to load (and keep) at start; absent: the default model; `none`: none (an empty value is absent, as everywhere). */
  MODELS_PRELOAD: z
    .string()
    .optional()
    .transform((value) =>
      value === undefined
        ? undefined
        : value === 'none'
          ? []
          : value
              .split(',')
              .map((id) => id.trim())
              .filter(Boolean),
    ),
  MODEL_IDLE_UNLOAD_SECONDS: integer(0, 86_400).default(600),
  LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error']).default('info'),
  SHUTDOWN_TIMEOUT_MS: integer(0, 600_000).default(10_000),
});

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((problem) => `  - ${problem}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/** Reads and validates the configuration; throws ConfigError listing every problem. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  // Empty strings mean "unset", as shells and .env files commonly produce them.
  const present = Object.fromEntries(Object.entries(env).filter(([, value]) => value !== ''));
  const parsed = envSchema.safeParse(present);
  if (!parsed.success) {
    throw new ConfigError(
      parsed.error.issues.map((issue) => {
        const name = String(issue.path[0]);
        return `${name}: ${issue.message} (received ${JSON.stringify(env[name])})`;
      }),
    );
  }
  const values = parsed.data;
  if (values.AUTH_MODE === 'single-user' && !isLoopbackHostname(values.HOST)) {
    throw new ConfigError([
      `AUTH_MODE: single-user mode serves every request without a key, so it is only allowed with a loopback HOST (received HOST=${JSON.stringify(values.HOST)})`,
    ]);
  }
  const problems: string[] = [];
  if (values.JOB_TIMEOUT_MS >= values.JOB_LEASE_SECONDS * 1000) {
    problems.push(
      `JOB_TIMEOUT_MS: must be shorter than the lease, JOB_LEASE_SECONDS × 1000 = ${values.JOB_LEASE_SECONDS * 1000} (received ${values.JOB_TIMEOUT_MS})`,
    );
  }
  if (values.ROLE !== 'all' && !values.DATABASE_URL) {
    problems.push(`ROLE: ${values.ROLE} shares the work with other processes, so it needs DATABASE_URL (PostgreSQL); the embedded database serves one process`);
  }
  if (values.BLOB_STORE === 's3' && !values.S3_BUCKET) problems.push('S3_BUCKET: required with BLOB_STORE=s3');
  if (values.FILE_URLS === 'presigned' && values.BLOB_STORE !== 's3') problems.push('FILE_URLS: presigned needs BLOB_STORE=s3');
  if (problems.length > 0) throw new ConfigError(problems);
  const dataDir = resolve(values.DATA_DIR);
  const blobDir = resolve(values.BLOB_DIR ?? `${dataDir}/blobs`);
  return Object.freeze({
    role: values.ROLE,
    host: values.HOST,
    port: values.PORT,
    dataDir,
    blobDir,
    blobStore:
      values.BLOB_STORE === 's3'
        ? {
            kind: 's3' as const,
            bucket: values.S3_BUCKET!,
            prefix: values.S3_PREFIX,
            endpoint: values.S3_ENDPOINT,
            forcePathStyle: values.S3_FORCE_PATH_STYLE === 'true',
          }
        : { kind: 'fs' as const, dir: blobDir },
    fileUrls: values.FILE_URLS,
    databaseUrl: values.DATABASE_URL,
    autoMigrate: values.AUTO_MIGRATE ? values.AUTO_MIGRATE === 'true' : values.DATABASE_URL === undefined,
    authMode: values.AUTH_MODE,
    maxUploadBytes: values.MAX_UPLOAD_BYTES,
    maxInputPixels: values.MAX_INPUT_PIXELS,
    imageFailOn: values.IMAGE_FAIL_ON,
    maxQueryDepth: values.MAX_QUERY_DEPTH,
    maxQueryAliases: values.MAX_QUERY_ALIASES,
    maxQueryCost: values.MAX_QUERY_COST,
    maxQueryTokens: values.MAX_QUERY_TOKENS,
    urlSigningSecret: values.URL_SIGNING_SECRET,
    urlSigningSecretPrevious: values.URL_SIGNING_SECRET_PREVIOUS,
    fileUrlTtlSeconds: values.FILE_URL_TTL_SECONDS,
    publicUrl: values.PUBLIC_URL?.replace(/\/+$/, ''),
    allowedOrigins: values.ALLOWED_ORIGINS,
    sharpConcurrency: values.SHARP_CONCURRENCY,
    logLevel: values.LOG_LEVEL,
    modelsDir: resolve(values.MODELS_DIR ?? MODELS_DIR),
    inferenceThreads: values.INFERENCE_THREADS,
    maxConcurrentJobs: values.WORKER_CONCURRENCY ?? values.MAX_CONCURRENT_JOBS ?? 1,
    maxQueuedJobs: values.MAX_QUEUED_JOBS,
    maxQueuedJobsPerOwner: values.MAX_QUEUED_JOBS_PER_OWNER,
    batchMaxAssets: values.BATCH_MAX_ASSETS,
    maxOpenBatchesPerOwner: values.MAX_OPEN_BATCHES_PER_OWNER,
    webhooks: {
      allowedHosts: new Set(
        values.WEBHOOK_ALLOWED_HOSTS.split(',')
          .map((host) => host.trim().toLowerCase())
          .filter(Boolean),
      ),
      timeoutMs: values.WEBHOOK_TIMEOUT_MS,
      maxAttempts: values.WEBHOOK_MAX_ATTEMPTS,
      retryBaseSeconds: values.WEBHOOK_RETRY_BASE_SECONDS,
      disableAfterFailures: values.WEBHOOK_DISABLE_AFTER_FAILURES,
      maxPerOwner: values.MAX_WEBHOOKS_PER_OWNER,
      concurrency: values.WEBHOOK_CONCURRENCY,
    },
    jobLeaseSeconds: values.JOB_LEASE_SECONDS,
    jobMaxAttempts: values.JOB_MAX_ATTEMPTS,
    queuePollSeconds: values.QUEUE_POLL_SECONDS,
    keyRecheckSeconds: values.KEY_RECHECK_SECONDS,
    maxSocketsPerKey: values.MAX_SOCKETS_PER_KEY,
    maxSubscriptionsPerSocket: values.MAX_SUBSCRIPTIONS_PER_SOCKET,
    metricsThreads: values.METRICS_THREADS,
    metricsMaxPixels: values.METRICS_MAX_PIXELS,
    maxConcurrentRenders: values.MAX_CONCURRENT_RENDERS,
    maxQueuedRenders: values.MAX_QUEUED_RENDERS,
    renditionCacheBytes: values.RENDITION_CACHE_BYTES,
    maxOutputPixels: values.MAX_OUTPUT_PIXELS,
    proxyMaxSide: values.PROXY_MAX_SIDE,
    graphqlCacheBytes: values.GRAPHQL_CACHE_MB * 1024 * 1024,
    jobTimeoutMs: values.JOB_TIMEOUT_MS,
    executionProvider: values.EXECUTION_PROVIDER,
    warmUp: values.WARM_UP === 'true',
    modelsPreload: values.MODELS_PRELOAD,
    modelIdleUnloadSeconds: values.MODEL_IDLE_UNLOAD_SECONDS,
    shutdownTimeoutMs: values.SHUTDOWN_TIMEOUT_MS,
  });
}
