import { Field, ObjectType, Query, Resolver } from '@nestjs/graphql';
import type { AuthContext } from '../access/auth-context.js';
import { CurrentAuth } from '../access/current-auth.decorator.js';
import { Allow } from '../access/permissions.js';
import { CheckpointModel, MilestoneModel, RiskModel } from './models/plan-content.models.js';
import { toPlanModel } from './models/plan.mappers.js';
import { PlanModel } from './models/plan.models.js';
import { AssignmentsService, MAX_ASSIGNMENTS } from './assignments.service.js';

@ObjectType('Assignment', {
  description: 'Something open you own in a plan: one of milestone, risk or checkpoint is set.',
})
export class AssignmentModel {
  @Field(() => PlanModel) plan!: PlanModel;
  @Field(() => MilestoneModel, { nullable: true }) milestone!: MilestoneModel | null;
  @Field(() => RiskModel, { nullable: true }) risk!: RiskModel | null;
  @Field(() => CheckpointModel, { nullable: true }) checkpoint!: CheckpointModel | null;
}

/** "Mine": what the caller owns across the plans they may see, open only. */
@Resolver()
export class AssignmentsResolver {
  constructor(private readonly assignments: AssignmentsService) {}

  @Allow('plans.read')
  @Query(() => [AssignmentModel], {
    description: `What you own and is not finished, in the plans you may see: milestones not done (by due date), risks not closed (highest score first), checkpoints not passed or waived; at most ${MAX_ASSIGNMENTS} of each.`,
  })
  async assignedToMe(@CurrentAuth() auth: AuthContext): Promise<AssignmentModel[]> {
    const none = { milestone: null, risk: null, checkpoint: null };
    return (await this.assignments.of(auth)).map(({ plan, ...entry }) => ({
      ...none,
      plan: toPlanModel(plan),
      ...entry,
    }));
  }
}
