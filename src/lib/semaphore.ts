/** Runs at most `limit` async tasks at once; the rest wait in FIFO order. */
export class Semaphore {
  private active = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(private readonly limit: number) {}

  /** True when `maxWaiting` tasks already wait for a slot: the caller should refuse more. */
  isSaturated(maxWaiting: number): boolean {
    return this.active >= this.limit && this.waiting.length >= maxWaiting;
  }

  async run<T>(task: () => Promise<T>): Promise<T> {
    if (this.active >= this.limit) await new Promise<void>((resolve) => this.waiting.push(resolve));
    this.active += 1;
    try {
      return await task();
    } finally {
      this.active -= 1;
      this.waiting.shift()?.();
    }
  }
}
