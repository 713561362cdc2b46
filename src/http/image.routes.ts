/**
 * Preset images (src/images): `GET /images/<sig>/<asset>/<preset>/<width>/<version>`. The
 * signature (HMAC-SHA256 over the path, no expiry) replaces the API key, so an `<img>`, a
 * CDN and an e-mail can fetch it. Answers are immutable: public for a year, a strong ETag
 * (304 for strong and weak If-None-Match), byte ranges (206), and `Vary: Accept` when the
 * format is negotiated. Without the version it is the alias: a short-lived redirect to the
 * current URL.
 */
import { Router, type Request, type Response } from 'express';
import parseRange from 'range-parser';
import { pipeline } from 'node:stream/promises';
import type { UrlSigner } from '../auth/url-signer.js';
import { isAppError } from '../errors.js';
import type { ImageService, ImageTarget } from '../images/image.service.js';
import type { Logger } from '../lib/logger.js';
import type { BlobStore } from '../storage/blob-store.js';
import type { ImageVariantRecord } from '../storage/records.js';
import { sendError } from './send-error.js';

const IMMUTABLE = 'public, max-age=31536000, immutable';
/** How long a redirect to the current version may be cached: a correction shows within a minute. */
const ALIAS_MAX_AGE_SECONDS = 60;

/** Whether If-None-Match names this ETag; weak comparison, as RFC 9110 asks for GET. */
function matches(ifNoneMatch: string | undefined, etag: string): boolean {
  if (!ifNoneMatch) return false;
  if (ifNoneMatch.trim() === '*') return true;
  return ifNoneMatch.split(',').some((candidate) => candidate.trim().replace(/^W\//, '') === etag);
}

export function imageRoutes({ images, blobs, signer, logger }: { images: ImageService; blobs: BlobStore; signer: UrlSigner; logger: Logger }): Router {
  const router = Router();

  async function sendVariant(request: Request, response: Response, variant: ImageVariantRecord, negotiated: boolean) {
    const etag = `"${variant.sha256}"`;
    response.set({ 'Cache-Control': IMMUTABLE, ETag: etag, 'Accept-Ranges': 'bytes', 'X-Content-Type-Options': 'nosniff' });
    if (negotiated) response.vary('Accept');
    if (matches(request.headers['if-none-match'], etag)) return void response.status(304).end();
    response.type(`image/${variant.format}`);
    const ranges = request.headers.range ? parseRange(variant.byteSize, request.headers.range, { combine: true }) : undefined;
    if (ranges === -1) {
      response.set('Content-Range', `bytes */${variant.byteSize}`);
      return sendError(response, 'RANGE_NOT_SATISFIABLE', `The image has ${variant.byteSize} bytes`);
    }
    // One range is answered as such; a malformed header or several ranges get the whole image.
    const range = Array.isArray(ranges) && ranges.type === 'bytes' && ranges.length === 1 ? ranges[0]! : undefined;
    if (range) {
      response
        .status(206)
        .set({ 'Content-Range': `bytes ${range.start}-${range.end}/${variant.byteSize}`, 'Content-Length': String(range.end - range.start + 1) });
    } else {
      response.set('Content-Length', String(variant.byteSize));
    }
    if (request.method === 'HEAD') return void response.end();
    await pipeline(blobs.read(variant.sha256, range), response);
  }

  const serve = async (request: Request, response: Response) => {
    const { sig, assetId, preset, width, version } = request.params as Record<string, string | undefined>;
    const path = `/${assetId}/${preset}/${width}${version === undefined ? '' : `/${version}`}`;
    if (!signer.verifyForever(`images${path}`, sig)) return sendError(response, 'FORBIDDEN', 'This image URL is not validly signed');
    const target: ImageTarget = { assetId: assetId!, preset: preset!, width: Number(width), version };
    try {
      const delivery = await images.deliver(target, request.headers.accept, request.requestId);
      switch (delivery.kind) {
        case 'variant':
          return await sendVariant(request, response, delivery.variant, delivery.negotiated);
        case 'redirect':
          response.set('Cache-Control', `public, max-age=${ALIAS_MAX_AGE_SECONDS}`);
          return response.redirect(302, `${request.baseUrl}/${signer.signForever(`images${delivery.path}`)}${delivery.path}`);
        case 'later':
          response.set({ 'Retry-After': String(delivery.retryAfterSeconds), 'Cache-Control': 'no-store' });
          return sendError(response, 'BUSY', delivery.reason);
      }
    } catch (error) {
      if (response.headersSent) return void response.destroy();
      if (isAppError(error)) {
        if (error.code === 'BUSY') response.set({ 'Retry-After': '2', 'Cache-Control': 'no-store' });
        return sendError(response, error.code, error.message);
      }
      logger.error('image route failed', { error, path: request.path });
      return sendError(response, 'INTERNAL_SERVER_ERROR', 'Internal server error');
    }
  };

  router.get('/:sig/:assetId/:preset/:width/:version', serve);
  router.get('/:sig/:assetId/:preset/:width', serve);
  return router;
}
