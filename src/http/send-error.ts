import type { Response } from 'express';
import { HTTP_STATUS, type ErrorCode } from '../errors.js';

/** Errors outside GraphQL still answer in GraphQL's shape, so one client parser handles both. */
export function sendError(response: Response, code: ErrorCode, message: string): void {
  response.status(HTTP_STATUS[code]).json({ errors: [{ message, extensions: { code } }] });
}
