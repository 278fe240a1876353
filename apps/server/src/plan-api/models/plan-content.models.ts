import { Field, Float, ID, Int, ObjectType } from '@nestjs/graphql';
import {
  CHECKPOINT_STATUSES,
  CRITICALITIES,
  DATA_SENSITIVITIES,
  MILESTONE_KINDS,
  MILESTONE_STATUSES,
  PLAN_STATUSES,
  RISK_CATEGORIES,
  RISK_STATUSES,
  STRATEGIES,
} from '@bascule/plan-model';
import type { Type } from '@nestjs/common';
import { documentEnum } from '../../common/document-enum.js';

export const PlanStatusEnum = documentEnum(PLAN_STATUSES, 'PlanStatus', 'Where the plan stands as a whole.');
export const DataSensitivityEnum = documentEnum(
  DATA_SENSITIVITIES,
  'DataSensitivity',
  'SENSITIVE and HEALTH data need a SecNumCloud-qualified target; HEALTH also needs HDS.',
);
export const MilestoneKindEnum = documentEnum(
  MILESTONE_KINDS,
  'MilestoneKind',
  'The step of a migration a milestone is.',
);
export const MilestoneStatusEnum = documentEnum(MILESTONE_STATUSES, 'MilestoneStatus', 'Progress of a milestone.');
export const RiskStatusEnum = documentEnum(RISK_STATUSES, 'RiskStatus', 'CLOSED risks no longer count in exposure.');
export const RiskCategoryEnum = documentEnum(RISK_CATEGORIES, 'RiskCategory', 'What kind of risk it is.');
export const CheckpointStatusEnum = documentEnum(
  CHECKPOINT_STATUSES,
  'CheckpointStatus',
  'PASSED and WAIVED count as ready.',
);
export const CriticalityEnum = documentEnum(
  CRITICALITIES,
  'Criticality',
  'How critical a workload is to the business.',
);
export const StrategyEnum = documentEnum(STRATEGIES, 'MigrationStrategy', 'The 6R strategy chosen for a workload.');
export const RagEnum = documentEnum(['GREEN', 'AMBER', 'RED'] as const, 'Rag', 'Red, amber or green status.');

@ObjectType('Milestone')
export class MilestoneModel {
  @Field(() => ID) id!: string;
  @Field(() => Int, { description: 'Display order in the plan, from 0.' }) position!: number;
  @Field(() => String) title!: string;
  @Field(() => MilestoneKindEnum) kind!: string;
  @Field(() => MilestoneStatusEnum) status!: string;
  @Field(() => String, { nullable: true }) owner!: string | null;
  @Field(() => ID, { nullable: true, description: 'The member in charge (a user id); owner is their name.' })
  ownerId!: string | null;
  @Field(() => String, { nullable: true, description: 'YYYY-MM-DD' }) startDate!: string | null;
  @Field(() => String, { nullable: true, description: 'YYYY-MM-DD' }) dueDate!: string | null;
  @Field(() => String, { nullable: true, description: 'YYYY-MM-DD' }) completedOn!: string | null;
  @Field(() => [ID], { description: 'Milestones that must be done first.' }) dependsOn!: string[];
  @Field(() => Int, { description: 'Days late (to today if open, to completion if done).' }) slipDays!: number;
  @Field(() => Boolean) overdue!: boolean;
}

@ObjectType('Risk')
export class RiskModel {
  @Field(() => ID) id!: string;
  @Field(() => Int) position!: number;
  @Field(() => String) title!: string;
  @Field(() => RiskCategoryEnum) category!: string;
  @Field(() => Int, { description: '1 to 5' }) likelihood!: number;
  @Field(() => Int, { description: '1 to 5' }) impact!: number;
  @Field(() => Int, { description: 'likelihood x impact, 1 to 25' }) score!: number;
  @Field(() => RiskStatusEnum) status!: string;
  @Field(() => String, { nullable: true }) owner!: string | null;
  @Field(() => ID, { nullable: true, description: 'The member in charge (a user id); owner is their name.' })
  ownerId!: string | null;
  @Field(() => String) mitigation!: string;
  @Field(() => String, {
    nullable: true,
    description: 'Set on risks Bascule raised itself (eligibility:<code>); null for risks people wrote.',
  })
  automatic!: string | null;
}

