/**
 * Which owners' rows changed, as this process has heard: a counter per owner, raised by the
 * `owner` messages database triggers send on every commit that touched the owner's rows
 * (migration owner_changes), from any process, and at once by this process's own GraphQL
 * mutations (so a client reads its own writes here without waiting for the message). After a
 * lost connection every counter moves on: messages may have been missed.
 */
import type { EventBus } from './event-bus.js';

export class OwnerChanges {
  private readonly counts = new Map<string, number>();
  private epoch = 0;

  constructor(bus: EventBus) {
    bus.subscribe(
      (message) => {
        if (message.topic === 'owner') this.changed(message.id);
      },
      () => (this.epoch += 1),
    );
  }

  /** Changes whenever the owner's rows may have changed. */
  revision(ownerId: string): string {
    return `${this.epoch}.${this.counts.get(ownerId) ?? 0}`;
  }

  changed(ownerId: string): void {
    this.counts.set(ownerId, (this.counts.get(ownerId) ?? 0) + 1);
  }
}
