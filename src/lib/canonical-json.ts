/**
 * JSON with every object's keys sorted, so equal values give equal text whatever order
 * their keys were built in (PostgreSQL's jsonb, which carries queued jobs, reorders them).
 */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, inner: unknown) =>
    inner && typeof inner === 'object' && !Array.isArray(inner)
      ? Object.fromEntries(Object.entries(inner).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : inner,
  );
}
