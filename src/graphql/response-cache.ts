/**
 * Answers to GraphQL queries, kept per owner: the same query with the same variables, from
 * the same owner, while nothing of theirs changed, is answered from memory. "Nothing changed"
 * is OwnerChanges' revision: database triggers announce every commit that touched the
 * owner's rows, from any process, and this process's own mutations count at once. Another
 * process's write shows here once its announcement arrives (milliseconds, as subscriptions'
 * events). File URLs expire, so the current expiry is part of the key too.
 *
 * Only queries over HTTP, only answers without errors; mutations and subscriptions never.
 */
import type { ApolloServerPlugin, GraphQLRequestContext } from '@apollo/server';
import { LRUCache } from 'lru-cache';
import type { FormattedExecutionResult } from 'graphql';
import type { OwnerChanges } from '../events/owner-changes.js';
import type { GraphQLContext } from './context.js';

export function responseCache(maxBytes: number, changes: OwnerChanges): ApolloServerPlugin<GraphQLContext> | undefined {
  if (maxBytes === 0) return undefined;
  // Answers are plain JSON that nothing changes once sent: kept and handed out as they are.
  const answers = new LRUCache<string, { result: FormattedExecutionResult; bytes: number }>({ maxSize: maxBytes, sizeCalculation: (entry) => entry.bytes });

  const keyOf = ({ contextValue, request, source, operation }: GraphQLRequestContext<GraphQLContext>) => {
    if (operation?.operation !== 'query' || source === undefined) return undefined;
    return JSON.stringify([
      contextValue.owner.id,
      changes.revision(contextValue.owner.id),
      contextValue.fileUrls.version(),
      request.operationName ?? null,
      request.variables ?? {},
      source,
    ]);
  };

  return {
    async requestDidStart() {
      let key: string | undefined;
      return {
        async responseForOperation(requestContext) {
          key = keyOf(requestContext);
          const hit = key === undefined ? undefined : answers.get(key);
          if (!hit) return null;
          return { http: requestContext.response.http, body: { kind: 'single', singleResult: hit.result } };
        },
        async willSendResponse({ response, operation, contextValue }) {
          // A mutation's own writes show in this process's next answer at once.
          if (operation?.operation === 'mutation') changes.changed(contextValue.owner.id);
          if (key === undefined || response.body.kind !== 'single' || response.body.singleResult.errors) return;
          if (answers.has(key)) return;
          const result = response.body.singleResult as FormattedExecutionResult;
          // Twice the JSON's length: about what the object takes in memory.
          answers.set(key, { result, bytes: 2 * JSON.stringify(result).length + 256 });
        },
      };
    },
  };
}