@ObjectType('Checkpoint')
export class CheckpointModel {
  @Field(() => ID) id!: string;
  @Field(() => Int) position!: number;
  @Field(() => String) title!: string;
  @Field(() => String, { description: 'A catalog framework id, e.g. SECNUMCLOUD_3_2.' }) framework!: string;
  @Field(() => String, { nullable: true, description: "The framework's requirement code, e.g. 19.2." })
  requirement!: string | null;
  @Field(() => CheckpointStatusEnum) status!: string;
  @Field(() => ID, { nullable: true, description: 'The member in charge (a user id).' }) ownerId!: string | null;
  @Field(() => [String], { description: 'Links to the evidence (http or https).' }) evidence!: string[];
  @Field(() => [ID], { description: 'Milestones this checkpoint gates.' }) milestoneIds!: string[];
  @Field(() => String, { nullable: true }) approvedBy!: string | null;
  @Field(() => String, { nullable: true }) approvedAt!: string | null;
  @Field(() => String) justification!: string;
}

@ObjectType('Workload')
export class WorkloadModel {
  @Field(() => ID) id!: string;
  @Field(() => Int) position!: number;
  @Field(() => String) name!: string;
  @Field(() => CriticalityEnum) criticality!: string;
  @Field(() => DataSensitivityEnum) dataClassification!: string;
  @Field(() => StrategyEnum) strategy!: string;
  @Field(() => String, { nullable: true }) targetOfferId!: string | null;
  @Field(() => String, { nullable: true }) owner!: string | null;
  @Field(() => Int, { nullable: true }) wave!: number | null;
  @Field(() => [ID]) dependsOn!: string[];
}

@ObjectType('PageInfo')
export class PageInfoModel {
  @Field(() => Boolean) hasNextPage!: boolean;
  @Field(() => String, { nullable: true }) endCursor!: string | null;
}

export interface Connection<T> {
  edges: { cursor: string; node: T }[];
  pageInfo: PageInfoModel;
  totalCount: number;
}

/** A Relay connection type for `node`. */
export function connectionOf<T>(node: Type<T>, name: string): Type<Connection<T>> {
  @ObjectType(`${name}Edge`)
  class Edge {
    @Field(() => String) cursor!: string;
    @Field(() => node) node!: T;
  }
  @ObjectType(`${name}Connection`)
  class ConnectionType {
    @Field(() => [Edge]) edges!: Edge[];
    @Field(() => PageInfoModel) pageInfo!: PageInfoModel;
    @Field(() => Int, { description: 'How many match the filter, over all pages.' }) totalCount!: number;
  }
  return ConnectionType;
}

@ObjectType('FrameworkReadiness')
export class FrameworkReadinessModel {
  @Field(() => String) framework!: string;
  @Field(() => Int) total!: number;
  @Field(() => Int) passed!: number;
  @Field(() => Int) waived!: number;
  @Field(() => Int) inReview!: number;
  @Field(() => Int) failed!: number;
  @Field(() => Int) todo!: number;
  @Field(() => Float, { description: '(passed + waived) / total, 0 to 1.' }) readiness!: number;
}

@ObjectType('EligibilityWarning')
export class EligibilityWarningModel {
  @Field(() => String, {
    description:
      'UNKNOWN_TARGET, TARGET_DISCONTINUED, NOT_QUALIFIED, NOT_QUALIFIED_BY_CUTOVER, QUALIFICATION_PENDING or HDS_MISSING.',
  })
  code!: string;
  @Field(() => String) message!: string;
}

@ObjectType('ValidationIssue', { description: 'Document content that does not follow the schema and was set aside.' })
export class ValidationIssueModel {
  @Field(() => String, { description: 'Where, e.g. milestones/<id>/dueDate.' }) path!: string;
  @Field(() => String) message!: string;
}

@ObjectType('PlanTemplate')
export class PlanTemplateModel {
  @Field(() => ID) id!: string;
  @Field(() => String) name!: string;
  @Field(() => String) description!: string;
  @Field(() => String) sourcePlatform!: string;
  @Field(() => String) targetOfferId!: string;
  @Field(() => DataSensitivityEnum) dataSensitivity!: string;
  @Field(() => String, { nullable: true, description: 'Read before using it (for example: the target offer ended).' })
  warning!: string | null;
  @Field(() => Int) milestoneCount!: number;
  @Field(() => Int) riskCount!: number;
  @Field(() => Int) checkpointCount!: number;
}
