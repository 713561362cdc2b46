/**
 * Locks per blob hash, held while a writer that reuses a blob inserts its row and while a
 * delete (or garbage collection) re-checks that no row needs it. In process (KeyedMutex)
 * for the embedded database, which one process owns; PostgreSQL advisory locks when
 * several processes share the database and the blob store.
 */
import pg from 'pg';
import { KeyedMutex } from '../lib/keyed-mutex.js';
import type { Logger } from '../lib/logger.js';

export interface BlobLocks {
  run<T>(key: string, work: () => Promise<T>): Promise<T>;
  /** Holds every key, taken in sorted order so two callers cannot deadlock. */
  runAll<T>(keys: string[], work: () => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

export class InProcessBlobLocks extends KeyedMutex implements BlobLocks {
  async close(): Promise<void> {}
}

/**
 * Session-level advisory locks, each on a connection held for the duration of the work
 * (a pool's other connections cannot release it). Keys are hashed with a namespace so
 * deployments sharing a server (one per schema) do not block each other. Inside this
 * process a mutex queues same-key callers first, so they wait without holding connections.
 */
export class AdvisoryBlobLocks implements BlobLocks {
  private readonly local = new KeyedMutex();
  private readonly pool: pg.Pool;

  constructor(
    connectionString: string,
    private readonly namespace: string,
    private readonly logger: Logger,
  ) {
    // Nested locks (a replaced ground truth inside its new one) take two connections at most.
    this.pool = new pg.Pool({ connectionString, max: 16, idleTimeoutMillis: 30_000, application_name: 'maskgraph-locks' });
    // An idle connection the server ends (a restart, a failover, pg_terminate_backend, a
    // proxy's idle timeout) is reported here; unheard, the 'error' event would end the process.
    // The pool drops that connection and opens a new one on the next lock.
    this.pool.on('error', (error) => logger.warn('blob-lock connection lost; the next lock opens a new one', { error }));
  }

  run<T>(key: string, work: () => Promise<T>): Promise<T> {
    return this.runAll([key], work);
  }

  async runAll<T>(keys: string[], work: () => Promise<T>): Promise<T> {
    const sorted = [...new Set(keys)].sort();
    return this.local.runAll(sorted, async () => {
      const client = await this.pool.connect();
      // The server may end this connection while the work runs (a restart): its locks go with
      // it, and unheard, the client's 'error' event would end the process. The work finishes
      // unguarded; the unlock below then fails and the connection is dropped.
      const lost = (error: Error) => this.logger.warn('blob-lock connection lost while held; its locks are gone', { error, keys: sorted });
      client.on('error', lost);
      const ids = sorted.map((key) => `${this.namespace}:${key}`);
      let locked = 0;
      try {
        for (const id of ids) {
          await client.query('SELECT pg_advisory_lock(hashtextextended($1, 0))', [id]);
          locked += 1;
        }
        return await work();
      } finally {
        try {
          for (const id of ids.slice(0, locked).reverse()) await client.query('SELECT pg_advisory_unlock(hashtextextended($1, 0))', [id]);
          client.off('error', lost);
          client.release();
        } catch (error) {
          client.off('error', lost);
          client.release(error as Error); // a broken connection: dropping it releases its locks
        }
      }
    });
  }

  close(): Promise<void> {
    return this.pool.end();
  }
}
