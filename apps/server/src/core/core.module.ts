import { type DynamicModule, Global, Module } from '@nestjs/common';
import type { AppConfig } from '../config/config.js';
import type { Logger } from '../logging/logger.js';
import { Shutdown } from '../lifecycle/shutdown.js';
import { Metrics } from '../metrics/metrics.js';

/** Injection tokens for the two values every module may need; both are built before Nest starts. */
export const APP_CONFIG = Symbol('APP_CONFIG');
export const LOGGER = Symbol('LOGGER');
export const CLOCK = Symbol('CLOCK');

/** The time, injectable so that expiry rules can be tested without waiting. */
export interface Clock {
  now(): Date;
}
export const systemClock: Clock = { now: () => new Date() };

@Global()
@Module({})
export class CoreModule {
  static forRoot(config: AppConfig, logger: Logger): DynamicModule {
    return {
      module: CoreModule,
      providers: [
        { provide: APP_CONFIG, useValue: config },
        { provide: LOGGER, useValue: logger },
        { provide: CLOCK, useValue: systemClock },
        { provide: Metrics, useValue: new Metrics() },
        { provide: Shutdown, useValue: new Shutdown() },
      ],
      exports: [APP_CONFIG, LOGGER, CLOCK, Metrics, Shutdown],
    };
  }
}
