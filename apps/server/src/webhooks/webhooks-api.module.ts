import { Module } from '@nestjs/common';
import { WebhooksModule } from './webhooks.module.js';
import { WebhooksResolver } from './webhooks.resolver.js';

/** Webhook endpoints and deliveries in GraphQL (api role). */
@Module({ imports: [WebhooksModule], providers: [WebhooksResolver] })
export class WebhooksApiModule {}
