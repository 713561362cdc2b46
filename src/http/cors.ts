/**
 * CORS for pages on other origins (the `cors` middleware): the origins OriginPolicy grants
 * (own, PUBLIC_URL, ALLOWED_ORIGINS) may call /graphql and read files and images, with the
 * headers a GraphQL client sends. Keys are bearer tokens, so no credentials mode. A
 * preflight from any other origin is answered 403 here rather than reaching Apollo.
 */
import cors from 'cors';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import type { OriginPolicy } from '../auth/origin-policy.js';
import { sendError } from './send-error.js';

/** What a GraphQL client sends: its key, JSON, and the CSRF headers Apollo Server asks for. */
const ALLOWED_HEADERS = ['Authorization', 'Content-Type', 'Apollo-Require-Preflight', 'X-Apollo-Operation-Name', 'Range', 'If-None-Match'];
/** Headers a page may read beyond the CORS-safelisted ones. */
export const EXPOSED_HEADERS = ['ETag', 'Retry-After', 'X-Request-Id', 'Content-Range', 'Accept-Ranges'];
/** Browsers cache a preflight this long (Chromium caps it at 2 hours). */
const PREFLIGHT_MAX_AGE_SECONDS = 7200;

export function corsFor(originPolicy: OriginPolicy): RequestHandler[] {
  const grant = cors((request, callback) => {
    const origin = request.headers.origin;
    callback(null, {
      origin: origin !== undefined && originPolicy.isGrantedOrigin(origin, request as Request),
      methods: ['GET', 'HEAD', 'POST'],
      allowedHeaders: ALLOWED_HEADERS,
      exposedHeaders: EXPOSED_HEADERS,
      maxAge: PREFLIGHT_MAX_AGE_SECONDS,
    });
  });
  const refuseOtherPreflights = (request: Request, response: Response, next: NextFunction) => {
    if (request.method !== 'OPTIONS') return next();
    response.vary('Origin');
    sendError(response, 'FORBIDDEN', 'This origin may not call this gateway: add it to ALLOWED_ORIGINS');
  };
  return [grant, refuseOtherPreflights];
}
