/**
 * The Express 5 app: GraphQL at /graphql (JSON and multipart uploads), signed file
 * downloads under /files, health probes, and a small local page at /.
 */
import { UNAVAILABLE_RETRY_SECONDS } from '../graphql/format-error.js';
import { isDatabaseUnavailable } from '../storage/database-errors.js';
import { expressMiddleware } from '@as-integrations/express5';
import type { ApolloServer } from '@apollo/server';
import express, { type NextFunction, type Request, type Response } from 'express';
import graphqlUploadExpress from 'graphql-upload/graphqlUploadExpress.mjs';
import type { UrlSigner } from '../auth/url-signer.js';
import type { Config } from '../config/config.js';
import { isAppError } from '../errors.js';
import type { GraphQLContext, RequestFacts, Services } from '../graphql/context.js';
import type { Logger } from '../lib/logger.js';
import type { BlobStore } from '../storage/blob-store.js';
import { fileRoutes } from './file.routes.js';
import { opsRoutes, requestIdAndTiming, type ReadinessCheck } from './ops.routes.js';
import type { AppMetrics } from '../observability/metrics.js';
import type { BlobPresigner } from '../storage/s3-blob-store.js';
import type { OriginPolicy } from '../auth/origin-policy.js';
import { GraphQLError } from 'graphql';
import { sendError } from './send-error.js';
import { corsFor } from './cors.js';
import { imageRequests } from './image.routes.js';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { LANDING_PAGE } from './landing-page.js';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const WEB_INDEX = fileURLToPath(new URL('../../web/index.html', import.meta.url));
const WEB_DIST = fileURLToPath(new URL('../../web/dist/', import.meta.url));

export interface AppDeps {
  originPolicy: OriginPolicy;
  config: Config;
  logger: Logger;
  apollo: ApolloServer<GraphQLContext>;
  services: Services;
  /** The one context builder (src/graphql/context.ts), shared with WebSockets. */
  context: (request: RequestFacts) => Promise<GraphQLContext>;
  signer: UrlSigner;
  blobs: BlobStore;
  isReady: ReadinessCheck;
  metrics: AppMetrics;
  /** FILE_URLS=presigned: file routes answer with a redirect to the store instead of streaming. */
  presigner: BlobPresigner | undefined;
  /** The embedded gateway's control route for the CLI (see control.routes.ts). */
  control: express.Router | undefined;
}

/** Multipart bodies carry files, so allow a little envelope beyond the file cap. */
const MULTIPART_OVERHEAD_BYTES = 1024 * 1024;

