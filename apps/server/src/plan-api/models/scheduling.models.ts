import { Field, Int, ObjectType } from '@nestjs/graphql';
import { MilestoneModel, WorkloadModel } from './plan-content.models.js';

@ObjectType('Wave', { description: 'Workloads that can move together: everything they depend on moved before.' })
export class WaveModel {
  @Field(() => Int, { description: 'From 1.' }) number!: number;
  @Field(() => [WorkloadModel]) workloads!: object[];
}

@ObjectType('DependencyCycle', {
  description:
    'Workloads that depend on each other in a circle (concurrent edits can make one); the reader ignores one edge.',
})
export class DependencyCycleModel {
  @Field(() => [WorkloadModel], { description: 'Each depends on the next; the last on the first.' })
  workloads!: object[];
}

@ObjectType('WavePlan')
export class WavePlanModel {
  @Field(() => Int, { nullable: true, description: 'Most workloads per wave; null for no limit.' })
  capacity!: number | null;
  @Field(() => [WaveModel]) waves!: WaveModel[];
  @Field(() => [DependencyCycleModel]) cycles!: DependencyCycleModel[];
}

@ObjectType('ScheduleConflict', { description: 'A milestone that starts before one it depends on is due.' })
export class ScheduleConflictModel {
  @Field(() => MilestoneModel) milestone!: object;
  @Field(() => MilestoneModel) dependsOn!: object;
  @Field(() => Int, { description: 'Days of overlap.' }) days!: number;
}

@ObjectType('CriticalPath')
export class CriticalPathModel {
  @Field(() => [MilestoneModel], { description: 'The chain that decides when the plan ends, first to last.' })
  milestones!: object[];
  @Field(() => String, { nullable: true, description: 'When the last of them is due, YYYY-MM-DD.' })
  finish!: string | null;
  @Field(() => [ScheduleConflictModel]) conflicts!: ScheduleConflictModel[];
}

@ObjectType('SlipImpact', { description: 'A milestone that would move, and by how many days, with its new dates.' })
export class SlipImpactModel {
  @Field(() => MilestoneModel) milestone!: object;
  @Field(() => Int) days!: number;
  @Field(() => String, { nullable: true }) startDate!: string | null;
  @Field(() => String, { nullable: true }) dueDate!: string | null;
}

@ObjectType('WorkloadEligibilityWarning', { description: 'A workload its target offer may not host as it is.' })
export class WorkloadEligibilityModel {
  @Field(() => WorkloadModel) workload!: object;
  @Field(() => String, {
    description:
      'UNKNOWN_TARGET, TARGET_DISCONTINUED, NOT_QUALIFIED, NOT_QUALIFIED_BY_CUTOVER, QUALIFICATION_PENDING or HDS_MISSING.',
  })
  code!: string;
  @Field(() => String) message!: string;
}
