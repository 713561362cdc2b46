/**
 * Serialises async work per key inside this process (e.g. per blob hash, so an
 * upload that reuses a blob and a delete that frees it never interleave).
 */
export class KeyedMutex {
  private readonly tails = new Map<string, Promise<unknown>>();

  async run<T>(key: string, work: () => Promise<T>): Promise<T> {
    const previous = this.tails.get(key) ?? Promise.resolve();
    const current = previous.then(work, work);
    const tail = current.catch(() => undefined);
    this.tails.set(key, tail);
    try {
      return await current;
    } finally {
      if (this.tails.get(key) === tail) this.tails.delete(key);
    }
  }

  /** Runs `work` holding every key, taken in sorted order so two callers cannot deadlock. */
  async runAll<T>(keys: string[], work: () => Promise<T>): Promise<T> {
    const sorted = [...new Set(keys)].sort();
    const step = (index: number): Promise<T> => (index === sorted.length ? work() : this.run(sorted[index]!, () => step(index + 1)));
    return step(0);
  }
}
