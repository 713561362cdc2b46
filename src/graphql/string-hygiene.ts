/**
 * Every string a client sends, checked once at the edge: a lone UTF-16 surrogate (not text
 * in any encoding; PostgreSQL refuses it) or a NUL character (PostgreSQL's text cannot hold
 * it) is BAD_USER_INPUT naming where it was, before any resolver runs. Literals in the
 * document are checked by a validation rule; variables by `badStringIn` (HTTP: a plugin;
 * WebSocket: onSubscribe).
 */
import { GraphQLError, type ASTVisitor, type ValidationContext } from 'graphql';
import { AppError } from '../errors.js';
import { BAD_INPUT_EXTENSION } from './format-error.js';

const LONE_SURROGATE_OR_NUL = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]|\0/;

const isBad = (text: string) => LONE_SURROGATE_OR_NUL.test(text);

/** Where in `value` (variables, a JSON-like tree) the first bad string is, or undefined. */
export function badStringIn(value: unknown, path = 'variables'): string | undefined {
  if (typeof value === 'string') return isBad(value) ? path : undefined;
  if (Array.isArray(value)) {
    for (const [index, item] of value.entries()) {
      const found = badStringIn(item, `${path}[${index}]`);
      if (found) return found;
    }
  } else if (value && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) {
      const found = isBad(key) ? `${path} (a key)` : badStringIn(item, `${path}.${key}`);
      if (found) return found;
    }
  }
  return undefined;
}

export function badStringError(path: string): AppError {
  return new AppError('BAD_USER_INPUT', `Expected text without lone UTF-16 surrogates or NUL characters in ${path}`, { details: { field: path } });
}

/** The same check on the document's own string literals. */
export function wellFormedStringsRule(context: ValidationContext): ASTVisitor {
  return {
    StringValue(node) {
      if (isBad(node.value)) {
        context.reportError(
          new GraphQLError('Expected text without lone UTF-16 surrogates or NUL characters in a string literal', {
            nodes: [node],
            extensions: { code: 'BAD_USER_INPUT', [BAD_INPUT_EXTENSION]: true },
          }),
        );
      }
    },
  };
}
