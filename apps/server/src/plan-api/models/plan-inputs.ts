import { Field, ID, InputType, Int, PartialType, registerEnumType } from '@nestjs/graphql';
import {
  CheckpointStatusEnum,
  CriticalityEnum,
  DataSensitivityEnum,
  MilestoneKindEnum,
  MilestoneStatusEnum,
  PlanStatusEnum,
  RagEnum,
  RiskCategoryEnum,
  RiskStatusEnum,
  StrategyEnum,
} from './plan-content.models.js';
import { LanguageEnum } from '../../common/document-enum.js';
import { PlanRoleModel } from '../../plans/models/plan-role.models.js';

const date = { nullable: true, description: 'YYYY-MM-DD' } as const;

@InputType()
export class PlanFieldsInput {
  @Field(() => PlanStatusEnum, { nullable: true }) status?: string;
  @Field(() => String, { nullable: true }) sourcePlatform?: string | null;
  @Field(() => String, { nullable: true, description: 'A catalog offer id.' }) targetOfferId?: string | null;
  @Field(() => DataSensitivityEnum, { nullable: true }) dataSensitivity?: string;
  @Field(() => String, date) startDate?: string | null;
  @Field(() => String, { nullable: true, description: 'Planned cutover, YYYY-MM-DD.' }) targetDate?: string | null;
  @Field(() => String, { nullable: true }) description?: string | null;
  @Field(() => LanguageEnum, {
    nullable: true,
    description: 'The language Bascule writes the plan in (automatic risks); by default the request’s Accept-Language.',
  })
  language?: string;
}

@InputType()
export class CreatePlanInput extends PlanFieldsInput {
  @Field(() => String) title!: string;
  @Field(() => PlanRoleModel, { nullable: true, defaultValue: PlanRoleModel.VIEWER })
  defaultMemberRole?: PlanRoleModel | null;
}

@InputType()
export class UpdatePlanInput extends PlanFieldsInput {
  @Field(() => String, { nullable: true }) title?: string;
}

@InputType()
export class CreatePlanFromTemplateInput {
  @Field(() => ID) templateId!: string;
  @Field(() => String) title!: string;
  @Field(() => String, { description: 'Day the plan starts, YYYY-MM-DD; the template dates count from it.' })
  startDate!: string;
  @Field(() => PlanRoleModel, { nullable: true, defaultValue: PlanRoleModel.VIEWER })
  defaultMemberRole?: PlanRoleModel | null;
  @Field(() => LanguageEnum, {
    nullable: true,
    description: 'The language of the template’s texts; by default the request’s Accept-Language.',
  })
  language?: string | null;
}

@InputType()
export class MilestoneInput {
  @Field(() => String) title!: string;
  @Field(() => MilestoneKindEnum, { nullable: true }) kind?: string;
  @Field(() => MilestoneStatusEnum, { nullable: true }) status?: string;
  @Field(() => String, { nullable: true }) owner?: string | null;
  @Field(() => ID, {
    nullable: true,
    description:
      'The member in charge (a user id of your organization); notified. Sets owner to their name unless owner is given.',
  })
  ownerId?: string | null;
  @Field(() => String, date) startDate?: string | null;
  @Field(() => String, date) dueDate?: string | null;
  @Field(() => String, date) completedOn?: string | null;
  @Field(() => [ID], { nullable: true }) dependsOn?: string[] | null;
}

@InputType()
export class MilestonePatch extends PartialType(MilestoneInput, InputType) {}

@InputType()
export class RiskInput {
  @Field(() => String) title!: string;
  @Field(() => RiskCategoryEnum, { nullable: true }) category?: string;
  @Field(() => Int, { nullable: true, description: '1 to 5' }) likelihood?: number;
  @Field(() => Int, { nullable: true, description: '1 to 5' }) impact?: number;
  @Field(() => RiskStatusEnum, { nullable: true }) status?: string;
  @Field(() => String, { nullable: true }) owner?: string | null;
  @Field(() => ID, {
    nullable: true,
    description:
      'The member in charge (a user id of your organization); notified. Sets owner to their name unless owner is given.',
  })
  ownerId?: string | null;
  @Field(() => String, { nullable: true }) mitigation?: string | null;
}

@InputType()
export class RiskPatch extends PartialType(RiskInput, InputType) {}

