import type { Redis } from 'ioredis';
import type { Logger } from '../logging/logger.js';
import { Broadcast } from './broadcast.js';

/** A plan's read model was rewritten: its content or its figures changed. */
export interface PlanChange {
  readonly planId: string;
  readonly organizationId: string;
}

/**
 * Tells every instance that a plan changed (GraphQL subscriptions listen), and keeps a generation
 * per organization that moves with every change of one of its plans: what was read before a change
 * carries an older generation, so a memory of reads (PlanReadCache) knows it is outdated. With Redis
 * the generation is a counter there, moved before `announce` returns: a caller whose write returned
 * reads the new generation on any instance, whether or not the event reached it yet.
 */
export class PlanEvents extends Broadcast<PlanChange> {
  private readonly generations = new Map<string, number>();

  constructor(redis: Redis | null, channel: string, logger: Logger) {
    super(redis, channel, logger);
    // Changes announced by other instances move this instance's own count too.
    this.listen((change) => this.moveLocal(change.organizationId));
  }

  /** After a change committed: moves the organization's generation everywhere, then tells the listeners. */
  async announce(change: PlanChange): Promise<void> {
    await this.invalidate(change.organizationId);
    this.publish(change);
  }

  /** Moves the organization's generation without an event (who may see which plan changed). */
  async invalidate(organizationId: string): Promise<void> {
    this.moveLocal(organizationId);
    if (this.redis === null) return;
    await this.redis.incr(this.generationKey(organizationId)).catch((error: unknown) => {
      // Harmless: while Redis cannot be reached, no instance reads from memory (generation is null).
      this.logger.debug({ err: error, organizationId }, 'plan generation not moved in redis');
    });
  }

  /**
   * The organization's generation, or null when it cannot be known (Redis unreachable): then no read
   * may be taken from memory.
   */
  async generation(organizationId: string): Promise<string | null> {
    const local = this.generations.get(organizationId) ?? 0;
    if (this.redis === null) return String(local);
    try {
      return `${(await this.redis.get(this.generationKey(organizationId))) ?? 0}.${local}`;
    } catch {
      return null;
    }
  }

  private moveLocal(organizationId: string): void {
    this.generations.set(organizationId, (this.generations.get(organizationId) ?? 0) + 1);
  }

  private generationKey(organizationId: string): string {
    return `${this.channel}:generation:${organizationId}`;
  }
}
