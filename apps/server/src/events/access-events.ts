import { randomUUID } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { Global, Inject, Injectable, Module, type OnApplicationShutdown } from '@nestjs/common';
import type { Redis } from 'ioredis';
import { LOGGER } from '../core.module.js';
import { INSTALLATION } from '../database/database.module.js';
import type { Installation } from '../database/installation.repository.js';
import type { Logger } from '../logging/logger.js';
import { REDIS } from '../redis/redis.module.js';

/** Something that may take rights away from open connections; they are checked again at once. */
export type AccessChange =
  | { readonly kind: 'user'; readonly userId: string }
  | { readonly kind: 'session'; readonly sessionId: string }
  | { readonly kind: 'apiToken'; readonly tokenId: string }
  | { readonly kind: 'plan'; readonly planId: string };

const EVENT = 'change';

/**
 * Tells every instance that access changed: in-process listeners at once, other instances through
 * Redis when it is configured. Services publish after their transaction commits; the collab server
 * listens and re-checks the connections concerned.
 */
@Injectable()
export class AccessEvents implements OnApplicationShutdown {
  private readonly local = new EventEmitter();
  private readonly instanceId = randomUUID();
  private readonly channel: string;
  private readonly subscriber: Redis | null;

  constructor(
    @Inject(REDIS) private readonly redis: Redis | null,
    @Inject(INSTALLATION) installation: Installation,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {
    this.local.setMaxListeners(0);
    this.channel = `bascule:${installation.id}:access`;
    this.subscriber = redis === null ? null : redis.duplicate({ enableOfflineQueue: true });
    if (this.subscriber !== null) {
      this.subscriber.on('error', () => undefined);
      void this.subscriber
        .subscribe(this.channel)
        .catch((error: unknown) => this.logger.warn({ err: error }, 'cannot subscribe to access events'));
      this.subscriber.on('message', (_channel: string, message: string) => this.receive(message));
    }
  }

  publish(change: AccessChange): void {
    this.local.emit(EVENT, change);
    if (this.redis === null) return;
    this.redis.publish(this.channel, JSON.stringify({ from: this.instanceId, change })).catch((error: unknown) => {
      this.logger.warn({ err: error, change }, 'access change not sent to other instances');
    });
  }

  /** Calls the listener for every change; returns the way to stop listening. */
  listen(listener: (change: AccessChange) => void): () => void {
    this.local.on(EVENT, listener);
    return () => this.local.off(EVENT, listener);
  }

  async onApplicationShutdown(): Promise<void> {
    this.local.removeAllListeners();
    this.subscriber?.disconnect();
  }

  private receive(message: string): void {
    try {
      const { from, change } = JSON.parse(message) as { from: string; change: AccessChange };
      if (from !== this.instanceId) this.local.emit(EVENT, change);
    } catch (error) {
      this.logger.warn({ err: error }, 'unreadable access event ignored');
    }
  }
}

@Global()
@Module({ providers: [AccessEvents], exports: [AccessEvents] })
export class AccessEventsModule {}
