/**
 * What every role serves for orchestrators and operators: /healthz (the process answers),
 * /readyz (its dependencies answer), /metrics (Prometheus), plus request ids and latency
 * measurement for every request.
 */
import { randomUUID } from 'node:crypto';
import express, { type NextFunction, type Request, type Response } from 'express';
import type { AppMetrics } from '../observability/metrics.js';

export type ReadinessCheck = () => Promise<{ ready: boolean; reason?: string }>;

/** A client's X-Request-Id is kept when it is a plain token; otherwise one is made. */
export const REQUEST_ID_PATTERN = /^[A-Za-z0-9._-]{1,64}$/;

declare module 'express-serve-static-core' {
  interface Request {
    requestId?: string;
  }
}

export function requestIdAndTiming(metrics: AppMetrics) {
  return (request: Request, response: Response, next: NextFunction) => {
    const given = request.headers['x-request-id'];
    request.requestId = typeof given === 'string' && REQUEST_ID_PATTERN.test(given) ? given : randomUUID();
    response.set('X-Request-Id', request.requestId);
    const stop = metrics.httpDuration.startTimer({ method: request.method });
    response.on('finish', () => {
      // The route template, not the path: ids in paths would make one series per file.
      const route = request.route?.path ? `${request.baseUrl}${String(request.route.path)}` : request.baseUrl || 'unmatched';
      stop({ route, status: String(response.statusCode) });
    });
    next();
  };
}

export function opsRoutes(metrics: AppMetrics, isReady: ReadinessCheck): express.Router {
  const router = express.Router();
  router.get('/healthz', (_request, response) => {
    response.json({ status: 'ok' });
  });
  router.get('/readyz', async (_request, response) => {
    const { ready, reason } = await isReady().catch((error: unknown) => ({ ready: false, reason: error instanceof Error ? error.message : 'check failed' }));
    response.status(ready ? 200 : 503).json(ready ? { status: 'ready' } : { status: 'not ready', reason });
  });
  router.get('/metrics', async (_request, response) => {
    response.type(metrics.registry.contentType).send(await metrics.registry.metrics());
  });
  return router;
}

/** The worker's whole HTTP surface. */
export function createOpsApp(metrics: AppMetrics, isReady: ReadinessCheck): express.Express {
  const app = express();
  app.disable('x-powered-by');
  app.use(requestIdAndTiming(metrics));
  app.use(opsRoutes(metrics, isReady));
  app.use((_request, response) => {
    response.status(404).json({ error: { code: 'NOT_FOUND', message: 'A worker serves only /healthz, /readyz and /metrics' } });
  });
  return app;
}
