/**
 * PGlite keeps its database in one directory and must only be opened by one process at a
 * time. A pid file guards it, so a second gateway or a CLI command on the same directory
 * fails with a clear message instead of corrupting data. A lock whose process is gone is
 * taken over.
 */
import { open, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';

export class DataDirBusyError extends Error {
  constructor(dir: string, pid: number) {
    super(
      `The embedded database in ${dir} is in use by process ${pid} (a running gateway?). ` +
        'Stop it first, or point DATABASE_URL at a PostgreSQL server to share the data between processes.',
    );
    this.name = 'DataDirBusyError';
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Takes the lock; resolves to its release function. */
export async function lockDataDir(dir: string): Promise<() => Promise<void>> {
  const path = join(dir, 'maskgraph.pid');
  for (let attempt = 0; attempt < 3; attempt += 1) {
    try {
      const handle = await open(path, 'wx');
      await handle.writeFile(String(process.pid));
      await handle.close();
      return () => rm(path, { force: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const pid = Number((await readFile(path, 'utf8').catch(() => '')).trim());
      if (pid === process.pid || (Number.isInteger(pid) && pid > 0 && isAlive(pid))) throw new DataDirBusyError(dir, pid);
      await rm(path, { force: true }); // stale: its process is gone
    }
  }
  throw new Error(`Could not lock ${dir}`);
}
