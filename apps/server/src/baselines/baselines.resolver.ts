import { Args, ID, Mutation, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import type { FieldDifference, PlanDifference } from '@bascule/plan-model';
import type { AuthContext } from '../access/auth-context.js';
import { CurrentAuth } from '../access/current-auth.decorator.js';
import { Allow } from '../access/permissions.js';
import { AppError } from '../common/errors.js';
import { PlanEditService } from '../plan-api/plan-edit.service.js';
import { PlanReadService } from '../plan-api/plan-read.service.js';
import { type PlanResult, toPlanModel } from '../plan-api/models/plan.mappers.js';
import { PlanModel } from '../plan-api/models/plan.models.js';
import { canWrite, PlansService } from '../plans/plans.service.js';
import type { BaselineEntity } from './baseline.entity.js';
import { BaselinesService } from './baselines.service.js';
import { BaselineModel, PlanDifferenceModel } from './models/baseline.models.js';

const toBaseline = (baseline: BaselineEntity): BaselineModel => ({
  id: baseline.id,
  name: baseline.name,
  reason: baseline.reason,
  milestoneId: baseline.milestoneId,
  createdAt: baseline.createdAt,
  createdBy: { kind: baseline.createdByKind, id: baseline.createdById, name: baseline.createdByName },
});

const asJson = (value: unknown) => (value === undefined ? null : JSON.stringify(value));
const fieldsOf = (fields: readonly FieldDifference[]) =>
  fields.map((field) => ({ field: field.field, before: asJson(field.before), after: asJson(field.after) }));

function toDifference(difference: PlanDifference): PlanDifferenceModel {
  const collection = (name: 'milestones' | 'risks' | 'checkpoints' | 'workloads') => {
    const entries = difference[name];
    const entry = (item: (typeof entries.added)[number]) => ({ ...item, fields: fieldsOf(item.fields) });
    return {
      added: entries.added.map(entry),
      removed: entries.removed.map(entry),
      changed: entries.changed.map(entry),
    };
  };
  return {
    meta: fieldsOf(difference.meta),
    milestones: collection('milestones'),
    risks: collection('risks'),
    checkpoints: collection('checkpoints'),
    workloads: collection('workloads'),
  } as PlanDifferenceModel;
}

/** Baselines: save, list, compare and restore named versions of a plan. */
@Resolver(() => PlanModel)
export class BaselinesResolver {
  constructor(
    private readonly versions: BaselinesService,
    private readonly plans: PlansService,
    private readonly edits: PlanEditService,
    private readonly reads: PlanReadService,
  ) {}

  @ResolveField(() => [BaselineModel], { description: 'Named versions of the plan, newest first (500 at most).' })
  async baselines(@Parent() plan: PlanResult): Promise<BaselineModel[]> {
    return (await this.versions.list(plan.id)).map(toBaseline);
  }

  @Allow('plans.read')
  @Query(() => PlanDifferenceModel, {
    description: 'What changed from baseline `fromId` to baseline `toId`, or to the plan as it is now without toId.',
  })
  async compareBaselines(
    @CurrentAuth() auth: AuthContext,
    @Args('planId', { type: () => ID }) planId: string,
    @Args('fromId', { type: () => ID }) fromId: string,
    @Args('toId', { type: () => ID, nullable: true }) toId: string | null,
  ): Promise<PlanDifferenceModel> {
    await this.plans.require(auth, planId, 'VIEWER');
    return toDifference(await this.versions.compare(planId, fromId, toId ?? null));
  }

  @Allow('plans.write')
  @Mutation(() => BaselineModel, { description: "Saves the plan's current content as a named baseline." })
  async createBaseline(
    @CurrentAuth() auth: AuthContext,
    @Args('planId', { type: () => ID }) planId: string,
    @Args('name', { type: () => String }) name: string,
  ): Promise<BaselineModel> {
    const { role } = await this.plans.require(auth, planId, 'VIEWER');
    if (!canWrite(role)) throw new AppError('FORBIDDEN', 'You may read this plan but not change it.');
    return toBaseline(await this.versions.create(planId, await this.edits.authorOf(auth, role), name));
  }

  @Allow('plans.write')
  @Mutation(() => PlanModel, {
    description:
      'Brings the plan back to a baseline, as one change by you on top (plan owners). The content before is saved first as a BEFORE_RESTORE baseline.',
  })
  async restoreBaseline(
    @CurrentAuth() auth: AuthContext,
    @Args('planId', { type: () => ID }) planId: string,
    @Args('baselineId', { type: () => ID }) baselineId: string,
  ): Promise<PlanResult> {
    const { role } = await this.plans.require(auth, planId, 'OWNER');
    const baseline = await this.versions.get(planId, baselineId);
    await this.versions.create(
      planId,
      await this.edits.authorOf(auth, role),
      `Before restoring “${baseline.name}”`.slice(0, 200),
      'BEFORE_RESTORE',
    );
    await this.edits.restore(auth, planId, this.versions.contentOf(baseline));
    return toPlanModel(await this.reads.one(auth, planId));
  }
}
