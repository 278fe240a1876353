import { Inject, Injectable } from '@nestjs/common';
import type { Redis } from 'ioredis';
import { DataSource } from 'typeorm';
import { Shutdown } from '../lifecycle/shutdown.js';
import { REDIS } from '../redis/redis.module.js';

export type CheckStatus = 'up' | 'down';
export interface CheckResult {
  readonly status: CheckStatus;
  readonly error?: string;
}
export interface Readiness {
  readonly status: 'ok' | 'unavailable' | 'stopping';
  readonly checks: Readonly<Record<string, CheckResult>>;
}

const CHECK_TIMEOUT_MS = 2000;

async function check(probe: () => Promise<unknown>): Promise<CheckResult> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${CHECK_TIMEOUT_MS} ms`)), CHECK_TIMEOUT_MS);
  });
  try {
    await Promise.race([probe(), timeout]);
    return { status: 'up' };
  } catch (error) {
    return { status: 'down', error: error instanceof Error ? error.message : String(error) };
  } finally {
    clearTimeout(timer);
  }
}

/** Readiness of this instance: its database, and Redis when configured; never while it stops. */
@Injectable()
export class HealthService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly shutdown: Shutdown,
    @Inject(REDIS) private readonly redis: Redis | null,
  ) {}

  async readiness(): Promise<Readiness> {
    if (this.shutdown.started) return { status: 'stopping', checks: {} };
    const checks: Record<string, CheckResult> = {
      database: await check(() => this.dataSource.query('SELECT 1')),
    };
    const redis = this.redis;
    if (redis !== null) checks.redis = await check(() => redis.ping());
    const ready = Object.values(checks).every((result) => result.status === 'up');
    return { status: ready ? 'ok' : 'unavailable', checks };
  }
}
