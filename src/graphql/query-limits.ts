/**
 * Validation rules that refuse hostile queries before execution: depth, alias count and
 * estimated cost (graphql-armor's rules), reported as QUERY_TOO_COMPLEX. The token
 * limit is applied by the parser (Apollo's `parseOptions.maxTokens`).
 */
import { GraphQLError, type ValidationRule } from 'graphql';
import { costLimitRule } from '@escape.tech/graphql-armor-cost-limit';
import { maxAliasesRule } from '@escape.tech/graphql-armor-max-aliases';
import { maxDepthRule } from '@escape.tech/graphql-armor-max-depth';
import { LIMIT_EXTENSION } from './format-error.js';

export interface QueryLimits {
  maxDepth: number;
  maxAliases: number;
  maxCost: number;
}

function reject(limit: string) {
  return {
    propagateOnRejection: false,
    onReject: [
      (context: { reportError(error: GraphQLError): void } | null, error: GraphQLError) => {
        context?.reportError(new GraphQLError(error.message.replace(/^Syntax Error: /, ''), { extensions: { [LIMIT_EXTENSION]: limit } }));
      },
    ],
  };
}

export function queryLimitRules(limits: QueryLimits): ValidationRule[] {
  return [
    maxDepthRule({ n: limits.maxDepth, ignoreIntrospection: true, ...reject('depth') }) as unknown as ValidationRule,
    maxAliasesRule({ n: limits.maxAliases, ...reject('aliases') }) as unknown as ValidationRule,
    costLimitRule({ maxCost: limits.maxCost, ignoreIntrospection: true, ...reject('cost') }) as unknown as ValidationRule,
  ];
}
