/**
 * How many WebSockets each API key holds open: at most MAX_SOCKETS_PER_KEY (the single user
 * counts as one key). With MAX_SUBSCRIPTIONS_PER_SOCKET (checked in server.ts against
 * graphql-ws's own list of a socket's operations) it bounds what one key keeps running: each
 * subscription costs an execution per event, so an unbounded count lets one key stall the
 * event loop for everyone.
 */
import { createHash } from 'node:crypto';

export class SocketLimits {
  private readonly socketsPerKey = new Map<string, number>();

  constructor(private readonly limits: { maxSocketsPerKey: number }) {}

  /** Counts a socket against its key until `socket` emits close; false past the limit (not counted). */
  openSocket(authorization: string | undefined, socket: { once(event: 'close', listener: () => void): unknown }): boolean {
    const key = createHash('sha256')
      .update(authorization ?? 'single user')
      .digest('hex');
    const open = this.socketsPerKey.get(key) ?? 0;
    if (open >= this.limits.maxSocketsPerKey) return false;
    this.socketsPerKey.set(key, open + 1);
    socket.once('close', () => {
      const left = (this.socketsPerKey.get(key) ?? 1) - 1;
      if (left === 0) this.socketsPerKey.delete(key);
      else this.socketsPerKey.set(key, left);
    });
    return true;
  }
}
