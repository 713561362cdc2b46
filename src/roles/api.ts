/**
 * The API role's front door: GraphQL over HTTP and WebSockets, file downloads, the web
 * page, and (embedded only) the CLI's control route. Also part of the all-in-one default.
 * Builds nothing but the servers: every service comes from the composition root.
 */
import { createServer } from 'node:http';
import { OriginPolicy, requestProtocol } from '../auth/origin-policy.js';
import type { Adapters } from '../composition/adapters.js';
import type { Services } from '../composition/services.js';
import type { Config } from '../config/config.js';
import { isAppError } from '../errors.js';
import { createContextBuilder } from '../graphql/context.js';
import { createGraphQLServers } from '../graphql/server.js';
import { createRequestListener } from '../http/app.js';
import { controlRoutes, newControlToken, writeControlFile } from '../http/control.routes.js';
import type { Logger } from '../lib/logger.js';
import { collectBlobGarbage } from '../storage/blob-gc.js';

/** Blobs younger than this are never swept: an upload may still be about to insert its row. */
const GC_GRACE_MS = 60 * 60 * 1000;

/** Times each render thread renders every effect kind at start (WARM_UP): about 0.2 s a round a thread (measured: 0.55 s for 3 rounds on the slower of 2). */
const RENDER_WARM_UP_ROUNDS = 3;

/**
 * Previews render on the render threads: with WARM_UP, each renders every kind a few times
 * at start (src/effects/warm-up.ts), and /readyz waits for it, so a balancer sends the first
 * previews to warm threads. A failed warm-up is logged and not waited for.
 */
function warmRenderThreads(config: Config, services: Services, logger: Logger): () => boolean {
  let warm = !config.warmUp;
  if (!warm)
    void services.renderPool
      .warmUp(RENDER_WARM_UP_ROUNDS)
      .then(
        (slowestMs) => logger.info('render threads warmed up', { threads: config.maxConcurrentRenders, slowestMs: Math.round(slowestMs) }),
        (error: unknown) => logger.warn('render thread warm-up failed', { error }),
      )
      .finally(() => (warm = true));
  return () => warm;
}

/** The API: GraphQL over HTTP and WebSockets, file downloads, the web page. */
export async function startApi(
  config: Config,
  logger: Logger,
  services: Services,
  adapters: Adapters,
  isReady: () => Promise<{ ready: boolean; reason?: string }>,
) {
  const { blobs, blobLocks } = adapters;
  // Evaluations run inside the API process that started them: only the database's sole user may fail leftovers.
  if (adapters.exclusive) {
    const interrupted = await services.domain.evaluations.failUnfinished();
    if (interrupted > 0) logger.info('failed evaluations interrupted by a stop', { count: interrupted });
  }
  const signer = services.signer!; // built for every role that serves HTTP
  const singleUser = config.authMode === 'single-user' ? await services.apiKeys.singleUserOwner() : undefined;
  const buildContext = createContextBuilder({ services: services.domain, apiKeys: services.apiKeys, singleUser, signer, config });
  const rendersWarm = warmRenderThreads(config, services, logger);
  const ready = async () => {
    const dependencies = await isReady();
    return dependencies.ready && !rendersWarm() ? { ready: false, reason: 'warming up the render threads' } : dependencies;
  };

  // Sweep what a crash may have left behind, without delaying start-up.
  void collectBlobGarbage(blobs, services.repositories.references, GC_GRACE_MS, blobLocks).then(
    (report) => logger.info('blob garbage collection finished', { ...report }),
    (error: unknown) => logger.warn('blob garbage collection failed', { error }),
  );

  // Keep idle connections longer than clients and proxies do (Node's 5 s default races
  // with clients reusing a connection just as the server closes it: ECONNRESET).
  const httpServer = createServer();
  httpServer.keepAliveTimeout = 65_000;
  httpServer.headersTimeout = 66_000;
  const originPolicy = new OriginPolicy({ singleUser: singleUser !== undefined, publicUrl: config.publicUrl, allowedOrigins: config.allowedOrigins });
  const { apollo, closeSubscriptions } = createGraphQLServers(
    httpServer,
    config,
    logger,
    (connectionParams, request) =>
      buildContext({
        authorization: typeof connectionParams?.authorization === 'string' ? connectionParams.authorization : undefined,
        baseUrl: config.publicUrl ?? `${requestProtocol(request)}://${request.headers.host ?? `${config.host}:${config.port}`}`,
        requestId: undefined,
        longLived: true,
      }).catch((error: unknown) => {
        throw isAppError(error) ? error : new Error('authentication failed');
      }),
    originPolicy,
    services.ownerChanges,
  );
  await apollo.start();
  // The embedded database admits one process: `maskgraph keys` reaches it through this gateway.
  const controlToken = adapters.exclusive ? newControlToken() : undefined;
  const control = controlToken ? controlRoutes({ keys: services.keyAdmin, fsck: services.fsck, queues: services.queueControl }, controlToken) : undefined;
  const app = createRequestListener({
    originPolicy,
    config,
    logger,
    apollo,
    services: services.domain,
    context: buildContext,
    signer,
    blobs,
    presigner: adapters.presigner,
    metrics: services.metrics,
    isReady: ready,
    control,
  });
  httpServer.on('request', app);
  let removeControlFile = async () => {};
  return {
    httpServer,
    /** Called once listening: publishes the control file. */
    listening: async (url: string) => {
      if (controlToken) removeControlFile = await writeControlFile(config.dataDir, url, controlToken);
    },
    stop: async () => {
      await removeControlFile();
      await closeSubscriptions();
      await apollo.stop(); // drains the HTTP server: no new connections, in-flight ones finish
    },
  };
}
