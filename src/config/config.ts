/**
 * The only reader of `process.env`. Every variable is validated at start-up and all
 * problems are reported together, each naming its variable.
 */
import { availableParallelism } from 'node:os';
import { resolve } from 'node:path';
import { MODELS_DIR } from '../inference/models-dir.js';
import { isLoopbackHostname } from '../lib/loopback.js';
import { z } from 'zod';

export type AuthMode = 'api-key' | 'single-user';

export interface Config {
  readonly host: string;
  readonly port: number;
  readonly dataDir: string;
  /** Where blobs live; `<dataDir>/blobs` unless BLOB_DIR is set. */
  readonly blobDir: string;
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
  /** Segmentation jobs run at once. */
  readonly maxConcurrentJobs: number;
  /** Jobs that may wait; beyond this segmentAsset answers BUSY. */
  readonly maxQueuedJobs: number;
  /** How often an open WebSocket's API key is checked again (revoked: the socket closes). */
  readonly keyRecheckSeconds: number;
  /** Effect renders at once, and how many may wait before BUSY. */
  readonly maxConcurrentRenders: number;
  readonly maxQueuedRenders: number;
  readonly jobTimeoutMs: number;
  readonly executionProvider: 'cpu' | 'cuda';
  /** Load the default model and run it twice at start (in the background). */
  readonly warmUp: boolean;
  readonly shutdownTimeoutMs: number;
}

const integer = (min: number, max: number) => z.coerce.number().int().min(min).max(max);

const envSchema = z.object({
  HOST: z.string().min(1).default('127.0.0.1'),
  PORT: integer(0, 65535).default(4000),
  DATA_DIR: z.string().min(1).default('./data'),
  BLOB_DIR: z.string().min(1).optional(),
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
  FILE_URL_TTL_SECONDS: integer(10, 30 * 24 * 3600).default(3600),
  PUBLIC_URL: z.url().optional(),
  /** Comma-separated origins (https://app.example.com) whose pages may open WebSockets here. */
  ALLOWED_ORIGINS: z
    .string()
    .optional()
    .transform((value, context) => {
      const origins = (value ?? '').split(',').map((item) => item.trim()).filter(Boolean);
      for (const origin of origins) {
        if (!URL.canParse(origin) || new URL(origin).origin !== origin.replace(/\/+$/, '')) context.addIssue({ code: 'custom', message: `"${origin}" is not an origin like https://app.example.com` });
      }
      return origins;
    }),
  SHARP_CONCURRENCY: integer(0, 64).default(availableParallelism()),
  MODELS_DIR: z.string().min(1).optional(),
  INFERENCE_THREADS: integer(1, 256).default(availableParallelism()),
  MAX_CONCURRENT_JOBS: integer(1, 64).default(1),
  MAX_QUEUED_JOBS: integer(0, 100_000).default(100),
  KEY_RECHECK_SECONDS: integer(1, 3600).default(30),
  MAX_CONCURRENT_RENDERS: integer(1, 64).default(2),
  MAX_QUEUED_RENDERS: integer(0, 10_000).default(16),
  JOB_TIMEOUT_MS: integer(1000, 3_600_000).default(120_000),
  EXECUTION_PROVIDER: z.enum(['cpu', 'cuda']).default('cpu'),
  WARM_UP: z.enum(['true', 'false']).default('true'),
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
  const dataDir = resolve(values.DATA_DIR);
  return Object.freeze({
    host: values.HOST,
    port: values.PORT,
    dataDir,
    blobDir: resolve(values.BLOB_DIR ?? `${dataDir}/blobs`),
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
    fileUrlTtlSeconds: values.FILE_URL_TTL_SECONDS,
    publicUrl: values.PUBLIC_URL?.replace(/\/+$/, ''),
    allowedOrigins: values.ALLOWED_ORIGINS,
    sharpConcurrency: values.SHARP_CONCURRENCY,
    logLevel: values.LOG_LEVEL,
    modelsDir: resolve(values.MODELS_DIR ?? MODELS_DIR),
    inferenceThreads: values.INFERENCE_THREADS,
    maxConcurrentJobs: values.MAX_CONCURRENT_JOBS,
    maxQueuedJobs: values.MAX_QUEUED_JOBS,
    keyRecheckSeconds: values.KEY_RECHECK_SECONDS,
    maxConcurrentRenders: values.MAX_CONCURRENT_RENDERS,
    maxQueuedRenders: values.MAX_QUEUED_RENDERS,
    jobTimeoutMs: values.JOB_TIMEOUT_MS,
    executionProvider: values.EXECUTION_PROVIDER,
    warmUp: values.WARM_UP === 'true',
    shutdownTimeoutMs: values.SHUTDOWN_TIMEOUT_MS,
  });
}
