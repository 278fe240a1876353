import { Global, Module } from '@nestjs/common';
import type { Redis } from 'ioredis';
import { LOGGER } from '../core/core.module.js';
import { INSTALLATION } from '../database/database.module.js';
import type { Installation } from '../database/installation.repository.js';
import type { Logger } from '../logging/logger.js';
import { REDIS } from '../redis/redis.module.js';
import { AccessEvents } from './access-events.js';
import { PlanEvents } from './plan-events.js';

/** A broadcast on the installation's channel `name`, closed with the application. */
export function broadcastProvider<T>(
  token: new (redis: Redis | null, channel: string, logger: Logger) => T,
  name: string,
) {
  return {
    provide: token,
    inject: [REDIS, INSTALLATION, LOGGER],
    useFactory: (redis: Redis | null, installation: Installation, logger: Logger) =>
      new token(redis, `bascule:${installation.id}:${name}`, logger),
  };
}

/** The events told to every instance: access changes and plan changes. */
@Global()
@Module({
  providers: [broadcastProvider(AccessEvents, 'access'), broadcastProvider(PlanEvents, 'plans')],
  exports: [AccessEvents, PlanEvents],
})
export class EventsModule {}
