/** Apollo Server with our schema, limits, error formatting and drain-on-shutdown. */
import { readFileSync } from 'node:fs';
import type { Server } from 'node:http';
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import { ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import type { Config } from '../config/config.js';
import type { Logger } from '../lib/logger.js';
import type { GraphQLContext } from './context.js';
import { createFormatError } from './format-error.js';
import { queryLimitRules } from './query-limits.js';
import { resolvers } from './resolvers/index.js';

const SCHEMA_PATH = new URL('../../schema.graphql', import.meta.url);

export function createApolloServer(httpServer: Server, config: Config, logger: Logger): ApolloServer<GraphQLContext> {
  return new ApolloServer<GraphQLContext>({
    typeDefs: readFileSync(SCHEMA_PATH, 'utf8'),
    resolvers,
    csrfPrevention: true,
    // Shutdown is ours (src/cli): Apollo's own handler would re-raise the signal and kill
    // the process before the database is closed.
    stopOnTerminationSignals: false,
    // Apollo's landing page loads from a CDN; this gateway serves its own page at `/`.
    plugins: [ApolloServerPluginDrainHttpServer({ httpServer }), ApolloServerPluginLandingPageDisabled()],
    validationRules: queryLimitRules({
      maxDepth: config.maxQueryDepth,
      maxAliases: config.maxQueryAliases,
      maxCost: config.maxQueryCost,
    }),
    parseOptions: { maxTokens: config.maxQueryTokens },
    formatError: createFormatError(logger),
    includeStacktraceInErrorResponses: false,
    logger: { debug: () => {}, info: () => {}, warn: (m) => logger.warn(String(m)), error: (m) => logger.error(String(m)) },
  });
}
