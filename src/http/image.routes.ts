/**
 * Preset images (src/images): `GET /images/<sig>/<asset>/<preset>/<width>/<version>`. The
 * signature (HMAC-SHA256 over the path, no expiry) replaces the API key, so an `<img>`, a
 * CDN and an e-mail can fetch it. Answers are immutable: public for a year, a strong ETag
 * (304 for strong and weak If-None-Match), byte ranges (206), and `Vary: Accept` when the
 * format is negotiated. Without the version it is the alias: a short-lived redirect to the
 * current URL.
 *
 * This is the route a CDN's misses and every browser without a CDN hit most, so it answers
 * on Node's own request and response, ahead of Express (which still answers its CORS
 * preflights): the same host rule, CORS grant, request id and latency metric, less work.
 */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import parseRange from 'range-parser';
import type { OriginPolicy } from '../auth/origin-policy.js';
import type { UrlSigner } from '../auth/url-signer.js';
import { HTTP_STATUS, isAppError, type ErrorCode } from '../errors.js';
import type { ImageService } from '../images/image.service.js';
import type { Logger } from '../lib/logger.js';
import type { AppMetrics } from '../observability/metrics.js';
import type { BlobStore } from '../storage/blob-store.js';
import type { ImageVariantRecord } from '../storage/records.js';
import { EXPOSED_HEADERS } from './cors.js';
import { REQUEST_ID_PATTERN } from './ops.routes.js';

const IMMUTABLE = 'public, max-age=31536000, immutable';
/** How long a redirect to the current version may be cached: a correction shows within a minute. */
const ALIAS_MAX_AGE_SECONDS = 60;
const ROUTE = '/images/:sig/:assetId/:preset/:width/:version?';

