import { PubSub } from 'graphql-subscriptions';
import type { AuthContext } from '../access/auth-context.js';
import { AppError } from '../common/errors.js';
import type { AuthService } from '../identity/auth.service.js';

const TRIGGER = 'event';

/** A payload, or the refusal that ends the subscription (thrown by `resolve`, so it is formatted). */
export type Delivery<T> = T | { failure: unknown };

/** A subscription's `resolve`: the payload, or the refusal thrown. */
export function unwrap<T extends object>(delivery: Delivery<T>): T {
  if ('failure' in delivery) throw delivery.failure;
  return delivery;
}

/**
 * The events of one kind, delivered to GraphQL subscriptions. Each event is checked against the
 * subscriber's access as it is now (from the token, so a revoked token, a removed member or a plan
 * no longer shared ends the subscription instead of delivering).
 */
export class LiveFeed<E> {
  private readonly pubsub = new PubSub<Record<string, E>>();

  constructor(private readonly auth: AuthService) {}

  publish(event: E): void {
    void this.pubsub.publish(TRIGGER, event);
  }

  /**
   * Events that pass `concerns`, each turned into a payload by `load` with the subscriber's access
   * checked again. The first refusal is delivered as the subscription's last result, with its error
   * code, and ends it.
   */
  async *deliver<T>(
    token: string | undefined,
    concerns: (event: E) => boolean,
    load: (auth: AuthContext, event: E) => Promise<T>,
  ): AsyncIterableIterator<Delivery<T>> {
    if (token === undefined)
      throw new AppError('UNAUTHENTICATED', 'Subscriptions need a token in the connection parameters.');
    const events = this.pubsub.asyncIterableIterator<E>(TRIGGER) as AsyncIterator<E>;
    try {
      for (let next = await events.next(); next.done !== true; next = await events.next()) {
        const event = next.value;
        if (!concerns(event)) continue;
        let payload: T;
        try {
          payload = await load(await this.auth.authenticateBearer(token), event);
        } catch (failure) {
          yield { failure };
          return;
        }
        yield payload;
      }
    } finally {
      await events.return?.();
    }
  }
}
