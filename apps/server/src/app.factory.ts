import 'reflect-metadata';
import type { DynamicModule, INestApplication, Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { AppModule } from './app.module.js';
import type { AppConfig } from './config/config.js';
import { createHttpLogger, NestPinoLogger, type Logger } from './logging/logger.js';
import type { Redis } from 'ioredis';
import { httpMetrics } from './metrics/http-metrics.js';
import { metricsEndpoint } from './metrics/metrics-endpoint.js';
import { REDIS } from './redis/redis.module.js';
import { Metrics } from './metrics/metrics.js';

/**
 * Builds the application exactly as it runs, for main.ts and for tests alike: same modules, same
 * middleware, same logger. Nest errors are thrown rather than aborting the process.
 */
export async function createApp(
  config: AppConfig,
  logger: Logger,
  extra: readonly (Type | DynamicModule)[] = [],
): Promise<INestApplication> {
  const app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot(config, logger, extra), {
    logger: new NestPinoLogger(logger.child({ component: 'nest' })),
    abortOnError: false,
  });
  // GraphQL bodies carry inventory files (CSV in a variable): room for a few thousand workloads.
  app.useBodyParser('json', { limit: '4mb' });
  const metrics = app.get(Metrics);
  app.use(httpMetrics(metrics));
  app.use('/metrics', metricsEndpoint(metrics, config.metricsToken, app.get<Redis | null>(REDIS)));
  app.use(createHttpLogger(logger));
  app.disable('x-powered-by');
  app.set('trust proxy', 'loopback, linklocal, uniquelocal');
  return app;
}