@InputType()
export class CheckpointInput {
  @Field(() => String) title!: string;
  @Field(() => String, { description: 'A catalog framework id, e.g. SECNUMCLOUD_3_2.' }) framework!: string;
  @Field(() => String, { nullable: true }) requirement?: string | null;
  @Field(() => CheckpointStatusEnum, { nullable: true }) status?: string;
  @Field(() => ID, { nullable: true, description: 'The member in charge (a user id of your organization); notified.' })
  ownerId?: string | null;
  @Field(() => [String], { nullable: true, description: 'http(s) links.' }) evidence?: string[] | null;
  @Field(() => [ID], { nullable: true, description: 'Milestones of this plan it gates.' })
  milestoneIds?: string[] | null;
  @Field(() => String, { nullable: true }) justification?: string | null;
}

@InputType()
export class CheckpointPatch extends PartialType(CheckpointInput, InputType) {}

@InputType()
export class WorkloadInput {
  @Field(() => String) name!: string;
  @Field(() => CriticalityEnum, { nullable: true }) criticality?: string;
  @Field(() => DataSensitivityEnum, { nullable: true }) dataClassification?: string;
  @Field(() => StrategyEnum, { nullable: true }) strategy?: string;
  @Field(() => String, { nullable: true }) targetOfferId?: string | null;
  @Field(() => String, { nullable: true }) owner?: string | null;
  @Field(() => Int, { nullable: true }) wave?: number | null;
  @Field(() => [ID], { nullable: true }) dependsOn?: string[] | null;
}

@InputType()
export class WorkloadPatch extends PartialType(WorkloadInput, InputType) {}

export enum PlanOrderField {
  CREATED = 'CREATED',
  TITLE = 'TITLE',
  TARGET_DATE = 'TARGET_DATE',
  PROGRESS = 'PROGRESS',
  RISK_EXPOSURE = 'RISK_EXPOSURE',
  SLIPPAGE = 'SLIPPAGE',
}
registerEnumType(PlanOrderField, { name: 'PlanOrderField' });

export enum OrderDirection {
  ASC = 'ASC',
  DESC = 'DESC',
}
registerEnumType(OrderDirection, { name: 'OrderDirection' });

@InputType()
export class PlanOrder {
  @Field(() => PlanOrderField) field!: PlanOrderField;
  @Field(() => OrderDirection, { defaultValue: OrderDirection.ASC }) direction!: OrderDirection;
}

@InputType()
export class PlanFilter {
  @Field(() => [PlanStatusEnum], { nullable: true }) status?: string[];
  @Field(() => [String], { nullable: true }) targetOfferId?: string[];
  @Field(() => [RagEnum], { nullable: true }) rag?: string[];
  @Field(() => ID, { nullable: true, description: 'Plans this user owns.' }) ownerId?: string;
  @Field(() => String, { nullable: true, description: 'Words in the title, source, description or notes.' })
  text?: string;
}

@InputType()
export class MilestoneFilter {
  @Field(() => [MilestoneStatusEnum], { nullable: true }) status?: string[];
  @Field(() => [MilestoneKindEnum], { nullable: true }) kind?: string[];
  @Field(() => Boolean, { nullable: true }) overdue?: boolean;
  @Field(() => String, { nullable: true }) text?: string;
}

@InputType()
export class RiskFilter {
  @Field(() => [RiskStatusEnum], { nullable: true }) status?: string[];
  @Field(() => [RiskCategoryEnum], { nullable: true }) category?: string[];
  @Field(() => Int, { nullable: true }) minScore?: number;
  @Field(() => Int, { nullable: true, description: 'One cell of the heat map, with impact.' }) likelihood?: number;
  @Field(() => Int, { nullable: true }) impact?: number;
  @Field(() => String, { nullable: true }) text?: string;
}

@InputType()
export class CheckpointFilter {
  @Field(() => [String], { nullable: true }) framework?: string[];
  @Field(() => [CheckpointStatusEnum], { nullable: true }) status?: string[];
  @Field(() => ID, { nullable: true, description: 'Checkpoints that gate this milestone.' }) milestoneId?: string;
  @Field(() => String, { nullable: true }) text?: string;
}

@InputType()
export class WorkloadFilter {
  @Field(() => [StrategyEnum], { nullable: true }) strategy?: string[];
  @Field(() => [CriticalityEnum], { nullable: true }) criticality?: string[];
  @Field(() => Int, { nullable: true }) wave?: number;
  @Field(() => String, { nullable: true }) text?: string;
}
