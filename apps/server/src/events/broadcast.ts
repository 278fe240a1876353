import { randomUUID } from 'node:crypto';
import { EventEmitter } from 'node:events';
import type { OnApplicationShutdown } from '@nestjs/common';
import type { Redis } from 'ioredis';
import type { Logger } from '../logging/logger.js';

const EVENT = 'event';

/**
 * Events for every instance: in-process listeners at once, other instances through a Redis channel
 * when Redis is configured (an instance ignores its own messages, which it delivered already).
 */
export class Broadcast<T> implements OnApplicationShutdown {
  private readonly local = new EventEmitter();
  private readonly instanceId = randomUUID();
  private readonly subscriber: Redis | null;

  constructor(
    protected readonly redis: Redis | null,
    protected readonly channel: string,
    protected readonly logger: Logger,
  ) {
    this.local.setMaxListeners(0);
    this.subscriber = redis === null ? null : redis.duplicate({ enableOfflineQueue: true });
    if (this.subscriber !== null) {
      this.subscriber.on('error', () => undefined);
      void this.subscriber
        .subscribe(channel)
        .catch((error: unknown) => this.logger.warn({ err: error, channel }, 'cannot subscribe to events'));
      this.subscriber.on('message', (_channel: string, message: string) => this.receive(message));
    }
  }

  publish(event: T): void {
    this.local.emit(EVENT, event);
    if (this.redis === null) return;
    this.redis.publish(this.channel, JSON.stringify({ from: this.instanceId, event })).catch((error: unknown) => {
      this.logger.warn({ err: error, channel: this.channel }, 'event not sent to other instances');
    });
  }

  /** Calls the listener for every event; returns the way to stop listening. */
  listen(listener: (event: T) => void): () => void {
    this.local.on(EVENT, listener);
    return () => this.local.off(EVENT, listener);
  }

  onApplicationShutdown(): void {
    this.close();
  }

  close(): void {
    this.local.removeAllListeners();
    this.subscriber?.disconnect();
  }

  private receive(message: string): void {
    try {
      const { from, event } = JSON.parse(message) as { from: string; event: T };
      if (from !== this.instanceId) this.local.emit(EVENT, event);
    } catch (error) {
      this.logger.warn({ err: error, channel: this.channel }, 'unreadable event ignored');
    }
  }
}
