/**
 * File downloads by signed URL: an asset's original, its WebP thumbnails and its ground
 * truth, rendered effects (renditions), and a segmentation's mask and mask versions. Content
 * never changes for a given URL, so responses are cacheable and carry the blob hash as ETag.
 */
import { Router, type Request, type Response } from 'express';
import { pipeline } from 'node:stream/promises';
import { parseThumbnailSize } from '../assets/asset-input.js';
import type { AssetService } from '../assets/asset.service.js';
import type { RenditionService } from '../effects/rendition.service.js';
import type { QualityService } from '../quality/quality.service.js';
import type { CorrectionService } from '../corrections/correction.service.js';
import type { SegmentationService } from '../segmentations/segmentation.service.js';
import type { UrlSigner } from '../auth/url-signer.js';
import { isAppError } from '../errors.js';
import type { Logger } from '../lib/logger.js';
import type { BlobStore } from '../storage/blob-store.js';
import type { BlobPresigner } from '../storage/s3-blob-store.js';
import { sendError } from './send-error.js';

interface FileRouteDeps {
  assets: AssetService;
  renditions: RenditionService;
  quality: QualityService;
  segmentations: SegmentationService;
  corrections: CorrectionService;
  blobs: BlobStore;
  presigner: BlobPresigner | undefined;
  signer: UrlSigner;
  logger: Logger;
}

/** SigV4 presigned URLs live at most 7 days. */
const MAX_PRESIGN_SECONDS = 7 * 24 * 3600;