export function createApp(deps: AppDeps): express.Express {
  const { config, logger } = deps;
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', 'loopback');
  app.use(requestIdAndTiming(deps.metrics));
  // DNS rebinding: in single-user mode only loopback names (or PUBLIC_URL's) reach anything.
  app.use((request: Request, response: Response, next: NextFunction) => {
    if (deps.originPolicy.isAllowedHost(request.headers.host)) return next();
    sendError(response, 'FORBIDDEN', 'This gateway runs in single-user mode and answers only to a loopback host name or PUBLIC_URL');
  });

  // Pages on the granted origins call the API and draw files and images into canvases.
  app.use(['/graphql', '/files', '/images'], corsFor(deps.originPolicy));
  // The web page (web/, bundled at install); the plain landing page if it was not built.
  app.get('/', (_request, response) => {
    if (existsSync(WEB_INDEX)) response.sendFile(WEB_INDEX);
    else response.type('html').send(LANDING_PAGE);
  });
  app.use('/app', express.static(WEB_DIST, { maxAge: '1h', index: false }));
  app.use(opsRoutes(deps.metrics, deps.isReady));

  app.use(
    '/files',
    fileRoutes({
      assets: deps.services.assets,
      renditions: deps.services.renditions,
      quality: deps.services.quality,
      segmentations: deps.services.segmentations,
      corrections: deps.services.corrections,
      blobs: deps.blobs,
      presigner: deps.presigner,
      signer: deps.signer,
      logger,
    }),
  );

  app.use(
    '/graphql',
    refuseEarly(config),
    graphqlUploadExpress({ maxFileSize: config.maxUploadBytes, maxFiles: 1, maxFieldSize: 1024 * 1024 }),
    express.json({ limit: '1mb' }),
    expressMiddleware(deps.apollo, {
      context: ({ req }) =>
        httpAuthenticationErrors(
          deps.context({
            authorization: req.headers.authorization,
            baseUrl: config.publicUrl ?? `${req.protocol}://${req.get('host')}`,
            requestId: req.requestId,
          }),
        ),
    }),
  );

  if (deps.control) app.use('/control', deps.control);

  app.use((_request: Request, response: Response) => sendError(response, 'NOT_FOUND', 'No such route'));
  app.use((error: unknown, request: Request, response: Response, _next: NextFunction) => {
    if (response.headersSent) return void response.destroy();
    const status = typeof error === 'object' && error && 'status' in error ? Number(error.status) : 500;
    if (isAppError(error)) return sendError(response, error.code, error.message);
    if (status === 413) return sendError(response, 'PAYLOAD_TOO_LARGE', 'The request body is larger than allowed');
    if (status >= 400 && status < 500) return sendError(response, 'BAD_USER_INPUT', error instanceof Error ? error.message : 'Bad request');
    logger.error('request failed', { error, path: request.path });
    return sendError(response, 'INTERNAL_SERVER_ERROR', 'Internal server error');
  });
  return app;
}

/** The gateway's request listener: preset image GETs on their own fast path (image.routes.ts), everything else through Express. */
export function createRequestListener(deps: AppDeps): (request: IncomingMessage, response: ServerResponse) => void {
  const app = createApp(deps);
  const images = imageRequests({
    images: deps.services.images,
    blobs: deps.blobs,
    signer: deps.signer,
    originPolicy: deps.originPolicy,
    metrics: deps.metrics,
    logger: deps.logger,
  });
  return (request, response) => {
    if (!images(request, response)) app(request, response);
  };
}

/**
 * Answers oversize bodies (by Content-Length) and multipart requests that fail Apollo's
 * CSRF rule before any file byte is read; Apollo would refuse them only after parsing.
 */
function refuseEarly(config: Config) {
  return (request: Request, response: Response, next: NextFunction) => {
    const contentType = request.headers['content-type'] ?? '';
    if (!contentType.startsWith('multipart/form-data')) return next();
    const declared = Number(request.headers['content-length'] ?? 0);
    if (declared > config.maxUploadBytes + MULTIPART_OVERHEAD_BYTES) {
      request.resume();
      response.set('Connection', 'close');
      return sendError(response, 'PAYLOAD_TOO_LARGE', `Expected at most ${config.maxUploadBytes} bytes but the upload is ${declared}`);
    }
    if (!request.headers['apollo-require-preflight'] && !request.headers['x-apollo-operation-name']) {
      request.resume();
      return sendError(
        response,
        'BAD_USER_INPUT',
        'Multipart requests must carry the header "Apollo-Require-Preflight: true" (or "X-Apollo-Operation-Name") to prevent cross-site request forgery',
      );
    }
    return next();
  };
}

/** Over HTTP an authentication failure is a GraphQL error with status 401; a database away for a moment, 503 with Retry-After. */
async function httpAuthenticationErrors(context: Promise<GraphQLContext>): Promise<GraphQLContext> {
  try {
    return await context;
  } catch (error) {
    if (isAppError(error)) {
      throw new GraphQLError(error.message, { extensions: { code: error.code, http: { status: 401 } } });
    }
    if (isDatabaseUnavailable(error)) {
      throw new GraphQLError('The database is unavailable for a moment; try again shortly', {
        originalError: error as Error,
        extensions: { code: 'UNAVAILABLE', http: { status: 503, headers: new Map([['retry-after', String(UNAVAILABLE_RETRY_SECONDS)]]) } },
      });
    }
    throw error;
  }
}
