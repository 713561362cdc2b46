/**
 * A blob-store call retried with back-off while the store is unavailable (an S3 outage of a
 * few seconds, a restarting MinIO): STORAGE_UNAVAILABLE errors are retried after 0.5, 1, 2,
 * 4 and 8 s; anything else (a missing blob) fails at once. Jobs use it, so a short outage
 * delays them instead of failing them for good.
 */
import { isAppError } from '../errors.js';

const DELAYS_MS = [500, 1000, 2000, 4000, 8000];

export async function withStorageRetry<T>(work: () => Promise<T>, delaysMs: readonly number[] = DELAYS_MS): Promise<T> {
  for (let attempt = 0; ; attempt += 1) {
    try {
      return await work();
    } catch (error) {
      if (!isAppError(error) || error.code !== 'STORAGE_UNAVAILABLE' || attempt >= delaysMs.length) throw error;
      await new Promise((resolve) => setTimeout(resolve, delaysMs[attempt]));
    }
  }
}