export function fileRoutes({ assets, renditions, quality, segmentations, corrections, blobs, presigner, signer, logger }: FileRouteDeps): Router {
  const router = Router();

  /** Verifies the signature and finds the asset; answers the error itself and returns undefined. */
  function isSigned(request: Request, response: Response): boolean {
    // The signature covers the full path, so an id cannot be swapped without breaking it.
    const verdict = signer.verify(request.baseUrl + request.path, request.query.exp, request.query.sig);
    if (verdict !== 'valid') {
      sendError(
        response,
        'FORBIDDEN',
        verdict === 'expired' ? 'This file URL has expired; query again for a fresh one' : 'This file URL is not validly signed',
      );
    }
    return verdict === 'valid';
  }

  async function authorisedAsset(request: Request, response: Response) {
    if (!isSigned(request, response)) return undefined;
    const id = String(request.params.id);
    const asset = await assets.findById(id);
    if (!asset) sendError(response, 'NOT_FOUND', `No asset with id ${id}`);
    return asset ?? undefined;
  }

  /**
   * `mutable`: the URL's content can change (the ground truth is replaced in place), so the
   * browser revalidates with the ETag instead of keeping a stale copy until expiry.
   */
  async function sendBlob(
    request: Request,
    response: Response,
    blob: { sha256: string; byteSize: number; mimeType: string; filename: string; mutable?: boolean },
  ) {
    const etag = `"${blob.sha256}"`;
    const expiresInSeconds = Math.max(0, Number(request.query.exp) - Math.floor(Date.now() / 1000));
    const cacheControl = blob.mutable ? 'private, no-cache' : `private, max-age=${expiresInSeconds}, immutable`;
    const contentDisposition = `inline; filename*=UTF-8''${encodeURIComponent(blob.filename)}`;
    if (presigner) {
      // The bytes come straight from the store, with the type and caching this route would send.
      const url = await presigner.presignGet(blob.sha256, {
        contentType: blob.mimeType,
        contentDisposition,
        cacheControl,
        expiresInSeconds: Math.min(MAX_PRESIGN_SECONDS, Math.max(1, expiresInSeconds)),
      });
      response.set('Cache-Control', 'private, no-store').redirect(302, url);
      return;
    }
    response.set({
      'Cache-Control': cacheControl,
      ETag: etag,
      'X-Content-Type-Options': 'nosniff',
      'Content-Disposition': contentDisposition,
    });
    if (request.headers['if-none-match'] === etag) {
      response.status(304).end();
      return;
    }
    response.type(blob.mimeType).set('Content-Length', String(blob.byteSize));
    // The first bytes (or the store's error) before the headers go: a store that cannot be read
    // answers 503 STORAGE_UNAVAILABLE, instead of a 200 whose connection then drops.
    const source = blobs.read(blob.sha256);
    await new Promise<void>((resolve, reject) => {
      source.once('readable', resolve);
      source.once('error', reject);
    });
    await pipeline(source, response);
  }

  const handle = (work: (request: Request, response: Response) => Promise<void>) => async (request: Request, response: Response) => {
    try {
      await work(request, response);
    } catch (error) {
      if (response.headersSent) {
        response.destroy();
      } else if (isAppError(error)) {
        if (error.code === 'STORAGE_UNAVAILABLE') response.set('Retry-After', '5');
        sendError(response, error.code, error.message);
      } else {
        logger.error('file route failed', { error, path: request.path });
        sendError(response, 'INTERNAL_SERVER_ERROR', 'Internal server error');
      }
    }
  };

  router.get(
    '/assets/:id/original',
    handle(async (request, response) => {
      const asset = await authorisedAsset(request, response);
      if (!asset) return;
      await sendBlob(request, response, { sha256: asset.sha256, byteSize: asset.byteSize, mimeType: asset.mimeType, filename: asset.name });
    }),
  );

  router.get(
    '/assets/:id/thumbnails/:size',
    handle(async (request, response) => {
      const asset = await authorisedAsset(request, response);
      if (!asset) return;
      const thumbnail = await assets.thumbnail(asset, parseThumbnailSize(Number(request.params.size)));
      await sendBlob(request, response, {
        sha256: thumbnail.sha256,
        byteSize: thumbnail.byteSize,
        mimeType: 'image/webp',
        filename: `${asset.name}.${thumbnail.size}.webp`,
      });
    }),
  );

  router.get(
    '/assets/:id/ground-truth',
    handle(async (request, response) => {
      const asset = await authorisedAsset(request, response);
      if (!asset) return;
      const truth = await quality.groundTruth(asset.id);
      if (!truth) return sendError(response, 'NOT_FOUND', `No ground truth for asset ${asset.id}`);
      await sendBlob(request, response, {
        sha256: truth.sha256,
        byteSize: truth.byteSize,
        mimeType: 'image/png',
        filename: `${asset.name}.ground-truth.png`,
        mutable: true,
      });
    }),
  );

  router.get(
    '/renditions/:id',
    handle(async (request, response) => {
      if (!isSigned(request, response)) return;
      const rendition = await renditions.findById(String(request.params.id));
      if (!rendition) return sendError(response, 'NOT_FOUND', `No rendition ${request.params.id}`);
      await sendBlob(request, response, {
        sha256: rendition.sha256,
        byteSize: rendition.byteSize,
        mimeType: `image/${rendition.format}`,
        filename: `effect-${rendition.id}.${rendition.format === 'jpeg' ? 'jpg' : rendition.format}`,
      });
    }),
  );

  router.get(
    '/segmentations/:id/mask',
    handle(async (request, response) => {
      if (!isSigned(request, response)) return;
      const segmentation = await segmentations.findById(String(request.params.id));
      if (!segmentation?.maskSha256) return sendError(response, 'NOT_FOUND', `No mask for segmentation ${request.params.id}`);
      await sendBlob(request, response, {
        sha256: segmentation.maskSha256,
        byteSize: segmentation.maskByteSize!,
        mimeType: 'image/png',
        filename: `mask-${segmentation.id}.png`,
      });
    }),
  );

  router.get(
    '/segmentations/:id/masks/:version',
    handle(async (request, response) => {
      if (!isSigned(request, response)) return;
      const segmentation = await segmentations.findById(String(request.params.id));
      const version = Number(request.params.version);
      const view = segmentation && Number.isInteger(version) && version >= 2 ? await corrections.version(segmentation, version).catch(() => null) : null;
      if (!view?.record) return sendError(response, 'NOT_FOUND', `No mask version ${request.params.version} of segmentation ${request.params.id}`);
      await sendBlob(request, response, {
        sha256: view.record.sha256,
        byteSize: view.record.byteSize,
        mimeType: 'image/png',
        filename: `mask-${segmentation!.id}-v${version}.png`,
      });
    }),
  );

  return router;
}
