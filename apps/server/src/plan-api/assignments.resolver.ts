import { Field, ObjectType, Query, Resolver } from '@nestjs/graphql';
import { isCleared } from '@bascule/plan-model';
import { DataSource, In, Not } from 'typeorm';
import type { AuthContext } from '../access/auth-context.js';
import { CurrentAuth } from '../access/current-auth.decorator.js';
import { Allow } from '../access/permissions.js';
import { CheckpointRow, MilestoneRow, RiskRow } from '../projection/entities.js';
import { CheckpointModel, MilestoneModel, RiskModel } from './models/plan-content.models.js';
import { toPlanModel } from './models/plan.mappers.js';
import { PlanModel } from './models/plan.models.js';
import { PlanReadService } from './plan-read.service.js';

@ObjectType('Assignment', {
  description: 'Something open you own in a plan: one of milestone, risk or checkpoint is set.',
})
export class AssignmentModel {
  @Field(() => PlanModel) plan!: PlanModel;
  @Field(() => MilestoneModel, { nullable: true }) milestone!: MilestoneModel | null;
  @Field(() => RiskModel, { nullable: true }) risk!: RiskModel | null;
  @Field(() => CheckpointModel, { nullable: true }) checkpoint!: CheckpointModel | null;
}

/** At most this many of each kind. */
const MAX_EACH = 200;

/** "Mine": what the caller owns across the plans they may see, open only. */
@Resolver()
export class AssignmentsResolver {
  constructor(
    private readonly reads: PlanReadService,
    private readonly dataSource: DataSource,
  ) {}

  @Allow('plans.read')
  @Query(() => [AssignmentModel], {
    description: `What you own and is not finished, in the plans you may see: milestones not done (by due date), risks not closed (highest score first), checkpoints not passed or waived; at most ${MAX_EACH} of each.`,
  })
  async assignedToMe(@CurrentAuth() auth: AuthContext): Promise<AssignmentModel[]> {
    const planIds = await this.reads.visibleIds(auth);
    if (planIds.length === 0) return [];
    const mine = { planId: In(planIds), ownerId: auth.userId };
    const [milestones, risks, checkpoints] = await Promise.all([
      this.dataSource
        .getRepository(MilestoneRow)
        .find({ where: { ...mine, status: Not('DONE') }, order: { dueDate: 'ASC' }, take: MAX_EACH }),
      this.dataSource
        .getRepository(RiskRow)
        .find({ where: { ...mine, status: Not('CLOSED') }, order: { score: 'DESC' }, take: MAX_EACH }),
      this.dataSource.getRepository(CheckpointRow).find({ where: mine, take: MAX_EACH * 2 }),
    ]);
    const open = checkpoints.filter((row) => !isCleared(row.status)).slice(0, MAX_EACH);
    const views = await this.reads.viewsById(
      auth,
      [...milestones, ...risks, ...open].map((row) => row.planId),
    );
    const none = { milestone: null, risk: null, checkpoint: null };
    const assignment = (planId: string, entry: Partial<AssignmentModel>): AssignmentModel[] => {
      const view = views.get(planId);
      return view === undefined ? [] : [{ ...none, plan: toPlanModel(view), ...entry }];
    };
    return [
      ...milestones.flatMap((milestone) => assignment(milestone.planId, { milestone })),
      ...risks.flatMap((risk) => assignment(risk.planId, { risk })),
      ...open.flatMap((checkpoint) => assignment(checkpoint.planId, { checkpoint })),
    ];
  }
}
