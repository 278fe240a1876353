import { Global, Inject, Injectable, Module, type OnApplicationShutdown } from '@nestjs/common';
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
@Injectable()
export class AccessEvents extends Broadcast<AccessChange> implements OnApplicationShutdown {
  constructor(
    @Inject(REDIS) redis: Redis | null,
    @Inject(INSTALLATION) installation: Installation,
    @Inject(LOGGER) logger: Logger,
  ) {
    super(redis, `bascule:${installation.id}:access`, logger);
  }

  onApplicationShutdown(): void {
    this.close();
  }
}

/** A plan's read model was rewritten: its content or its figures changed. */
export interface PlanChange {
  readonly planId: string;
  readonly organizationId: string;
}

/** Tells every instance that a plan changed (GraphQL subscriptions listen; webhooks will). */
@Injectable()
export class PlanEvents extends Broadcast<PlanChange> implements OnApplicationShutdown {
  constructor(
    @Inject(REDIS) redis: Redis | null,
    @Inject(INSTALLATION) installation: Installation,
    @Inject(LOGGER) logger: Logger,
  ) {
    super(redis, `bascule:${installation.id}:plans`, logger);
  }

  onApplicationShutdown(): void {
    this.close();
  }
}

@Global()
@Module({ providers: [AccessEvents, PlanEvents], exports: [AccessEvents, PlanEvents] })
export class AccessEventsModule {}
