import { Global, Module } from '@nestjs/common';
import type { Redis } from 'ioredis';
import { LOGGER } from '../core.module.js';
import { INSTALLATION } from '../database/database.module.js';
import type { Installation } from '../database/installation.repository.js';
import type { Logger } from '../logging/logger.js';
import { REDIS } from '../redis/redis.module.js';
import { Broadcast } from './broadcast.js';

/** Something that may take rights away from open connections; they are checked again at once. */
export type AccessChange =
  | { readonly kind: 'user'; readonly userId: string }
  | { readonly kind: 'session'; readonly sessionId: string }
  | { readonly kind: 'apiToken'; readonly tokenId: string }
  | { readonly kind: 'plan'; readonly planId: string };

/**
 * Tells every instance that access changed. Services publish after their transaction commits; the
 * collab server listens and re-checks the connections concerned.
 */
export class AccessEvents extends Broadcast<AccessChange> {}

/** A plan's read model was rewritten: its content or its figures changed. */
export interface PlanChange {
  readonly planId: string;
  readonly organizationId: string;
}

/** Tells every instance that a plan changed (GraphQL subscriptions listen; webhooks will). */
export class PlanEvents extends Broadcast<PlanChange> {}

/** A broadcast on the installation's channel `name`, closed with the application. */
function broadcastProvider<T>(token: new (redis: Redis | null, channel: string, logger: Logger) => T, name: string) {
  return {
    provide: token,
    inject: [REDIS, INSTALLATION, LOGGER],
    useFactory: (redis: Redis | null, installation: Installation, logger: Logger) =>
      new token(redis, `bascule:${installation.id}:${name}`, logger),
  };
}

@Global()
@Module({
  providers: [broadcastProvider(AccessEvents, 'access'), broadcastProvider(PlanEvents, 'plans')],
  exports: [AccessEvents, PlanEvents],
})
export class AccessEventsModule {}
