import { Field, ID, InputType, Int, ObjectType } from '@nestjs/graphql';

@ObjectType('WebhookEndpoint')
export class WebhookEndpointModel {
  @Field(() => ID) id!: string;
  @Field(() => String) url!: string;
  @Field(() => [String], {
    description:
      'plan.changed, milestone.slipped, risk.critical, checkpoint.approved, runbook.task.late, runbook.task.failed, runbook.decision.',
  })
  events!: string[];
  @Field(() => Date) createdAt!: Date;
}

@ObjectType('CreateWebhookEndpointPayload')
export class CreateWebhookEndpointPayload {
  @Field(() => WebhookEndpointModel) endpoint!: WebhookEndpointModel;
  @Field(() => String, {
    description:
      'The signing secret: shown this once. Each delivery carries bascule-signature: v1=<hex HMAC-SHA256 of "<id>.<timestamp>.<body>">.',
  })
  secret!: string;
}

@ObjectType('WebhookDelivery', { description: 'One event sent (or to send) to one endpoint, with its outcome.' })
export class WebhookDeliveryModel {
  @Field(() => ID, { description: 'The event id, sent as bascule-webhook-id.' }) id!: string;
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
