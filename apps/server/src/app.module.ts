import { type DynamicModule, Module, type Type } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import { AccessModule } from './access/access.module.js';
import { HttpErrorFilter } from './common/http.js';
import type { AppConfig } from './config/config.js';
import { CoreModule } from './core.module.js';
import { DatabaseModule } from './database/database.module.js';
import { ApiGraphqlModule } from './graphql/graphql.module.js';
import { HealthModule } from './health/health.module.js';
import { IdentityModule } from './identity/identity.module.js';
import type { Logger } from './logging/logger.js';
import { OrganizationsModule } from './organizations/organizations.module.js';
import { RateLimitModule } from './rate-limit/rate-limit.module.js';
import { RedisModule } from './redis/redis.module.js';
import { ServerInfoModule } from './server-info/server-info.module.js';
import { WebModule } from './web/web.module.js';

/**
 * Composition only. Every role gets the database, Redis and health probes; the api role adds
 * GraphQL and the web client. The collab and worker roles add their modules as they are built.
 */
@Module({})
export class AppModule {
  /** `extra` lets tests add a module of their own next to the real ones. */
  static forRoot(config: AppConfig, logger: Logger, extra: readonly (Type | DynamicModule)[] = []): DynamicModule {
    const api = config.roles.includes('api')
      ? [ApiGraphqlModule, IdentityModule, OrganizationsModule, ServerInfoModule, WebModule.forRoot()]
      : [];
    return {
      module: AppModule,
      imports: [
        CoreModule.forRoot(config, logger),
        DatabaseModule,
        RedisModule,
        RateLimitModule,
        AccessModule,
        HealthModule,
        ...api,
        ...extra,
      ],
      providers: [{ provide: APP_FILTER, useClass: HttpErrorFilter }],
    };
  }
}
