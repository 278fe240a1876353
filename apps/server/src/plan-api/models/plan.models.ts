import { Field, Float, ID, Int, ObjectType } from '@nestjs/graphql';
import {
  DataSensitivityEnum,
  EligibilityWarningModel,
  FrameworkReadinessModel,
  MilestoneModel,
  PlanStatusEnum,
  RagEnum,
  RiskModel,
  ValidationIssueModel,
} from './plan-content.models.js';
import { PlanRoleModel } from '../../plans/models/plan-role.models.js';

@ObjectType('Plan', { description: 'A migration plan. Its content is co-edited live at /collab/<id>.' })
export class PlanModel {
  @Field(() => ID) id!: string;
  @Field(() => String) title!: string;
  @Field(() => Date) createdAt!: Date;
  @Field(() => PlanRoleModel, {
    nullable: true,
    description: 'Role every member of the organization has; null: shared explicitly only.',
  })
  defaultMemberRole!: PlanRoleModel | null;
  @Field(() => PlanRoleModel, { description: 'Your role on this plan.' }) viewerRole!: PlanRoleModel;

  // Projected from the plan's document after each change (read model).
  @Field(() => PlanStatusEnum) status!: string;
  @Field(() => String, { nullable: true }) sourcePlatform!: string | null;
  @Field(() => String, { nullable: true, description: 'A catalog offer id; see targetOffer.' })
  targetOfferId!: string | null;
  @Field(() => DataSensitivityEnum) dataSensitivity!: string;
  @Field(() => String, { nullable: true, description: 'YYYY-MM-DD' }) startDate!: string | null;
  @Field(() => String, { nullable: true, description: 'Planned cutover, YYYY-MM-DD.' }) targetDate!: string | null;
  @Field(() => String) description!: string;
  @Field(() => Float, { description: 'Share of milestones done, 0 to 1.' }) progress!: number;
  @Field(() => RagEnum) rag!: string;
  @Field(() => [String], { description: 'Why the plan has its RAG status, most serious first.' })
  ragReasons!: string[];
  @Field(() => Int, { description: 'The most any milestone is late, in days.' }) slippageDays!: number;
  @Field(() => Int) milestoneCount!: number;
  @Field(() => Int) overdueCount!: number;
  @Field(() => Int, { description: 'Risks not closed.' }) riskCount!: number;
  @Field(() => Int, { description: 'Sum of the scores of risks not closed.' }) riskExposure!: number;
  @Field(() => Int) maxRiskScore!: number;
  @Field(() => Int) checkpointCount!: number;
  @Field(() => Float, { nullable: true, description: 'Checkpoints passed or waived, 0 to 1; null without any.' })
  readiness!: number | null;
  @Field(() => [FrameworkReadinessModel]) readinessByFramework!: FrameworkReadinessModel[];
  @Field(() => [EligibilityWarningModel], { description: "The plan's data against its target offer." })
  eligibility!: EligibilityWarningModel[];
  @Field(() => [ValidationIssueModel]) validationIssues!: ValidationIssueModel[];
  @Field(() => Int) schemaVersion!: number;
  @Field(() => Date, { description: 'When the read model was last written from the document.' })
  projectedAt!: Date;
}

@ObjectType('StatusCount')
export class StatusCountModel {
  @Field(() => PlanStatusEnum) status!: string;
  @Field(() => Int) count!: number;
}

@ObjectType('RagCount')
export class RagCountModel {
  @Field(() => RagEnum) rag!: string;
  @Field(() => Int) count!: number;
}

@ObjectType('PortfolioMilestone')
export class PortfolioMilestoneModel {
  @Field(() => PlanModel) plan!: PlanModel;
  @Field(() => MilestoneModel) milestone!: MilestoneModel;
}

@ObjectType('PortfolioRisk')
export class PortfolioRiskModel {
  @Field(() => PlanModel) plan!: PlanModel;
  @Field(() => RiskModel) risk!: RiskModel;
}

@ObjectType('Portfolio', { description: 'Every plan you may see, at a glance.' })
export class PortfolioModel {
  @Field(() => Int) planCount!: number;
  @Field(() => [StatusCountModel]) byStatus!: StatusCountModel[];
  @Field(() => [RagCountModel]) byRag!: RagCountModel[];
  @Field(() => Float, { description: 'Mean progress of active plans, 0 to 1.' }) averageProgress!: number;
  @Field(() => Int) riskExposure!: number;
  @Field(() => Int) overdueMilestoneCount!: number;
  @Field(() => [PortfolioMilestoneModel], { description: 'Overdue milestones, most late first (at most 20).' })
  overdueMilestones!: PortfolioMilestoneModel[];
  @Field(() => [PortfolioRiskModel], { description: 'Open risks with the highest scores (at most 10).' })
  topRisks!: PortfolioRiskModel[];
  @Field(() => [FrameworkReadinessModel], { description: 'Checkpoints of every plan, per framework.' })
  readinessByFramework!: FrameworkReadinessModel[];
  @Field(() => [MonthMilestonesModel], {
    description: 'Milestones with a due date, per month of that date, oldest first: done, open and overdue.',
  })
  milestonesByMonth!: MonthMilestonesModel[];
}

@ObjectType('MonthMilestones')
export class MonthMilestonesModel {
  @Field(() => String, { description: 'YYYY-MM' }) month!: string;
  @Field(() => Int, { description: 'Done (whenever they were completed).' }) done!: number;
  @Field(() => Int, { description: 'Not done and not yet due.' }) open!: number;
  @Field(() => Int, { description: 'Not done and past their due date.' }) overdue!: number;
}
