import { Module } from '@nestjs/common';
import { IdentityModule } from '../identity/identity.module.js';
import { NotificationsModule } from './notifications.module.js';
import { NotificationsResolver } from './notifications.resolver.js';
import { UnsubscribeController } from './unsubscribe.controller.js';

/** The notification centre in GraphQL (api role), and the one-click unsubscribe of e-mails. */
@Module({
  imports: [NotificationsModule, IdentityModule],
  providers: [NotificationsResolver],
  controllers: [UnsubscribeController],
})
export class NotificationsApiModule {}
