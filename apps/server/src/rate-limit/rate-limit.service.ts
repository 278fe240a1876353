import { Inject, Injectable } from '@nestjs/common';
import type { Redis } from 'ioredis';
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';
import { AppError } from '../common/errors.js';
import type { AppConfig, RateLimits } from '../config/config.js';
import { APP_CONFIG } from '../core/core.module.js';
import { INSTALLATION } from '../database/database.module.js';
import type { Installation } from '../database/installation.repository.js';
import { REDIS } from '../redis/redis.module.js';

export type LimitName = keyof RateLimits;

/**
 * Throttles the sign-in paths. Counters live in Redis when it is configured, so that a limit holds
 * across every instance, and in memory otherwise. Keys carry the installation id: two Bascule
 * installations sharing one Redis never count each other's attempts.
 */
@Injectable()
export class RateLimitService {
  private readonly limiters: Record<LimitName, RateLimiterAbstract>;

  constructor(
    @Inject(APP_CONFIG) config: AppConfig,
    @Inject(REDIS) redis: Redis | null,
    @Inject(INSTALLATION) installation: Installation,
  ) {
    const build = (name: LimitName): RateLimiterAbstract => {
      const { points, durationSeconds } = config.rateLimits[name];
      const options = { points, duration: durationSeconds, keyPrefix: `bascule:${installation.id}:rl:${name}` };
      return redis === null
        ? new RateLimiterMemory(options)
        : new RateLimiterRedis({ ...options, storeClient: redis, rejectIfRedisNotReady: true });
    };
    this.limiters = {
      signup: build('signup'),
      loginIp: build('loginIp'),
      loginAccount: build('loginAccount'),
      refresh: build('refresh'),
    };
  }

  /** Counts one attempt; throws RATE_LIMITED with the delay to wait once the limit is reached. */
  async consume(name: LimitName, key: string): Promise<void> {
    try {
      await this.limiters[name].consume(key);
    } catch (error) {
      if (error instanceof RateLimiterRes) throw rateLimited(error.msBeforeNext);
      // The store is unreachable: fail closed on sign-in paths rather than let guessing run free.
      throw new AppError('RATE_LIMITED', 'Too many attempts could not be ruled out just now; try again shortly.', {
        retryAfterSeconds: 5,
      });
    }
  }

  /** Refuses at once when the limit is already reached, without counting an attempt. */
  async check(name: LimitName, key: string): Promise<void> {
    const state = await this.limiters[name].get(key);
    if (state !== null && state.consumedPoints >= this.limiters[name].points) {
      throw rateLimited(state.msBeforeNext);
    }
  }

  async reset(name: LimitName, key: string): Promise<void> {
    await this.limiters[name].delete(key);
  }
}

function rateLimited(msBeforeNext: number): AppError {
  const retryAfterSeconds = Math.max(1, Math.ceil(msBeforeNext / 1000));
  return new AppError('RATE_LIMITED', `Too many attempts: try again in ${retryAfterSeconds} s.`, { retryAfterSeconds });
}
