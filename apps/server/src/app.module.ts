import { type DynamicModule, Module, type Type } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import { AccessModule } from './access/access.module.js';
import { AuditApiModule } from './audit-api/audit-api.module.js';
import { BaselinesApiModule } from './baselines/baselines-api.module.js';
import { BaselinesModule } from './baselines/baselines.module.js';
import { ReportsModule } from './reports/reports.module.js';
import { RunbooksApiModule } from './runbooks/runbooks-api.module.js';
import { RunbooksModule } from './runbooks/runbooks.module.js';
import { WebhooksApiModule } from './webhooks/webhooks-api.module.js';
import { WebhooksModule } from './webhooks/webhooks.module.js';
import { MailApiModule } from './mail/mail-api.module.js';
import { MailModule } from './mail/mail.module.js';
import { CommentsApiModule } from './comments/comments-api.module.js';
import { NotificationsApiModule } from './notifications/notifications-api.module.js';
import { NotificationsModule } from './notifications/notifications.module.js';
import { RemindersModule } from './reminders/reminders.module.js';
import { RetentionModule } from './retention/retention.module.js';
import { CatalogApiModule } from './catalog/catalog-api.module.js';
import { ChangesModule } from './changes/changes.module.js';
import { CollabModule } from './collab/collab.module.js';
import { HttpErrorFilter } from './common/http.js';
import type { AppConfig } from './config/config.js';
import { CoreModule } from './core/core.module.js';
import { DemoModule } from './demo/demo.module.js';
import { DatabaseModule } from './database/database.module.js';
import { entities } from './entities.js';
import { ApiGraphqlModule } from './graphql/graphql.module.js';
import { EventsModule } from './events/events.module.js';
import { HealthModule } from './health/health.module.js';
import { AuthHttpModule } from './identity/auth-http.module.js';
import { IdentityModule } from './identity/identity.module.js';
import type { Logger } from './logging/logger.js';
import { OrganizationsModule } from './organizations/organizations.module.js';
import { PlanApiModule } from './plan-api/plan-api.module.js';
import { PlansModule } from './plans/plans.module.js';
import { ProjectionModule } from './projection/projection.module.js';
import { RateLimitModule } from './rate-limit/rate-limit.module.js';
import { RedisModule } from './redis/redis.module.js';
import { ServerInfoModule } from './server-info/server-info.module.js';
import { WebModule } from './web/web.module.js';

/**
 * Composition only. Every role gets the database, Redis, health probes, identity, plans and the
 * collab engine (GraphQL mutations edit documents through it; the worker compacts them). The api
 * role adds GraphQL, the /auth routes and the web client; the collab role puts the engine on the
 * /collab WebSocket; the worker role runs compaction.
 */
@Module({})
export class AppModule {
  /** `extra` lets tests add a module of their own next to the real ones. */
  static forRoot(config: AppConfig, logger: Logger, extra: readonly (Type | DynamicModule)[] = []): DynamicModule {
    const api = config.roles.includes('api')
      ? [
          ApiGraphqlModule,
          AuthHttpModule,
          OrganizationsModule,
          PlanApiModule,
          CatalogApiModule,
          AuditApiModule,
          BaselinesApiModule,
          WebhooksApiModule,
          MailApiModule,
          RunbooksApiModule,
          CommentsApiModule,
          NotificationsApiModule,
          ReportsModule,
          DemoModule,
          ServerInfoModule,
          WebModule.forRoot(),
        ]
      : [];
    return {
      module: AppModule,
      imports: [
        CoreModule.forRoot(config, logger),
        DatabaseModule.forRoot(entities),
        RedisModule,
        RateLimitModule,
        EventsModule,
        AccessModule,
        HealthModule,
        IdentityModule,
        PlansModule,
        CollabModule,
        ChangesModule,
        BaselinesModule,
        WebhooksModule,
        MailModule,
        NotificationsModule,
        RemindersModule,
        RetentionModule,
        RunbooksModule,
        ProjectionModule,
        ...api,
        ...extra,
      ],
      providers: [{ provide: APP_FILTER, useClass: HttpErrorFilter }],
    };
  }
}
