import { Module } from '@nestjs/common';
import { InvitationMail } from './invitation-mail.js';
import { MailDispatcher } from './mail.dispatcher.js';
import { MailOutbox } from './mail-outbox.js';
import { MailRenderer } from './mail-renderer.js';
import { SmtpTransport } from './smtp-transport.js';

/**
 * E-mail in every role: any role writes e-mails into the outbox in its own transactions, the worker
 * role sends them. (The delivery log in GraphQL is MailApiModule.)
 */
@Module({
  providers: [MailOutbox, MailRenderer, MailDispatcher, SmtpTransport, InvitationMail],
  exports: [MailOutbox, MailRenderer, InvitationMail],
})
export class MailModule {}
