import { Field, ID, Int, ObjectType } from '@nestjs/graphql';
import { AuditActorModel } from '../../audit-api/models/audit.models.js';

@ObjectType('Baseline', { description: 'A named version of a plan.' })
export class BaselineModel {
  @Field(() => ID) id!: string;
  @Field(() => String) name!: string;
  @Field(() => String, {
    description: 'MANUAL, MILESTONE_COMPLETED (saved when that milestone was completed) or BEFORE_RESTORE.',
  })
  reason!: string;
  @Field(() => ID, { nullable: true, description: 'The milestone whose completion saved it.' })
  milestoneId!: string | null;
  @Field(() => Date) createdAt!: Date;
  @Field(() => AuditActorModel) createdBy!: AuditActorModel;
}

@ObjectType('FieldDifference')
export class FieldDifferenceModel {
  @Field(() => String) field!: string;
  @Field(() => String, { nullable: true, description: 'The value in the older version, as JSON.' }) before!: string;
  @Field(() => String, { nullable: true, description: 'The value in the newer version, as JSON.' }) after!: string;
}

@ObjectType('EntryDifference')
export class EntryDifferenceModel {
  @Field(() => ID) id!: string;
  @Field(() => String) title!: string;
  @Field(() => [FieldDifferenceModel]) fields!: FieldDifferenceModel[];
  @Field(() => Int, { nullable: true, description: 'Milestones: days the due date moved (positive: later).' })
  slipDays!: number | null;
}

@ObjectType('CollectionDifference')
export class CollectionDifferenceModel {
  @Field(() => [EntryDifferenceModel]) added!: EntryDifferenceModel[];
  @Field(() => [EntryDifferenceModel]) removed!: EntryDifferenceModel[];
  @Field(() => [EntryDifferenceModel]) changed!: EntryDifferenceModel[];
}

@ObjectType('PlanDifference', { description: 'What changed from one version of a plan to another.' })
export class PlanDifferenceModel {
  @Field(() => [FieldDifferenceModel]) meta!: FieldDifferenceModel[];
  @Field(() => CollectionDifferenceModel) milestones!: CollectionDifferenceModel;
  @Field(() => CollectionDifferenceModel) risks!: CollectionDifferenceModel;
  @Field(() => CollectionDifferenceModel) checkpoints!: CollectionDifferenceModel;
  @Field(() => CollectionDifferenceModel) workloads!: CollectionDifferenceModel;
}
