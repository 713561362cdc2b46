/**
 * LISTEN on a dedicated PostgreSQL connection (a pooled one would hand the session to
 * others). A dropped connection is re-opened with back-off; subscribers are then told to
 * re-read what they follow, since notifications sent meanwhile are lost.
 */
import pg from 'pg';
import type { Logger } from '../lib/logger.js';
import type { NotificationSource } from './event-bus.js';

const MAX_BACKOFF_MS = 10_000;

export class PostgresNotifications implements NotificationSource {
  private client: pg.Client | undefined;
  private closed = false;
  private reconnecting = false;

  constructor(
    private readonly connectionString: string,
    private readonly logger: Logger,
  ) {}

  async listen(channel: string, onPayload: (payload: string) => void, onReconnect: () => void): Promise<void> {
    const connect = async (): Promise<void> => {
      const client = new pg.Client({ connectionString: this.connectionString, application_name: 'maskgraph-listen' });
      client.on('notification', (notification) => {
        if (notification.channel === channel && notification.payload) onPayload(notification.payload);
      });
      const lost = (error?: Error) => {
        if (this.closed || this.client !== client) return;
        this.client = undefined;
        this.logger.warn('event connection lost; reconnecting', { error });
        void reconnect();
      };
      client.on('error', lost);
      client.on('end', () => lost());
      await client.connect();
      await client.query(`LISTEN "${channel}"`);
      this.client = client;
    };
    const reconnect = async (): Promise<void> => {
      if (this.reconnecting) return;
      this.reconnecting = true;
      for (let delay = 250; !this.closed; delay = Math.min(MAX_BACKOFF_MS, delay * 2)) {
        await new Promise((resolve) => setTimeout(resolve, delay).unref());
        try {
          await connect();
          this.logger.info('event connection restored');
          onReconnect();
          break;
        } catch (error) {
          this.logger.warn('event connection failed; retrying', { error, delayMs: delay });
        }
      }
      this.reconnecting = false;
    };
    await connect();
  }

  async close(): Promise<void> {
    this.closed = true;
    const client = this.client;
    this.client = undefined;
    await client?.end().catch(() => {});
  }
}
