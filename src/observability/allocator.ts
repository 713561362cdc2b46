import { readFile } from 'node:fs/promises';

export type MemoryAllocator = 'jemalloc' | 'system' | 'unknown';

/**
 * The malloc this process runs on, read from the loader's map of its own memory (Linux).
 * bin/maskgraph preloads jemalloc where the machine has it; a process started some other way
 * runs on the system's, and the start-up log and /metrics say so.
 */
export async function memoryAllocator(): Promise<MemoryAllocator> {
  const maps = await readFile('/proc/self/maps', 'utf8').catch(() => undefined);
  if (maps === undefined) return 'unknown';
  return maps.includes('libjemalloc') ? 'jemalloc' : 'system';
}
