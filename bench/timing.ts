/** Shared by the benches: the median of `runs` timed calls after one warm-up call. */
export function median(values: number[]): number {
  return [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
}

export async function timeMedian(runs: number, run: () => Promise<unknown> | unknown): Promise<number> {
  await run();
  const samples: number[] = [];
  for (let i = 0; i < runs; i += 1) {
    const start = performance.now();
    await run();
    samples.push(performance.now() - start);
  }
  return median(samples);
}

/**
 * Waits until this process is idle: under 10 % of a core over two 250 ms windows in a row
 * (at most `limitMs`). A gateway keeps working for a second or two after a segmentation
 * answers (its proxies, the review priority); a bench of one path waits for that to end.
 */
export async function untilIdle(limitMs = 30_000): Promise<void> {
  const deadline = performance.now() + limitMs;
  let quiet = 0;
  while (quiet < 2 && performance.now() < deadline) {
    const before = process.cpuUsage();
    await new Promise((resolve) => setTimeout(resolve, 250));
    const used = process.cpuUsage(before);
    quiet = (used.user + used.system) / 1000 < 25 ? quiet + 1 : 0;
  }
}
