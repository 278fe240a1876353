import { Module } from '@nestjs/common';
import { broadcastProvider } from '../events/events.module.js';
import { MailModule } from '../mail/mail.module.js';
import { NotificationEvents } from './notification-events.js';
import { NotificationLinks } from './notification-links.js';
import { NotificationMail } from './notification-mail.js';
import { NotificationsService } from './notifications.service.js';
import { PlanAudience } from './plan-audience.js';

/**
 * Notifications in every role: the change log writes them (with their e-mails in the outbox) in
 * the transactions that record plan changes, and announces them to every instance. What the clock
 * tells is RemindersModule; the GraphQL side and the one-click unsubscribe are NotificationsApiModule.
 */
@Module({
  imports: [MailModule],
  providers: [
    broadcastProvider(NotificationEvents, 'notifications'),
    NotificationsService,
    NotificationLinks,
    NotificationMail,
    PlanAudience,
  ],
  exports: [NotificationEvents, NotificationsService, NotificationLinks, PlanAudience],
})
export class NotificationsModule {}
