/** Notifications inside the process that holds the embedded database (PGlite's own LISTEN). */
import type { PGlite } from '@electric-sql/pglite';
import type { NotificationSource } from './event-bus.js';

export class PgliteNotifications implements NotificationSource {
  private unlisten: (() => Promise<void>) | undefined;

  constructor(private readonly pglite: PGlite) {}

  async listen(channel: string, onPayload: (payload: string) => void): Promise<void> {
    this.unlisten = await this.pglite.listen(channel, onPayload);
  }

  async close(): Promise<void> {
    await this.unlisten?.().catch(() => {}); // the database may be closing already
  }
}
