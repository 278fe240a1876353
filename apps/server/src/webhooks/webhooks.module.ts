import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module.js';
import { WebhookDispatcher } from './webhook.dispatcher.js';
import { WebhooksService } from './webhooks.service.js';

/**
 * Webhooks in every role: the change log queues deliveries in the transactions that record plan
 * changes, the worker role sends them.
 * (The GraphQL side is WebhooksApiModule.)
 */
@Module({
  imports: [AuditModule],
  providers: [WebhooksService, WebhookDispatcher],
  exports: [WebhooksService],
})
export class WebhooksModule {}