/** Whether If-None-Match names this ETag; weak comparison, as RFC 9110 asks for GET. */
function matches(ifNoneMatch: string | undefined, etag: string): boolean {
  if (!ifNoneMatch) return false;
  if (ifNoneMatch.trim() === '*') return true;
  return ifNoneMatch.split(',').some((candidate) => candidate.trim().replace(/^W\//, '') === etag);
}

interface ImageRouteDeps {
  images: ImageService;
  blobs: BlobStore;
  signer: UrlSigner;
  originPolicy: OriginPolicy;
  metrics: AppMetrics;
  logger: Logger;
}

/** A request listener for image GETs and HEADs; answers false (untouched) for every other request. */
export function imageRequests({ images, blobs, signer, originPolicy, metrics, logger }: ImageRouteDeps) {
  function finish(response: ServerResponse, status: number, headers: Record<string, string>, body?: string) {
    response.writeHead(status, headers).end(body);
  }

  function fail(response: ServerResponse, headers: Record<string, string>, code: ErrorCode, message: string) {
    finish(
      response,
      HTTP_STATUS[code],
      { ...headers, 'Content-Type': 'application/json; charset=utf-8' },
      JSON.stringify({ errors: [{ message, extensions: { code } }] }),
    );
  }

  function sendVariant(request: IncomingMessage, response: ServerResponse, headers: Record<string, string>, variant: ImageVariantRecord, negotiated: boolean) {
    const etag = `"${variant.sha256}"`;
    Object.assign(headers, { 'Cache-Control': IMMUTABLE, ETag: etag, 'Accept-Ranges': 'bytes', 'X-Content-Type-Options': 'nosniff' });
    if (negotiated) headers.Vary = headers.Vary ? `${headers.Vary}, Accept` : 'Accept';
    if (matches(request.headers['if-none-match'], etag)) return finish(response, 304, headers);
    const ranges = request.headers.range ? parseRange(variant.byteSize, request.headers.range, { combine: true }) : undefined;
    if (ranges === -1)
      return fail(response, { ...headers, 'Content-Range': `bytes */${variant.byteSize}` }, 'RANGE_NOT_SATISFIABLE', `The image has ${variant.byteSize} bytes`);
    // One range is answered as such; a malformed header or several ranges get the whole image.
    const range = Array.isArray(ranges) && ranges.type === 'bytes' && ranges.length === 1 ? ranges[0]! : undefined;
    headers['Content-Type'] = `image/${variant.format}`;
    if (range) headers['Content-Range'] = `bytes ${range.start}-${range.end}/${variant.byteSize}`;
    headers['Content-Length'] = String(range ? range.end - range.start + 1 : variant.byteSize);
    response.writeHead(range ? 206 : 200, headers);
    if (request.method === 'HEAD') return void response.end();
    const bytes = blobs.read(variant.sha256, range);
    // A store failing mid-answer, or a client gone: the connection ends, the process goes on.
    bytes.once('error', () => response.destroy());
    response.once('close', () => bytes.destroy());
    bytes.pipe(response);
  }

  async function serve(request: IncomingMessage, response: ServerResponse, segments: string[], headers: Record<string, string>, requestId: string) {
    const [sig, assetId, preset, width, version] = segments as [string, string, string, string, string | undefined];
    const path = `/${assetId}/${preset}/${width}${version === undefined ? '' : `/${version}`}`;
    if (!signer.verifyForever(`images${path}`, sig)) return fail(response, headers, 'FORBIDDEN', 'This image URL is not validly signed');
    try {
      const delivery = await images.deliver({ assetId, preset, width: Number(width), version }, request.headers.accept, requestId);
      switch (delivery.kind) {
        case 'variant':
          return sendVariant(request, response, headers, delivery.variant, delivery.negotiated);
        case 'redirect':
          return finish(response, 302, {
            ...headers,
            'Cache-Control': `public, max-age=${ALIAS_MAX_AGE_SECONDS}`,
            Location: `/images/${signer.signForever(`images${delivery.path}`)}${delivery.path}`,
          });
        case 'later':
          return fail(response, { ...headers, 'Retry-After': String(delivery.retryAfterSeconds), 'Cache-Control': 'no-store' }, 'BUSY', delivery.reason);
      }
    } catch (error) {
      if (response.headersSent) return void response.destroy();
      if (isAppError(error)) {
        const busy: Record<string, string> = error.code === 'BUSY' ? { 'Retry-After': '2', 'Cache-Control': 'no-store' } : {};
        return fail(response, { ...headers, ...busy }, error.code, error.message);
      }
      logger.error('image route failed', { error, path: request.url, requestId });
      return fail(response, headers, 'INTERNAL_SERVER_ERROR', 'Internal server error');
    }
  }

  return (request: IncomingMessage, response: ServerResponse): boolean => {
    if ((request.method !== 'GET' && request.method !== 'HEAD') || !request.url?.startsWith('/images/')) return false;
    const segments = request.url.split('?', 1)[0]!.slice('/images/'.length).split('/');
    if (segments.length !== 4 && segments.length !== 5) return false; // Express answers 404
    const stop = metrics.httpDuration.startTimer({ method: request.method, route: ROUTE });
    response.once('finish', () => stop({ status: String(response.statusCode) }));
    const given = request.headers['x-request-id'];
    const requestId = typeof given === 'string' && REQUEST_ID_PATTERN.test(given) ? given : randomUUID();
    const headers: Record<string, string> = { 'X-Request-Id': requestId };
    // The rules Express applies to every other route: the host (single-user mode) and the CORS grant.
    if (!originPolicy.isAllowedHost(request.headers.host)) {
      fail(response, headers, 'FORBIDDEN', 'This gateway runs in single-user mode and answers only to a loopback host name or PUBLIC_URL');
      return true;
    }
    const origin = request.headers.origin;
    if (origin !== undefined) {
      headers.Vary = 'Origin';
      if (originPolicy.isGrantedOrigin(origin, request))
        Object.assign(headers, { 'Access-Control-Allow-Origin': origin, 'Access-Control-Expose-Headers': EXPOSED_HEADERS.join(',') });
    }
    void serve(request, response, segments, headers, requestId);
    return true;
  };
}
