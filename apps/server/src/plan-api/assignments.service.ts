import { Injectable } from '@nestjs/common';
import { CLEARED_STATUSES } from '@bascule/plan-model';
import { DataSource, In, Not } from 'typeorm';
import type { AuthContext } from '../access/auth-context.js';
import { CheckpointRow, MilestoneRow, RiskRow } from '../projection/entities.js';
import { PlanReadService, type PlanView } from './plan-read.service.js';

/** At most this many of each kind. */
export const MAX_ASSIGNMENTS = 200;

/** One open thing a person owns, with its plan: one of milestone, risk or checkpoint. */
export type Assignment = { readonly plan: PlanView } & (
  { readonly milestone: MilestoneRow } | { readonly risk: RiskRow } | { readonly checkpoint: CheckpointRow }
);

/** What people own across the plans they may see, from the read model. */
@Injectable()
export class AssignmentsService {
  constructor(
    private readonly reads: PlanReadService,
    private readonly dataSource: DataSource,
  ) {}

  /** The caller's: milestones not done (by due date), risks not closed (by score), checkpoints not passed or waived. */
  async of(auth: AuthContext): Promise<Assignment[]> {
    const planIds = await this.reads.visibleIds(auth);
    if (planIds.length === 0) return [];
    const mine = { planId: In(planIds), ownerId: auth.userId };
    const [milestones, risks, checkpoints] = await Promise.all([
      this.dataSource
        .getRepository(MilestoneRow)
        .find({ where: { ...mine, status: Not('DONE') }, order: { dueDate: 'ASC' }, take: MAX_ASSIGNMENTS }),
      this.dataSource
        .getRepository(RiskRow)
        .find({ where: { ...mine, status: Not('CLOSED') }, order: { score: 'DESC' }, take: MAX_ASSIGNMENTS }),
      this.dataSource
        .getRepository(CheckpointRow)
        .find({ where: { ...mine, status: Not(In([...CLEARED_STATUSES])) }, take: MAX_ASSIGNMENTS }),
    ]);
    const views = await this.reads.viewsById(
      auth,
      [...milestones, ...risks, ...checkpoints].map((row) => row.planId),
    );
    const withPlan = <E extends object>(planId: string, entry: E): (E & { plan: PlanView })[] => {
      const plan = views.get(planId);
      return plan === undefined ? [] : [{ ...entry, plan }];
    };
    return [
      ...milestones.flatMap((milestone) => withPlan(milestone.planId, { milestone })),
      ...risks.flatMap((risk) => withPlan(risk.planId, { risk })),
      ...checkpoints.flatMap((checkpoint) => withPlan(checkpoint.planId, { checkpoint })),
    ];
  }
}
