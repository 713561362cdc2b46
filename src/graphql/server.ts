/**
 * Apollo Server for queries and mutations, and a graphql-ws server for subscriptions on
 * the same path, both over one executable schema with the same limits and error format.
 */
import type { Duplex } from 'node:stream';
import { readFileSync } from 'node:fs';
import type { IncomingMessage, Server } from 'node:http';
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import { ApolloServerPluginCacheControlDisabled, ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { makeExecutableSchema } from '@graphql-tools/schema';
import { getOperationAST, GraphQLError, parse, specifiedRules, validate, type GraphQLSchema } from 'graphql';
import { getVariableValues } from 'graphql/execution/values.js';
import { useServer } from 'graphql-ws/use/ws';
import { WebSocketServer } from 'ws';
import { AppError } from '../errors.js';
import type { Config } from '../config/config.js';
import type { OriginPolicy } from '../auth/origin-policy.js';
import type { OwnerChanges } from '../events/owner-changes.js';
import type { Logger } from '../lib/logger.js';
import type { GraphQLContext } from './context.js';
import { createFormatError, UNAVAILABLE_RETRY_SECONDS } from './format-error.js';
import { queryLimitRules } from './query-limits.js';
import { responseCache } from './response-cache.js';
import { SocketLimits } from './socket-limits.js';
import { badStringError, badStringIn, wellFormedStringsRule } from './string-hygiene.js';
import { resolvers } from './resolvers/index.js';

const SCHEMA_PATH = new URL('../../schema.graphql', import.meta.url);
/** The largest WebSocket frame accepted: a subscription message is a few kB. */
const WS_MAX_PAYLOAD_BYTES = 64 * 1024;

export function buildSchema(): GraphQLSchema {
  return makeExecutableSchema({ typeDefs: readFileSync(SCHEMA_PATH, 'utf8'), resolvers: resolvers as never });
}

export interface GraphQLServers {
  apollo: ApolloServer<GraphQLContext>;
  /** Closes open subscriptions. */
  closeSubscriptions(): Promise<void>;
}

/**
 * @param subscriptionContext builds the context of a WebSocket connection from its
 *   `connectionParams` and upgrade request; throws to refuse the connection.
 */
export function createGraphQLServers(
  httpServer: Server,
  config: Config,
  logger: Logger,
  subscriptionContext: (connectionParams: Readonly<Record<string, unknown>> | undefined, request: IncomingMessage) => Promise<GraphQLContext>,
  originPolicy: OriginPolicy,
  ownerChanges: OwnerChanges,
): GraphQLServers {
  const schema = buildSchema();
  const validationRules = [
    ...queryLimitRules({ maxDepth: config.maxQueryDepth, maxAliases: config.maxQueryAliases, maxCost: config.maxQueryCost }),
    wellFormedStringsRule,
  ];
  const formatError = createFormatError(logger);
  const limits = new SocketLimits(config);
  // graphql-js's parse and validation errors carry no code (Apollo adds it on HTTP); without
  // one, formatError would take a client's mistake for an internal error.
  const withCode = (error: GraphQLError, code: string) =>
    new GraphQLError(error.message, { nodes: error.nodes, source: error.source, positions: error.positions, extensions: { code, ...error.extensions } });
  const formatOverSocket = (error: GraphQLError) => {
    // Errors from a subscription's source stream arrive without a path, so Apollo's unwrapping
    // would miss the AppError inside; hand it over directly.
    const formatted = formatError(error.toJSON(), error.originalError ?? error);
    return new GraphQLError(formatted.message, { path: formatted.path, extensions: formatted.extensions });
  };

  // Upgrades are handed over below rather than through `server:`: ws would then re-emit the
  // HTTP server's own errors (a port already in use) as its own, and graphql-ws prints those
  // with a stack.
  const wsServer = new WebSocketServer({
    noServer: true,
    path: '/graphql',
    // GraphQL messages are small; ws would accept 100 MiB frames by default.
    maxPayload: WS_MAX_PAYLOAD_BYTES,
    // Pages on other origins (and rebound host names in single-user mode) get a 403.
    verifyClient: ({ req }: { req: IncomingMessage }, done: (allowed: boolean, status?: number, message?: string) => void) =>
      originPolicy.isAllowedUpgrade(req) ? done(true) : done(false, 403, 'Forbidden: this origin may not open WebSockets here'),
  });
  // handleUpgrade answers 400 for any other path and 403 when verifyClient refuses, as before.
  httpServer.on('upgrade', (request: IncomingMessage, socket: Duplex, head: Buffer) => {
    wsServer.handleUpgrade(request, socket, head, (client) => wsServer.emit('connection', client, request));
  });
  const subscriptions = useServer<Record<string, unknown>, { context?: GraphQLContext }>(
    {
      schema,
      context: async (ctx) => {
        ctx.extra.context ??= await subscriptionContext(ctx.connectionParams, ctx.extra.request);
        return ctx.extra.context;
      },
      onConnect: async (ctx) => {
        try {
          ctx.extra.context = await subscriptionContext(ctx.connectionParams, ctx.extra.request);
        } catch {
          return false; // closes with 4403 Forbidden
        }
        const authorization = typeof ctx.connectionParams?.authorization === 'string' ? ctx.connectionParams.authorization : undefined;
        if (!limits.openSocket(authorization, ctx.extra.socket)) {
          ctx.extra.socket.close(4429, `Too many sockets: this key holds ${config.maxSocketsPerKey} (MAX_SOCKETS_PER_KEY)`);
          return false;
        }
        // Subscriptions already open when a key is revoked: the key is checked again every
        // KEY_RECHECK_SECONDS, and a socket whose key no longer authenticates is closed.
        const recheck = setInterval(() => {
          subscriptionContext(ctx.connectionParams, ctx.extra.request).catch(() => ctx.extra.socket.close(4403, 'Forbidden: the API key was revoked'));
        }, config.keyRecheckSeconds * 1000);
        recheck.unref();
        ctx.extra.socket.once('close', () => clearInterval(recheck));
        return true;
      },
      onSubscribe: async (ctx, id, payload) => {
        // The key is checked again for every operation, so a revoked key opens nothing new
        // on a socket it authenticated earlier.
        try {
          ctx.extra.context = await subscriptionContext(ctx.connectionParams, ctx.extra.request);
        } catch {
          return [new GraphQLError('The API key is unknown or revoked', { extensions: { code: 'UNAUTHENTICATED' } })];
        }
        // graphql-ws lists the socket's live operations in the order they came, this one included
        // (a client's `complete` removes one at once): the ones past the limit are refused.
        if (Object.keys(ctx.subscriptions).indexOf(id) >= config.maxSubscriptionsPerSocket) {
          const busy = new AppError(
            'BUSY',
            `${config.maxSubscriptionsPerSocket} operations are open on this socket (MAX_SUBSCRIPTIONS_PER_SOCKET); complete one first`,
          );
          return [new GraphQLError(busy.message, { originalError: busy })];
        }
        // The same parse limit and validation rules as HTTP requests; the errors returned here
        // reach onError below, which formats them once, as HTTP errors are.
        let document;
        try {
          document = parse(payload.query, { maxTokens: config.maxQueryTokens });
        } catch (error) {
          return [withCode(error as GraphQLError, 'GRAPHQL_PARSE_FAILED')];
        }
        const errors = validate(schema, document, [...specifiedRules, ...validationRules]);
        if (errors.length > 0) return errors.map((error) => withCode(error, 'GRAPHQL_VALIDATION_FAILED'));
        // Variables are coerced here, as HTTP does before executing: a wrong type is the client's mistake.
        const operation = getOperationAST(document, payload.operationName ?? undefined);
        const coerced = operation ? getVariableValues(schema, operation.variableDefinitions ?? [], payload.variables ?? {}) : undefined;
        if (coerced?.errors) return coerced.errors.map((error) => withCode(error, 'BAD_USER_INPUT'));
        const bad = badStringIn(payload.variables ?? {});
        if (bad) return [new GraphQLError(badStringError(bad).message, { extensions: { code: 'BAD_USER_INPUT', details: { field: bad } } })];
        return {
          schema,
          document,
          variableValues: payload.variables ?? undefined,
          operationName: payload.operationName ?? undefined,
          contextValue: ctx.extra.context,
        };
      },
      // Results and errors over the socket go through the same formatError as HTTP ones.
      onNext: (_ctx, _id, _payload, _args, result) => (result.errors ? { ...result, errors: result.errors.map(formatOverSocket) } : result),
      onError: (_ctx, _id, _payload, errors) => errors.map(formatOverSocket),
    },
    wsServer,
  );

  const apollo = new ApolloServer<GraphQLContext>({
    schema,
    csrfPrevention: true,
    // Shutdown is ours (src/cli): Apollo's own handler would re-raise the signal and kill
    // the process before the database is closed.
    stopOnTerminationSignals: false,
    // Apollo's landing page loads from a CDN; this gateway serves its own page at `/`.
    plugins: [
      // In-flight requests get half the shutdown time, then their connections are closed.
      ApolloServerPluginDrainHttpServer({ httpServer, stopGracePeriodMillis: Math.floor(config.shutdownTimeoutMs / 2) }),
      ApolloServerPluginLandingPageDisabled(),
      // Every answer is one owner's: never cached by a shared cache (preset image URLs are
      // what CDNs cache). Set once per answer: Apollo's cache-control plugin would inspect
      // every resolved field to reach the same "no-store".
      ApolloServerPluginCacheControlDisabled(),
      {
        requestDidStart: async () => ({
          willSendResponse: async ({ response }) => {
            response.http.headers.set('cache-control', 'private, no-store');
            // The database was away for a moment (format-error.ts): the whole answer says retry.
            if (response.body.kind === 'single' && response.body.singleResult.errors?.some((error) => error.extensions?.code === 'UNAVAILABLE')) {
              response.http.status = 503;
              response.http.headers.set('retry-after', String(UNAVAILABLE_RETRY_SECONDS));
            }
          },
        }),
      },
      // Variables' strings, checked before any resolver (the document's literals: wellFormedStringsRule).
      {
        requestDidStart: async () => ({
          didResolveOperation: async ({ request }) => {
            const bad = badStringIn(request.variables ?? {});
            if (bad)
              throw new GraphQLError(badStringError(bad).message, { extensions: { code: 'BAD_USER_INPUT', details: { field: bad }, http: { status: 400 } } });
          },
        }),
      },
      ...[responseCache(config.graphqlCacheBytes, ownerChanges)].filter((plugin) => plugin !== undefined),
    ],
    validationRules,
    parseOptions: { maxTokens: config.maxQueryTokens },
    formatError,
    includeStacktraceInErrorResponses: false,
    logger: { debug: () => {}, info: () => {}, warn: (m) => logger.warn(String(m)), error: (m) => logger.error(String(m)) },
  });
  return { apollo, closeSubscriptions: () => subscriptions.dispose() as Promise<void> };
}
