/**
 * Validation rules that refuse hostile queries before execution: depth, alias count and
 * estimated cost (graphql-armor's rules), and the number of `effect` fields (each one may be
 * a full render, which no generic cost model knows), reported as QUERY_TOO_COMPLEX. The token
 * limit is applied by the parser (Apollo's `parseOptions.maxTokens`).
 */
import { GraphQLError, Kind, type ASTVisitor, type SelectionSetNode, type ValidationContext, type ValidationRule } from 'graphql';
import { costLimitRule } from '@escape.tech/graphql-armor-cost-limit';
import { maxAliasesRule } from '@escape.tech/graphql-armor-max-aliases';
import { maxDepthRule } from '@escape.tech/graphql-armor-max-depth';
import { LIMIT_EXTENSION } from './format-error.js';

export interface QueryLimits {
  maxDepth: number;
  maxAliases: number;
  maxCost: number;
}

/** `effect` fields per operation (fragments included): a page of previews, not a render storm. */
export const MAX_EFFECTS_PER_OPERATION = 8;

/** `effect` fields in a selection set, inline fragments included (named ones are counted where defined). */
function countEffectFields(selectionSet: SelectionSetNode): number {
  let count = 0;
  for (const selection of selectionSet.selections) {
    if (selection.kind === Kind.FIELD && selection.name.value === 'effect') count += 1;
    if (selection.kind !== Kind.FRAGMENT_SPREAD && selection.selectionSet) count += countEffectFields(selection.selectionSet);
  }
  return count;
}

/** Refuses an operation whose `effect` fields, directly or through its fragments, exceed the limit. */
function maxEffectsRule(context: ValidationContext): ASTVisitor {
  return {
    OperationDefinition(operation) {
      const sets = [operation.selectionSet, ...context.getRecursivelyReferencedFragments(operation).map((fragment) => fragment.selectionSet)];
      const effects = sets.reduce((sum, set) => sum + countEffectFields(set), 0);
      if (effects > MAX_EFFECTS_PER_OPERATION) {
        context.reportError(
          new GraphQLError(
            `An operation may ask for at most ${MAX_EFFECTS_PER_OPERATION} effect fields (each can be a render) but this one asks for ${effects}`,
            {
              nodes: [operation],
              extensions: { [LIMIT_EXTENSION]: 'effects' },
            },
          ),
        );
      }
    },
  };
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
    maxEffectsRule,
  ];
}
