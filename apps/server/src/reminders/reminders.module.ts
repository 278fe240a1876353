import { Module } from '@nestjs/common';
import { MailModule } from '../mail/mail.module.js';
import { NotificationsModule } from '../notifications/notifications.module.js';
import { DigestMail } from './digest-mail.js';
import { ReminderClock } from './reminder-clock.js';

/** What the clock tells people (worker role): milestones due soon, and the daily digest of what they own. */
@Module({
  imports: [NotificationsModule, MailModule],
  providers: [ReminderClock, DigestMail],
})
export class RemindersModule {}
