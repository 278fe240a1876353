import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module.js';
import { CollabModule } from '../collab/collab.module.js';
import { WebhookDispatcher } from './webhook.dispatcher.js';
import { WebhooksService } from './webhooks.service.js';

/**
 * Webhooks in every role: events are queued where changes are recorded (with the audit trail, in its
 * transactions), the worker role sends them.
 * (The GraphQL side is WebhooksApiModule.)
 */
@Module({
  imports: [CollabModule, AuditModule],
  providers: [WebhooksService, WebhookDispatcher],
  exports: [WebhooksService],
})
export class WebhooksModule {}
