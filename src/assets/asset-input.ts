/**
 * Parsers for asset inputs at the GraphQL edge: ranges, ids, cursors. Each throws
 * AppError(BAD_USER_INPUT) naming the field, what was expected and what was received.
 */
import { z } from 'zod';
import { inputError } from '../errors.js';
import type { AssetFilter, AssetSortField } from '../storage/repositories/asset.repository.js';
import { THUMBNAIL_SIZES } from './image.js';

export const ASSET_ORDERS = {
  CREATED_AT_DESC: { field: 'createdAt', direction: 'desc' },
  CREATED_AT_ASC: { field: 'createdAt', direction: 'asc' },
  NAME_ASC: { field: 'name', direction: 'asc' },
  NAME_DESC: { field: 'name', direction: 'desc' },
  BYTE_SIZE_DESC: { field: 'byteSize', direction: 'desc' },
  BYTE_SIZE_ASC: { field: 'byteSize', direction: 'asc' },
  REVIEW_PRIORITY: { field: 'reviewPriority', direction: 'desc' },
} as const satisfies Record<string, { field: AssetSortField; direction: 'asc' | 'desc' }>;

export type AssetOrderName = keyof typeof ASSET_ORDERS;

const MAX_TAGS = 32;
const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Row ids are UUIDs: anything else is the client's mistake, never a lookup. `what` names the id in the error. */
export function parseUuid(id: string, field: string, what: string): string {
  if (!UUID_PATTERN.test(id)) throw inputError(field, `${what} (UUID)`, id);
  return id.toLowerCase();
}

/** An asset id must be a UUID; anything else cannot name an asset. */
export function parseAssetId(id: string, field = 'id'): string {
  return parseUuid(id, field, 'an asset id');
}

export function parseAssetName(name: string, field = 'name'): string {
  const trimmed = name.trim();
  // Control characters in a name break listings and headers; refuse them.
  if (trimmed.length < 1 || trimmed.length > 200 || /\p{Cc}/u.test(trimmed)) {
    throw inputError(field, 'a name of 1 to 200 printable characters', name);
  }
  return trimmed;
}

/** Trims, drops duplicates (keeping first occurrence order). */
export function parseTags(tags: readonly string[], field = 'tags'): string[] {
  const unique = [...new Set(tags.map((tag) => tag.trim()))];
  if (unique.length > MAX_TAGS) throw inputError(field, `at most ${MAX_TAGS} tags`, { described: `${unique.length} tags` });
  for (const tag of unique) {
    if (tag.length < 1 || tag.length > 64 || /\p{Cc}/u.test(tag)) {
      throw inputError(field, 'tags of 1 to 64 printable characters', tag);
    }
  }
  return unique;
}

/** A search text for names: printable, at most a name's length (a NUL byte would reach the database). */
export function parseNameFilter(text: string, field = 'filter.nameContains'): string {
  if (text.length > 200 || /\p{Cc}/u.test(text)) throw inputError(field, 'at most 200 printable characters', text);
  return text;
}

/** A MIME type filter: `type/subtype` of printable ASCII. */
export function parseMimeTypeFilter(text: string, field = 'filter.mimeType'): string {
  if (!/^[a-z0-9.+-]{1,40}\/[a-z0-9.+-]{1,80}$/i.test(text)) throw inputError(field, 'a MIME type like "image/jpeg"', text);
  return text;
}

/** The GraphQL `AssetFilter` wherever it is taken (`assets`, `evaluateModels`, `correctionStats`); `at` names it in errors. */
export function parseAssetFilter(
  filter: { tags?: readonly string[] | null; nameContains?: string | null; mimeType?: string | null; needsReview?: boolean | null } | null | undefined,
  at = 'filter',
): AssetFilter {
  return {
    ...(filter?.tags ? { tags: parseTags(filter.tags, `${at}.tags`) } : {}),
    ...(filter?.nameContains ? { nameContains: parseNameFilter(filter.nameContains, `${at}.nameContains`) } : {}),
    ...(filter?.mimeType ? { mimeType: parseMimeTypeFilter(filter.mimeType, `${at}.mimeType`) } : {}),
    ...(typeof filter?.needsReview === 'boolean' ? { needsReview: filter.needsReview } : {}),
  };
}

export function parseThumbnailSize(size: number): number {
  if (!(THUMBNAIL_SIZES as readonly number[]).includes(size)) {
    throw inputError('size', `one of ${THUMBNAIL_SIZES.join(', ')}`, size);
  }
  return size;
}

export function parsePageSize(size: number, field = 'first'): number {
  if (!Number.isInteger(size) || size < 1 || size > 100) throw inputError(field, 'an integer between 1 and 100', size);
  return size;
}

const MAX_INT32 = 2 ** 31 - 1;
const isStorableDate = (ms: number) => Number.isFinite(ms) && ms >= Date.UTC(1970, 0, 1) && ms < Date.UTC(10_000, 0, 1);

/** What a cursor holds: the order it belongs to and the last row's sort key and id. */
const cursorSchema = z.object({
  o: z.enum(Object.keys(ASSET_ORDERS) as [AssetOrderName, ...AssetOrderName[]]),
  v: z.union([z.string(), z.number()]),
  id: z.string().regex(UUID_PATTERN),
});

export type AssetCursor = { order: AssetOrderName; value: Date | string | number; id: string };

export function encodeCursor(order: AssetOrderName, value: Date | string | number, id: string): string {
  const v = value instanceof Date ? value.toISOString() : value;
  return Buffer.from(JSON.stringify({ o: order, v, id })).toString('base64url');
}

/** @throws AppError BAD_USER_INPUT for a malformed cursor or one made for another order. */
export function decodeCursor(cursor: string, order: AssetOrderName): AssetCursor {
  let parsed: z.infer<typeof cursorSchema>;
  try {
    parsed = cursorSchema.parse(JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')));
  } catch {
    throw inputError('after', 'a cursor returned by assets()', cursor);
  }
  if (parsed.o !== order) throw inputError('after', `a cursor made for orderBy ${order}`, { described: `a cursor for ${parsed.o}` });
  const field = ASSET_ORDERS[order].field;
  // Values a real row can have: a forged cursor with a number past the column's range or a
  // date PostgreSQL cannot store is a client error, not a database failure.
  const valueOk =
    field === 'createdAt'
      ? typeof parsed.v === 'string' && isStorableDate(Date.parse(parsed.v))
      : field === 'byteSize'
        ? Number.isInteger(parsed.v) && (parsed.v as number) >= 0 && (parsed.v as number) <= MAX_INT32
        : field === 'reviewPriority'
          ? typeof parsed.v === 'number' && Number.isFinite(parsed.v) && parsed.v >= 0
          : typeof parsed.v === 'string' && parsed.v.length <= 200 && !/\p{Cc}/u.test(parsed.v);
  if (!valueOk) throw inputError('after', 'a cursor returned by assets()', cursor);
  return { order, value: field === 'createdAt' ? new Date(parsed.v) : parsed.v, id: parsed.id };
}
