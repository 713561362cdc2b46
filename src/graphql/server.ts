/**
 * Apollo Server for queries and mutations, and a graphql-ws server for subscriptions on
 * the same path, both over one executable schema with the same limits and error format.
 */
import { readFileSync } from 'node:fs';
import type { Server } from 'node:http';
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import { ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { makeExecutableSchema } from '@graphql-tools/schema';
import { GraphQLError, parse, specifiedRules, validate, type GraphQLSchema } from 'graphql';
import { useServer } from 'graphql-ws/use/ws';
import { WebSocketServer } from 'ws';
import type { Config } from '../config/config.js';
import { isAppError } from '../errors.js';
import type { Logger } from '../lib/logger.js';
import type { GraphQLContext } from './context.js';
import { createFormatError } from './format-error.js';
import { queryLimitRules } from './query-limits.js';
import { resolvers } from './resolvers/index.js';

const SCHEMA_PATH = new URL('../../schema.graphql', import.meta.url);

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
  subscriptionContext: (connectionParams: Readonly<Record<string, unknown>> | undefined, host: string | undefined) => Promise<GraphQLContext>,
): GraphQLServers {
  const schema = buildSchema();
  const validationRules = queryLimitRules({ maxDepth: config.maxQueryDepth, maxAliases: config.maxQueryAliases, maxCost: config.maxQueryCost });
  const formatError = createFormatError(logger);

  const wsServer = new WebSocketServer({ server: httpServer, path: '/graphql' });
  const subscriptions = useServer<Record<string, unknown>, { context?: GraphQLContext }>(
    {
      schema,
      context: async (ctx) => {
        ctx.extra.context ??= await subscriptionContext(ctx.connectionParams, ctx.extra.request.headers.host);
        return ctx.extra.context;
      },
      onConnect: async (ctx) => {
        try {
          ctx.extra.context = await subscriptionContext(ctx.connectionParams, ctx.extra.request.headers.host);
          return true;
        } catch {
          return false; // closes with 4403 Forbidden
        }
      },
      onSubscribe: (ctx, _id, payload) => {
        // The same parse limit and validation rules as HTTP requests, errors in the same shape.
        const asGraphQLError = (error: GraphQLError) => {
          const formatted = formatError(error, error);
          return new GraphQLError(formatted.message, { extensions: formatted.extensions });
        };
        let document;
        try {
          document = parse(payload.query, { maxTokens: config.maxQueryTokens });
        } catch (error) {
          return [asGraphQLError(error as GraphQLError)];
        }
        const errors = validate(schema, document, [...specifiedRules, ...validationRules]);
        if (errors.length > 0) return errors.map(asGraphQLError);
        return { schema, document, variableValues: payload.variables ?? undefined, operationName: payload.operationName ?? undefined, contextValue: ctx.extra.context };
      },
      onError: (_ctx, _id, _payload, errors) => errors.map((error) => {
        const original = error.originalError;
        return isAppError(original) ? new GraphQLError(original.message, { path: error.path, extensions: { code: original.code } }) : error;
      }),
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
    plugins: [ApolloServerPluginDrainHttpServer({ httpServer }), ApolloServerPluginLandingPageDisabled()],
    validationRules,
    parseOptions: { maxTokens: config.maxQueryTokens },
    formatError,
    includeStacktraceInErrorResponses: false,
    logger: { debug: () => {}, info: () => {}, warn: (m) => logger.warn(String(m)), error: (m) => logger.error(String(m)) },
  });
  return { apollo, closeSubscriptions: () => subscriptions.dispose() as Promise<void> };
}
