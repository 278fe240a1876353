import { Module } from '@nestjs/common';
import { MailModule } from './mail.module.js';
import { MailResolver } from './mail.resolver.js';

/** The e-mail delivery log in GraphQL (api role). */
@Module({ imports: [MailModule], providers: [MailResolver] })
export class MailApiModule {}
