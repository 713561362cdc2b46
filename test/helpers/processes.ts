/** Real maskgraph processes (`bin/maskgraph.mjs`) for multi-process tests: started, logged, stopped. */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

export const CLI = fileURLToPath(new URL('../../bin/maskgraph.mjs', import.meta.url));
/** The command as deployed (`npm start`, `npx maskgraph`): chooses the allocator, then runs CLI. */
export const LAUNCHER = fileURLToPath(new URL('../../bin/maskgraph', import.meta.url));
export const runCli = promisify(execFile);

export interface LogLine {
  msg: string;
  [field: string]: unknown;
}

export interface MaskgraphProcess {
  child: ChildProcess;
  url: string;
  /** Every JSON log line so far. */
  logs: LogLine[];
  exited: Promise<number | null>;
  /** The end of everything it wrote to stderr (JSON log lines and anything else, e.g. a crash). */
  output(): string;
  /** SIGTERM, then SIGKILL after `graceMs`; resolves on exit. */
  stop(graceMs?: number): Promise<void>;
}

const READY_MESSAGES = new Set(['maskgraph listening', 'maskgraph worker running']);

/** Starts `maskgraph ARGS…` through the launcher, as deployed, and resolves once it logs where it listens. */
export function startMaskgraph(args: string[], env: Record<string, string>, startTimeoutMs = 60_000): Promise<MaskgraphProcess> {
  const child = spawn(LAUNCHER, args, { env: { ...process.env, PORT: '0', LOG_LEVEL: 'info', ...env }, stdio: ['ignore', 'ignore', 'pipe'] });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const logs: LogLine[] = [];
  let text = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`maskgraph ${args.join(' ')} did not start within ${startTimeoutMs} ms: ${text.slice(-2000)}`));
    }, startTimeoutMs);
    let pending = '';
    child.stderr!.on('data', (chunk: Buffer) => {
      text += chunk.toString();
      pending += chunk.toString();
      const lines = pending.split('\n');
      pending = lines.pop()!;
      for (const line of lines) {
        if (!line.startsWith('{')) continue;
        const entry = JSON.parse(line) as LogLine;
        logs.push(entry);
        if (READY_MESSAGES.has(entry.msg) && typeof entry.url === 'string') {
          clearTimeout(timer);
          resolve({
            child,
            url: entry.url,
            logs,
            exited,
            output: () => text.slice(-4000),
            stop: async (graceMs = 15_000) => {
              if (child.exitCode !== null || child.signalCode !== null) return;
              child.kill('SIGTERM');
              const killer = setTimeout(() => child.kill('SIGKILL'), graceMs);
              await exited;
              clearTimeout(killer);
            },
          });
        }
      }
    });
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`maskgraph ${args.join(' ')} exited with ${code}: ${text.slice(-2000)}`));
    });
  });
}
