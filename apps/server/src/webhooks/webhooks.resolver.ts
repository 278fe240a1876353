import { Args, ID, Int, Mutation, Query, Resolver } from '@nestjs/graphql';
import type { AuthContext } from '../access/auth-context.js';
import { CurrentAuth } from '../access/current-auth.decorator.js';
import { Allow } from '../access/permissions.js';
import type { WebhookDeliveryEntity, WebhookEndpointEntity } from './webhook.entities.js';
import { MAX_GRACE_HOURS, WebhooksService } from './webhooks.service.js';
import {
  CreateWebhookEndpointPayload,
  RotateWebhookSecretPayload,
  WebhookDeliveryModel,
  WebhookEndpointInput,
  WebhookEndpointModel,
} from './models/webhook.models.js';

const toEndpoint = (endpoint: WebhookEndpointEntity): WebhookEndpointModel => ({
  id: endpoint.id,
  url: endpoint.url,
  events: endpoint.events,
  createdAt: endpoint.createdAt,
  previousSecretExpiresAt: endpoint.previousSecretExpiresAt,
});

const toDelivery = (delivery: WebhookDeliveryEntity): WebhookDeliveryModel => ({
  ...delivery,
  nextAttemptAt: delivery.status === 'PENDING' ? delivery.nextAttemptAt : null,
});

/** Webhook endpoints and their delivery log (organization owners and admins). */
@Resolver()
export class WebhooksResolver {
  constructor(private readonly webhooks: WebhooksService) {}

  @Allow('webhooks.manage')
  @Query(() => [WebhookEndpointModel])
  async webhookEndpoints(@CurrentAuth() auth: AuthContext): Promise<WebhookEndpointModel[]> {
    return (await this.webhooks.endpoints(auth)).map(toEndpoint);
  }

  @Allow('webhooks.manage')
  @Mutation(() => CreateWebhookEndpointPayload, { description: 'Registers an endpoint; its secret is shown once.' })
  async createWebhookEndpoint(
    @CurrentAuth() auth: AuthContext,
    @Args('input') input: WebhookEndpointInput,
  ): Promise<CreateWebhookEndpointPayload> {
    const { endpoint, secret } = await this.webhooks.register(auth, input);
    return { endpoint: toEndpoint(endpoint), secret };
  }

  @Allow('webhooks.manage')
  @Mutation(() => RotateWebhookSecretPayload, {
    description: `Gives an endpoint a new secret, shown once. The old one signs deliveries too (a second signature in webhook-signature) for graceHours (0 to ${MAX_GRACE_HOURS}; 24 by default), so the receiver switches without losing any.`,
  })
  async rotateWebhookSecret(
    @CurrentAuth() auth: AuthContext,
    @Args('id', { type: () => ID }) id: string,
    @Args('graceHours', { type: () => Int, defaultValue: 24 }) graceHours: number,
  ): Promise<RotateWebhookSecretPayload> {
    const { endpoint, secret } = await this.webhooks.rotateSecret(auth, id, graceHours);
    return { endpoint: toEndpoint(endpoint), secret };
  }

  @Allow('webhooks.manage')
  @Mutation(() => WebhookEndpointModel, {
    description: 'Stops sending to an endpoint; pending deliveries are dropped.',
  })
  async deleteWebhookEndpoint(
    @CurrentAuth() auth: AuthContext,
    @Args('id', { type: () => ID }) id: string,
  ): Promise<WebhookEndpointModel> {
    return toEndpoint(await this.webhooks.remove(auth, id));
  }

  @Allow('webhooks.manage')
  @Query(() => [WebhookDeliveryModel], { description: "An endpoint's deliveries, newest first." })
  async webhookDeliveries(
    @CurrentAuth() auth: AuthContext,
    @Args('endpointId', { type: () => ID }) endpointId: string,
    @Args('first', { type: () => Int, nullable: true, description: 'At most 200; 50 when omitted.' })
    first: number | null,
  ): Promise<WebhookDeliveryModel[]> {
    return (await this.webhooks.deliveries(auth, endpointId, first ?? 50)).map(toDelivery);
  }
}
