/** `maskgraph keys …`, `fsck` and `queue …` through a running embedded gateway (see src/http/control.routes.ts). */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { CreatedKeyReport, KeyAdmin, KeyListing } from '../auth/key-admin.js';
import type { FsckReport } from '../consistency/fsck.js';
import type { QueueCommand, QueueStatus } from '../jobs/queue-control.js';
import { CONTROL_FILE, type ControlCommand, type FsckCommand } from '../http/control.routes.js';

export class ControlError extends Error {
  override name = 'ControlError';
}

/** The control route of the gateway running on a data directory. */
export class ControlConnection {
  private constructor(
    private readonly url: string,
    private readonly token: string,
  ) {}

  /** The gateway running on `dataDir`, or undefined when it left no control file. */
  static async forDataDir(dataDir: string): Promise<ControlConnection | undefined> {
    const text = await readFile(join(dataDir, CONTROL_FILE), 'utf8').catch(() => undefined);
    if (!text) return undefined;
    const { url, token } = JSON.parse(text) as { url: string; token: string };
    // A gateway listening on every interface is reached on loopback.
    const local = new URL(url);
    if (local.hostname === '0.0.0.0') local.hostname = '127.0.0.1';
    if (local.hostname === '[::]') local.hostname = '[::1]';
    return new ControlConnection(local.origin, token);
  }

  async post<T>(path: 'keys' | 'fsck' | 'queue', body: unknown): Promise<T> {
    const response = await fetch(`${this.url}/control/${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Control ${this.token}` },
      body: JSON.stringify(body),
    }).catch((error: unknown) => {
      throw new ControlError(`The running gateway at ${this.url} did not answer (${error instanceof Error ? error.message : String(error)})`);
    });
    const answer = (await response.json()) as T & { errors?: { message: string }[] };
    if (!response.ok) throw new ControlError(answer.errors?.[0]?.message ?? `The gateway answered ${response.status}`);
    return answer;
  }

  fsck(command: FsckCommand): Promise<FsckReport> {
    return this.post('fsck', command);
  }

  queue(command: QueueCommand): Promise<QueueStatus[]> {
    return this.post('queue', command);
  }

  /** Key administration through this gateway. */
  keys(): KeyAdmin {
    return new RemoteKeyAdmin(this);
  }
}

export class RemoteKeyAdmin implements KeyAdmin {
  constructor(private readonly control: ControlConnection) {}

  private send<T>(command: ControlCommand): Promise<T> {
    return this.control.post('keys', command);
  }

  create(name: string, ownerId: string | undefined): Promise<CreatedKeyReport> {
    return this.send({ action: 'create', name, ...(ownerId ? { ownerId } : {}) });
  }

  list(): Promise<KeyListing[]> {
    return this.send({ action: 'list' });
  }

  async revoke(id: string): Promise<boolean> {
    return (await this.send<{ revoked: boolean }>({ action: 'revoke', id })).revoked;
  }
}
