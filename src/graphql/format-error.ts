/**
 * The one place that turns errors into GraphQL error codes: an AppError keeps its code
 * and public message; GraphQL's own parse/validation errors keep theirs; query-limit
 * rejections become QUERY_TOO_COMPLEX; anything else is logged and hidden behind
 * INTERNAL_SERVER_ERROR.
 */
import type { GraphQLFormattedError } from 'graphql';
import { unwrapResolverError } from '@apollo/server/errors';
import { isAppError } from '../errors.js';
import { isDatabaseUnavailable } from '../storage/database-errors.js';

/** What an UNAVAILABLE answer asks the client to wait. */
export const UNAVAILABLE_RETRY_SECONDS = 2;
import type { Logger } from '../lib/logger.js';

/** Set by our query-limit rules; Apollo overwrites `code` on validation errors, not this. */
export const LIMIT_EXTENSION = 'maskgraphLimit';
/** Set by validation rules that refuse a value, not the query's shape (string-hygiene.ts): BAD_USER_INPUT. */
export const BAD_INPUT_EXTENSION = 'maskgraphBadInput';

const GRAPHQL_OWN_CODES = new Set([
  'GRAPHQL_PARSE_FAILED',
  'GRAPHQL_VALIDATION_FAILED',
  'BAD_REQUEST',
  'PERSISTED_QUERY_NOT_FOUND',
  'PERSISTED_QUERY_NOT_SUPPORTED',
  'OPERATION_RESOLUTION_FAILURE',
]);

export function createFormatError(logger: Logger) {
  return (formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError => {
    const original = unwrapResolverError(error);
    if (isAppError(original)) {
      return {
        message: original.message,
        ...(formatted.locations ? { locations: formatted.locations } : {}),
        ...(formatted.path ? { path: formatted.path } : {}),
        extensions: { code: original.code, ...(original.details ? { details: original.details } : {}) },
      };
    }
    const extensions = formatted.extensions ?? {};
    const code = typeof extensions.code === 'string' ? extensions.code : undefined;
    if (extensions[LIMIT_EXTENSION] || (code === 'GRAPHQL_PARSE_FAILED' && /more th(?:an|at) \d+ tokens/.test(formatted.message))) {
      return { message: formatted.message, extensions: { code: 'QUERY_TOO_COMPLEX' } };
    }
    if (extensions[BAD_INPUT_EXTENSION]) {
      return { message: formatted.message, ...(formatted.locations ? { locations: formatted.locations } : {}), extensions: { code: 'BAD_USER_INPUT' } };
    }
    // BAD_USER_INPUT here is graphql-js/Apollo's own: a variable that does not coerce to its
    // type; the message names the variable.
    if (code === 'UNAUTHENTICATED' || code === 'BAD_USER_INPUT' || (code && GRAPHQL_OWN_CODES.has(code))) {
      const { stacktrace: _stack, ...rest } = extensions;
      return { ...formatted, extensions: rest };
    }
    // The database away for a moment (a restart, a failover): the client should retry, and
    // the answer says so (503 and Retry-After, set where the response is sent: server.ts).
    if (isDatabaseUnavailable(error)) {
      logger.warn('database unavailable during a GraphQL request', { error: original });
      return {
        message: 'The database is unavailable for a moment; try again shortly',
        ...(formatted.path ? { path: formatted.path } : {}),
        extensions: { code: 'UNAVAILABLE', details: { retryAfterSeconds: UNAVAILABLE_RETRY_SECONDS } },
      };
    }
    logger.error('unexpected error in a GraphQL request', { error: original });
    return {
      message: 'Internal server error',
      ...(formatted.path ? { path: formatted.path } : {}),
      extensions: { code: 'INTERNAL_SERVER_ERROR' },
    };
  };
}
