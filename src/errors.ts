/**
 * The one error type domain code throws. `formatError` (GraphQL) and the HTTP routes
 * turn it into `extensions.code` / a status; it imports nothing from graphql.
 */
export const ERROR_CODES = [
  'BAD_USER_INPUT',
  'NOT_FOUND',
  'FAILED_PRECONDITION',
  'UNSUPPORTED_MEDIA_TYPE',
  'PAYLOAD_TOO_LARGE',
  'UNAUTHENTICATED',
  'FORBIDDEN',
  'QUERY_TOO_COMPLEX',
  'BUSY',
  'MODEL_UNAVAILABLE',
  'INFERENCE_FAILED',
  'STORAGE_UNAVAILABLE',
  'UNAVAILABLE',
  'INTERNAL_SERVER_ERROR',
  'RANGE_NOT_SATISFIABLE',
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

/** HTTP status for each code, used by the REST-style file routes and health checks. */
export const HTTP_STATUS: Record<ErrorCode, number> = {
  BAD_USER_INPUT: 400,
  NOT_FOUND: 404,
  FAILED_PRECONDITION: 409,
  UNSUPPORTED_MEDIA_TYPE: 415,
  PAYLOAD_TOO_LARGE: 413,
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  QUERY_TOO_COMPLEX: 400,
  BUSY: 503,
  MODEL_UNAVAILABLE: 503,
  INFERENCE_FAILED: 500,
  STORAGE_UNAVAILABLE: 503,
  UNAVAILABLE: 503,
  INTERNAL_SERVER_ERROR: 500,
  RANGE_NOT_SATISFIABLE: 416,
};

export interface AppErrorOptions {
  /** Public, machine-readable context such as the offending field. */
  details?: Record<string, unknown>;
  cause?: unknown;
}

export class AppError extends Error {
  readonly code: ErrorCode;
  readonly details: Record<string, unknown> | undefined;

  constructor(code: ErrorCode, message: string, options: AppErrorOptions = {}) {
    super(message, { cause: options.cause });
    this.name = 'AppError';
    this.code = code;
    this.details = options.details;
  }
}

export function isAppError(error: unknown): error is AppError {
  return error instanceof AppError;
}

/** Long strings are cut in messages: the message names the mistake, it need not repeat it. */
const SHOWN_CHARACTERS = 80;

/**
 * The one shape of an input mistake: "Expected 1 to 5 models for input.models but received
 * 7", with the field in `details.field` for clients. `received` is shown as JSON (strings
 * quoted, cut after 80 characters), or as written when it is a `{ described }` phrase.
 */
export function inputError(
  field: string,
  expected: string,
  received: unknown,
  options: { code?: ErrorCode; cause?: unknown; details?: Record<string, unknown> } = {},
): AppError {
  const shown =
    typeof received === 'object' && received !== null && 'described' in received
      ? String(received.described)
      : JSON.stringify(typeof received === 'string' && received.length > SHOWN_CHARACTERS ? `${received.slice(0, SHOWN_CHARACTERS)}…` : received);
  return new AppError(options.code ?? 'BAD_USER_INPUT', `Expected ${expected} for ${field} but received ${shown}`, {
    details: { field, ...options.details },
    cause: options.cause,
  });
}
