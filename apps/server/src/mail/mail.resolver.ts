import { Args, Int, Query, Resolver } from '@nestjs/graphql';
import { AccessService } from '../access/access.service.js';
import type { AuthContext } from '../access/auth-context.js';
import { CurrentAuth } from '../access/current-auth.decorator.js';
import { Allow } from '../access/permissions.js';
import type { MailOutboxEntity } from './mail-outbox.entity.js';
import { MailOutbox } from './mail-outbox.js';
import { MailDeliveryModel } from './models/mail-delivery.model.js';

const toDelivery = (mail: MailOutboxEntity): MailDeliveryModel => ({
  id: mail.id,
  to: mail.toAddress,
  kind: mail.kind,
  subject: mail.subject,
  status: mail.status,
  attempts: mail.attempts,
  lastError: mail.lastError,
  createdAt: mail.createdAt,
  sentAt: mail.sentAt,
});

/** The organization's e-mail delivery log, for those who manage its members (owners and admins). */
@Resolver()
export class MailResolver {
  constructor(
    private readonly outbox: MailOutbox,
    private readonly access: AccessService,
  ) {}

  @Allow('members.manage')
  @Query(() => [MailDeliveryModel], { description: "The organization's e-mails, newest first." })
  async mailDeliveries(
    @CurrentAuth() auth: AuthContext,
    @Args('first', { type: () => Int, nullable: true, description: 'At most 200; 50 when omitted.' })
    first: number | null,
  ): Promise<MailDeliveryModel[]> {
    const organizationId = this.access.requireOrgRole(auth, 'ADMIN');
    return (await this.outbox.deliveries(organizationId, first ?? 50)).map(toDelivery);
  }
}
