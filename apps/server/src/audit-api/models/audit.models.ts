import { Field, ID, InputType, Int, ObjectType } from '@nestjs/graphql';
import { connectionOf } from '../../plan-api/models/plan-content.models.js';

@ObjectType('AuditActor', { description: 'Who made a change, as Bascule authenticated them.' })
export class AuditActorModel {
  @Field(() => String, { description: 'user, apiToken or system.' }) kind!: string;
  @Field(() => ID, { nullable: true, description: "The user's or API token's id; null for Bascule itself." })
  id!: string | null;
  @Field(() => String) name!: string;
}

@ObjectType('AuditEvent', {
  description: 'One event of the audit trail: a change in domain terms, or a refusal of a governance rule.',
})
export class AuditEventModel {
  @Field(() => Int, { description: "Position in the organization's hash chain, from 1." }) seq!: number;
  @Field(() => Date) occurredAt!: Date;
  @Field(() => ID, { nullable: true }) planId!: string | null;
  @Field(() => AuditActorModel) actor!: AuditActorModel;
  @Field(() => String, { description: 'created, updated, deleted or refused.' }) action!: string;
  @Field(() => String, { description: 'plan, milestones, risks, checkpoints, workloads or notes.' }) entity!: string;
  @Field(() => String, { nullable: true }) entityId!: string | null;
  @Field(() => String, { nullable: true }) field!: string | null;
  @Field(() => String, { nullable: true, description: 'The value before, as JSON.' }) before!: string | null;
  @Field(() => String, { nullable: true, description: 'The value after, as JSON.' }) after!: string | null;
  @Field(() => String, { nullable: true, description: 'Particulars as a JSON object (a refused rule: code, message).' })
  details!: string | null;
  @Field(() => String, { description: 'SHA-256 over this event and the previous hash.' }) hash!: string;
}

export const AuditEventConnection = connectionOf(AuditEventModel, 'AuditEvent');

@InputType()
export class AuditEventFilter {
  @Field(() => ID, { nullable: true, description: "One plan's events; without it, the organization's (admins)." })
  planId?: string | null;
  @Field(() => String, { nullable: true }) entity?: string | null;
  @Field(() => String, { nullable: true }) entityId?: string | null;
  @Field(() => String, { nullable: true }) action?: string | null;
  @Field(() => ID, { nullable: true, description: 'A user or API token id.' }) actorId?: string | null;
  @Field(() => Date, { nullable: true }) since?: Date | null;
  @Field(() => Date, { nullable: true }) until?: Date | null;
}

@ObjectType('AuditChainCheck')
export class AuditChainCheckModel {
  @Field(() => Int) events!: number;
  @Field(() => Boolean) valid!: boolean;
  @Field(() => Int, { nullable: true, description: 'The first event that does not verify.' }) brokenAt!: number | null;
  @Field(() => String, { nullable: true }) problem!: string | null;
  @Field(() => Int, {
    nullable: true,
    description: 'The last event checked: keep it (with headHash) outside Bascule to show later that nothing was cut.',
  })
  headSeq!: number | null;
  @Field(() => String, { nullable: true, description: 'The hash of the last event checked.' })
  headHash!: string | null;
}
