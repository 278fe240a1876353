import { Global, Inject, Injectable, Module, type OnApplicationShutdown } from '@nestjs/common';
import { Redis } from 'ioredis';
import type { AppConfig } from '../config/config.js';
import { APP_CONFIG, LOGGER } from '../core/core.module.js';
import type { Logger } from '../logging/logger.js';

/** The shared Redis connection, or null when REDIS_URL is unset (single instance, all in-process). */
export const REDIS = Symbol('REDIS');

export function createRedisClient(url: string, logger: Logger): Redis {
  const client = new Redis(url, {
    lazyConnect: false,
    // Commands fail fast while Redis is away instead of piling up; callers and readiness see it.
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    retryStrategy: (attempt) => Math.min(attempt * 200, 2000),
    // ioredis arms this timer even for a socket that is already closed, and it holds the exit.
    disconnectTimeout: 500,
  });
  let lastError = '';
  client.on('error', (error: Error) => {
    // ioredis repeats the same error on every reconnect attempt: log a change, not each retry.
    if (error.message !== lastError) logger.warn({ err: error }, 'redis connection error');
    lastError = error.message;
  });
  client.on('ready', () => {
    if (lastError !== '') logger.info('redis connection restored');
    lastError = '';
  });
  return client;
}

@Injectable()
class RedisCloser implements OnApplicationShutdown {
  constructor(@Inject(REDIS) private readonly redis: Redis | null) {}

  async onApplicationShutdown(): Promise<void> {
    const redis = this.redis;
    if (redis === null) return;
    // QUIT lets pending replies arrive; a client that is not connected just stops reconnecting.
    if (redis.status === 'ready') await redis.quit().catch(() => redis.disconnect());
    else redis.disconnect();
  }
}

@Global()
@Module({
  providers: [
    {
      provide: REDIS,
      inject: [APP_CONFIG, LOGGER],
      useFactory: (config: AppConfig, logger: Logger) =>
        config.redisUrl === undefined ? null : createRedisClient(config.redisUrl, logger),
    },
    RedisCloser,
  ],
  exports: [REDIS],
})
export class RedisModule {}
