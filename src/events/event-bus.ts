/**
 * Status changes of job-like rows, and new jobs in a queue, across every process on the
 * same database. Messages are small (topic, id, status): a subscriber re-reads the row, so
 * a message never has to carry a record and a lost one costs only a delay until the next.
 */
export type EventTopic = 'segmentation' | 'evaluation' | 'queue' | 'image' | 'owner';

export interface BusMessage {
  topic: EventTopic;
  /**
   * The row's id; for `queue`, the queue's name; for `image`, the rendered URL's cache key or
   * what is gone; for `owner`, whose rows changed (sent by database triggers, migration owner_changes).
   */
  id: string;
  /** The status when published (informational; the row is the truth). */
  status?: string;
  /** The row was deleted. */
  gone?: true;
}

export interface EventBus {
  /** Delivers to every subscriber in every process, this one included. */
  publish(message: BusMessage): Promise<void>;
  /** `onResync` runs after a lost connection came back: messages may have been missed. */
  subscribe(onMessage: (message: BusMessage) => void, onResync: () => void): void;
  close(): Promise<void>;
}

/** Where notifications come from: a dedicated PostgreSQL connection, or PGlite in process. */
export interface NotificationSource {
  listen(channel: string, onPayload: (payload: string) => void, onReconnect: () => void): Promise<void>;
  close(): Promise<void>;
}

const TOPICS = new Set<string>(['segmentation', 'evaluation', 'queue', 'image', 'owner']);

/** Parses a payload from the channel; anything else on it is ignored. */
export function parseBusMessage(payload: string): BusMessage | undefined {
  try {
    const value = JSON.parse(payload) as Partial<BusMessage>;
    if (typeof value.id !== 'string' || typeof value.topic !== 'string' || !TOPICS.has(value.topic)) return undefined;
    return {
      topic: value.topic as EventTopic,
      id: value.id,
      ...(typeof value.status === 'string' ? { status: value.status } : {}),
      ...(value.gone ? { gone: true } : {}),
    };
  } catch {
    return undefined;
  }
}

/** One channel per database schema, so deployments (and test runs) sharing a server never hear each other. */
export function channelFor(schema: string | undefined): string {
  return `maskgraph_${(schema ?? 'public').toLowerCase().replace(/[^a-z0-9_]/g, '_')}`.slice(0, 63);
}

/**
 * The bus on PostgreSQL's NOTIFY: `notify` sends through the ordinary pool (NOTIFY is
 * transactional and needs no dedicated connection), the source listens.
 */
export class NotifyEventBus implements EventBus {
  private readonly subscribers: { onMessage: (message: BusMessage) => void; onResync: () => void }[] = [];
  private listening: Promise<void> | undefined;

  constructor(
    private readonly channel: string,
    private readonly notify: (channel: string, payload: string) => Promise<void>,
    private readonly source: NotificationSource,
  ) {}

  /** Starts listening before the first publish, so this process hears its own messages. */
  async start(): Promise<void> {
    this.listening ??= this.source.listen(
      this.channel,
      (payload) => {
        const message = parseBusMessage(payload);
        if (message) for (const subscriber of this.subscribers) subscriber.onMessage(message);
      },
      () => {
        for (const subscriber of this.subscribers) subscriber.onResync();
      },
    );
    await this.listening;
  }

  async publish(message: BusMessage): Promise<void> {
    await this.notify(this.channel, JSON.stringify(message));
  }

  subscribe(onMessage: (message: BusMessage) => void, onResync: () => void): void {
    this.subscribers.push({ onMessage, onResync });
  }

  close(): Promise<void> {
    return this.source.close();
  }
}
