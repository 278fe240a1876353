import { Field, ID, InputType, Int, ObjectType } from '@nestjs/graphql';

@ObjectType('WebhookEndpoint')
export class WebhookEndpointModel {
  @Field(() => ID) id!: string;
  @Field(() => String) url!: string;
  @Field(() => [String], {
    description:
      'plan.changed, milestone.slipped, risk.critical, checkpoint.approved, runbook.task.late, runbook.task.failed, runbook.decision, comment.created.',
  })
  events!: string[];
  @Field(() => Date) createdAt!: Date;
  @Field(() => Date, {
    nullable: true,
    description: 'After rotateWebhookSecret: until when the previous secret signs deliveries too.',
  })
  previousSecretExpiresAt!: Date | null;
}

@ObjectType('CreateWebhookEndpointPayload')
export class CreateWebhookEndpointPayload {
  @Field(() => WebhookEndpointModel) endpoint!: WebhookEndpointModel;
  @Field(() => String, {
    description:
      'The signing secret (whsec_…): shown this once. Deliveries are signed by the Standard Webhooks specification (webhook-id, webhook-timestamp, webhook-signature); verify them with a Standard Webhooks library.',
  })
  secret!: string;
}

@ObjectType('RotateWebhookSecretPayload')
export class RotateWebhookSecretPayload {
  @Field(() => WebhookEndpointModel) endpoint!: WebhookEndpointModel;
  @Field(() => String, { description: 'The new secret (whsec_…): shown this once.' }) secret!: string;
}

@ObjectType('WebhookDelivery', { description: 'One event sent (or to send) to one endpoint, with its outcome.' })
export class WebhookDeliveryModel {
  @Field(() => ID, { description: 'The event id, sent as webhook-id.' }) id!: string;
  @Field(() => String) event!: string;
  @Field(() => String, { description: 'PENDING, DELIVERED or FAILED (given up).' }) status!: string;
  @Field(() => Int) attempts!: number;
  @Field(() => Int, { nullable: true, description: 'The HTTP status of the last attempt.' }) lastStatus!: number | null;
  @Field(() => String, { nullable: true }) lastError!: string | null;
  @Field(() => Date) createdAt!: Date;
  @Field(() => Date, { nullable: true }) deliveredAt!: Date | null;
  @Field(() => Date, { nullable: true, description: 'When the next attempt is due (PENDING).' })
  nextAttemptAt!: Date | null;
  @Field(() => String, { description: 'The JSON body as signed and sent.' }) payload!: string;
}

@InputType()
export class WebhookEndpointInput {
  @Field(() => String, { description: 'https URL (http outside production).' }) url!: string;
  @Field(() => [String]) events!: string[];
}
