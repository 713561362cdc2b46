/**
 * Whether an error means the database cannot be reached right now (a restart, a failover, a
 * connection ended by the server or a proxy), as opposed to a bug or a bad query. Such
 * errors answer 503 UNAVAILABLE with Retry-After instead of 500; the pools reconnect by
 * themselves. Errors arrive wrapped (GraphQL's originalError, Prisma's cause and meta), so
 * the whole chain is searched.
 */

/** SQLSTATE classes and codes of an unreachable server: connection exceptions (08), admin/crash shutdown, cannot connect now. */
const SQLSTATES = /^(08\w{3}|57P0[123])$/;
const NODE_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EAI_AGAIN']);
const MESSAGES = [/Code: `(08\w{3}|57P0[123])`/, /Connection terminated/i, /Can't reach database server/i, /Client has encountered a connection error/i];

export function isDatabaseUnavailable(error: unknown, depth = 0): boolean {
  if (typeof error !== 'object' || error === null || depth > 6) return false;
  const record = error as { code?: unknown; meta?: { code?: unknown }; message?: unknown; cause?: unknown; originalError?: unknown };
  for (const code of [record.code, record.meta?.code]) {
    if (typeof code === 'string' && (SQLSTATES.test(code) || NODE_CODES.has(code) || code === 'P1001' || code === 'P1017')) return true;
  }
  if (typeof record.message === 'string' && MESSAGES.some((pattern) => pattern.test(record.message as string))) return true;
  return isDatabaseUnavailable(record.originalError, depth + 1) || isDatabaseUnavailable(record.cause, depth + 1);
}
