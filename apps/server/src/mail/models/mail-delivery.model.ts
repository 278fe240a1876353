import { Field, ID, Int, ObjectType } from '@nestjs/graphql';

@ObjectType('MailDelivery', { description: 'One e-mail sent (or to send) for the organization, with its outcome.' })
export class MailDeliveryModel {
  @Field(() => ID) id!: string;
  @Field(() => String, { description: 'The recipient’s address.' }) to!: string;
  @Field(() => String, { description: 'What it is: invitation, or a kind of notification.' }) kind!: string;
  @Field(() => String) subject!: string;
  @Field(() => String, {
    description: 'PENDING (to send or retry), SENT (taken by the SMTP server) or FAILED (given up).',
  })
  status!: string;
  @Field(() => Int) attempts!: number;
  @Field(() => String, { nullable: true, description: 'Why the last attempt failed.' }) lastError!: string | null;
  @Field(() => Date) createdAt!: Date;
  @Field(() => Date, { nullable: true }) sentAt!: Date | null;
}
