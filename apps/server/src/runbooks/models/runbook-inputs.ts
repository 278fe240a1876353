import { Field, ID, InputType, Int, OmitType, PartialType } from '@nestjs/graphql';
import { RunbookStageEnum, RunbookTaskKindEnum } from './runbook.models.js';

@InputType()
export class CreateRunbookInput {
  @Field(() => String) title!: string;
  @Field(() => Date, { nullable: true, description: 'The planned start of the cutover (task offsets count from it).' })
  t0?: Date | null;
  @Field(() => ID, { nullable: true, description: 'The milestone it cuts over; its checkpoints gate the go / no-go.' })
  milestoneId?: string | null;
  @Field(() => Int, { nullable: true, description: '0 to 99.' }) wave?: number | null;
  @Field(() => ID, {
    nullable: true,
    description: 'A runbook template (runbookTemplates) to seed its tasks from, in the plan’s language.',
  })
  templateId?: string | null;
}

@InputType()
export class RunbookPatch extends PartialType(OmitType(CreateRunbookInput, ['templateId'] as const), InputType) {}

/** A task's plan; how it runs is changed by startTask, finishTask, failTask, skipTask and vote only. */
@InputType()
export class RunbookTaskInput {
  @Field(() => String) title!: string;
  @Field(() => RunbookTaskKindEnum, { nullable: true }) kind?: string;
  @Field(() => RunbookStageEnum, { nullable: true }) stage?: string;
  @Field(() => ID, { nullable: true, description: 'A member of the organization (user id).' })
  ownerId?: string | null;
  @Field(() => String, { nullable: true }) team?: string | null;
  @Field(() => Int, { nullable: true, description: 'Minutes from T0 (negative before it).' })
  startOffset?: number | null;
  @Field(() => Date, { nullable: true, description: 'A fixed planned start; wins over startOffset.' })
  startAt?: Date | null;
  @Field(() => Int, { nullable: true, description: 'Minutes.' }) duration?: number | null;
  @Field(() => [ID], { nullable: true, description: 'Tasks of the same runbook.' }) dependsOn?: string[] | null;
  @Field(() => [ID], { nullable: true }) workloadIds?: string[] | null;
  @Field(() => [ID], { nullable: true }) checkpointIds?: string[] | null;
  @Field(() => [ID], { nullable: true, description: 'Members (user ids) who vote on a go / no-go point.' })
  approverIds?: string[] | null;
  @Field(() => String, { nullable: true, description: 'Plain text, one paragraph per line.' })
  instructions?: string | null;
  @Field(() => String, { nullable: true }) verification?: string | null;
  @Field(() => ID, { nullable: true, description: 'A ROLLBACK task of the same runbook that undoes this one.' })
  rollbackTaskId?: string | null;
}

@InputType()
export class RunbookTaskPatch extends PartialType(RunbookTaskInput, InputType) {}
