import { randomBytes } from 'node:crypto';
import type { Fanout, FanoutMessage } from '@bascule/collab';
import type { Redis } from 'ioredis';
import type { Logger } from '../logging/logger.js';

const KINDS = ['update', 'awareness'] as const;
const ID_BYTES = 8;

/**
 * Fan-out through Redis pub/sub, one channel per plan. A message is the publishing instance's id,
 * a kind byte and the payload; an instance skips its own messages (it already served them locally).
 */
export class RedisFanout implements Fanout {
  private readonly instanceId = randomBytes(ID_BYTES);
  private readonly subscriber: Redis;
  private readonly handlers = new Map<string, (message: FanoutMessage) => void>();
  private readonly reconnectListeners: (() => void)[] = [];
  private wasDown = false;

  constructor(
    private readonly publisher: Redis,
    private readonly prefix: string,
    private readonly logger: Logger,
  ) {
    this.subscriber = publisher.duplicate({ enableOfflineQueue: true });
    this.subscriber.on('error', () => undefined);
    this.subscriber.on('close', () => {
      this.wasDown = true;
    });
    this.subscriber.on('ready', () => {
      if (!this.wasDown) return;
      this.wasDown = false;
      for (const listener of this.reconnectListeners) listener();
    });
    this.subscriber.on('messageBuffer', (channel: Buffer, message: Buffer) =>
      this.receive(channel.toString(), message),
    );
  }

  private channel(planId: string): string {
    return `${this.prefix}:plan:${planId}`;
  }

  async subscribe(planId: string, onMessage: (message: FanoutMessage) => void): Promise<void> {
    this.handlers.set(this.channel(planId), onMessage);
    await this.subscriber.subscribe(this.channel(planId));
  }

  async unsubscribe(planId: string): Promise<void> {
    this.handlers.delete(this.channel(planId));
    await this.subscriber.unsubscribe(this.channel(planId));
  }

  publish(planId: string, message: FanoutMessage): void {
    const frame = Buffer.concat([this.instanceId, Buffer.from([KINDS.indexOf(message.kind)]), message.payload]);
    this.publisher.publish(this.channel(planId), frame).catch((error: unknown) => {
      // Stored already; the other instance's clients catch up at their next sync.
      this.logger.warn({ err: error, planId }, 'collab fan-out to other instances failed');
    });
  }

  onReconnect(listener: () => void): void {
    this.reconnectListeners.push(listener);
  }

  close(): void {
    this.handlers.clear();
    this.subscriber.disconnect();
  }

  private receive(channel: string, frame: Buffer): void {
    if (frame.length <= ID_BYTES || frame.subarray(0, ID_BYTES).equals(this.instanceId)) return;
    const kind = KINDS[frame.readUInt8(ID_BYTES)];
    const handler = this.handlers.get(channel);
    if (kind === undefined || handler === undefined) return;
    try {
      handler({ kind, payload: new Uint8Array(frame.subarray(ID_BYTES + 1)) });
    } catch (error) {
      this.logger.error({ err: error, channel }, 'collab fan-out message could not be applied');
    }
  }
}
