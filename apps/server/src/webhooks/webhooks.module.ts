import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module.js';
import { CollabModule } from '../collab/collab.module.js';
import { WebhookDispatcher } from './webhook.dispatcher.js';
import { WebhookEvents } from './webhook-events.js';
import { WebhooksService } from './webhooks.service.js';

/**
 * Webhooks in every role: events are queued where changes are stored, the worker role sends them.
 * (The GraphQL side is WebhooksApiModule.)
 */
@Module({
  imports: [CollabModule, AuditModule],
  providers: [WebhooksService, WebhookEvents, WebhookDispatcher],
  exports: [WebhooksService],
})
export class WebhooksModule {}
