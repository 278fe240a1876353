import { Args, Context, ID, Int, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import { PLAN_TEMPLATES } from '@bascule/plan-model';
import type { AuthContext } from '../access/auth-context.js';
import { CurrentAuth } from '../access/current-auth.decorator.js';
import { Allow } from '../access/permissions.js';
import { TargetOfferModel } from '../catalog/models/catalog.models.js';
import { toOffer } from '../catalog/models/catalog.mappers.js';
import { pageOf } from '../common/page.args.js';
import { PlanLoaders, heatMapOf } from './plan-loaders.js';
import { PlanReadService, type RowOf } from './plan-read.service.js';
import { PortfolioService } from './portfolio.service.js';
import {
  CheckpointConnection,
  type Connection,
  connectionOf,
  MilestoneConnection,
  MilestoneModel,
  PlanTemplateModel,
  RiskConnection,
  WorkloadConnection,
} from './models/plan-content.models.js';
import {
  CheckpointFilter,
  MilestoneFilter,
  OrderDirection,
  PlanFilter,
  PlanOrder,
  PlanOrderField,
  RiskFilter,
  WorkloadFilter,
} from './models/plan-inputs.js';
import { pageOfRows, type PlanResult, toPlanModel } from './models/plan.mappers.js';
import { PlanModel, PortfolioModel } from './models/plan.models.js';

export const PlanConnection = connectionOf(PlanModel, 'Plan');

const matches = (text: string | undefined, ...fields: (string | null)[]) =>
  text === undefined ||
  text.trim() === '' ||
  fields.some((field) => field?.toLowerCase().includes(text.trim().toLowerCase()));
const within = <T>(allowed: readonly T[] | undefined, value: T) =>
  allowed === undefined || allowed.length === 0 || allowed.includes(value);

/** Plans as the read model holds them: lists, one plan with its entities, the portfolio, templates. */
@Resolver(() => PlanModel)
export class PlanQueriesResolver {
  constructor(
    private readonly reads: PlanReadService,
    private readonly loaders: PlanLoaders,
    private readonly portfolios: PortfolioService,
  ) {}

  @Allow('plans.read')
  @Query(() => PlanConnection, { description: 'Plans of the current organization you may see.' })
  async plans(
    @CurrentAuth() auth: AuthContext,
    @Args('filter', { type: () => PlanFilter, nullable: true }) filter: PlanFilter | null,
    @Args('orderBy', { type: () => PlanOrder, nullable: true }) orderBy: PlanOrder | null,
    @Args('first', { type: () => Int, nullable: true, description: 'At most 500; 100 when omitted.' })
    first: number | null,
    @Args('after', { type: () => String, nullable: true }) after: string | null,
  ): Promise<Connection<PlanResult>> {
    const order = orderBy ?? { field: PlanOrderField.CREATED, direction: OrderDirection.DESC };
    const page = await this.reads.list(auth, filter ?? {}, order, {
      first: pageOf({ first: first ?? undefined }).first,
      after: after ?? null,
    });
    return {
      edges: page.views.map((view, index) => ({ cursor: page.cursors[index] ?? '', node: toPlanModel(view) })),
      pageInfo: { hasNextPage: page.hasNextPage, endCursor: page.cursors.at(-1) ?? null },
      totalCount: page.totalCount,
    };
  }

  @Allow('plans.read')
  @Query(() => PlanModel, { description: 'One plan you may see.' })
  async plan(@CurrentAuth() auth: AuthContext, @Args('id', { type: () => ID }) id: string): Promise<PlanResult> {
    return toPlanModel(await this.reads.one(auth, id));
  }

  @Allow('plans.read')
  @Query(() => PortfolioModel, { description: 'Every plan you may see, summed up for managers.' })
  portfolio(@CurrentAuth() auth: AuthContext): Promise<PortfolioModel> {
    return this.portfolios.of(auth);
  }

  @Allow('plans.read')
  @Query(() => [PlanTemplateModel], { description: 'Templates a plan can start from (createPlanFromTemplate).' })
  templates(): PlanTemplateModel[] {
    return PLAN_TEMPLATES.map((template) => ({
      id: template.id,
      name: template.name,
      description: template.description,
      sourcePlatform: template.sourcePlatform,
      targetOfferId: template.targetOfferId,
      dataSensitivity: template.dataSensitivity,
      warning: template.warning,
      milestoneCount: template.milestones.length,
      riskCount: template.risks.length,
      checkpointCount: template.checkpoints.length,
    }));
  }

  @ResolveField(() => TargetOfferModel, { nullable: true, description: 'The catalog entry of targetOfferId.' })
  async targetOffer(@Parent() plan: PlanResult, @Context() context: object): Promise<TargetOfferModel | null> {
    if (plan.targetOfferId === null) return null;
    const offer = await this.loaders.for(context).offer(plan.organizationId, plan.targetOfferId);
    return offer === null ? null : toOffer(offer);
  }

  @ResolveField(() => MilestoneModel, { nullable: true, description: 'The first open milestone by due date.' })
  async nextMilestone(@Parent() plan: PlanResult, @Context() context: object): Promise<RowOf['milestones'] | null> {
    if (plan.nextMilestoneId === null) return null;
    return this.loaders.for(context).milestone.load({ planId: plan.id, id: plan.nextMilestoneId });
  }

  @ResolveField(() => [[Int]], {
    description: 'Risks not closed, counted by cell: heatMap[likelihood - 1][impact - 1].',
  })
  async heatMap(@Parent() plan: PlanResult, @Context() context: object): Promise<number[][]> {
    return heatMapOf(await this.loaders.for(context).rows.risks.load(plan.id));
  }

  @ResolveField(() => MilestoneConnection)
  async milestones(
    @Parent() plan: PlanResult,
    @Context() context: object,
    @Args('filter', { type: () => MilestoneFilter, nullable: true }) filter: MilestoneFilter | null,
    @Args('first', { type: () => Int, nullable: true }) first: number | null,
    @Args('after', { type: () => String, nullable: true }) after: string | null,
  ): Promise<Connection<RowOf['milestones']>> {
    const f = filter ?? {};
    const rows = (await this.loaders.for(context).rows.milestones.load(plan.id)).filter(
      (row) =>
        within(f.status, row.status) &&
        within(f.kind, row.kind) &&
        (f.overdue === undefined || f.overdue === row.overdue) &&
        matches(f.text, row.title, row.owner),
    );
    return pageOfRows(rows, pageOf({ first: first ?? undefined }).first, after);
  }

  @ResolveField(() => RiskConnection)
  async risks(
    @Parent() plan: PlanResult,
    @Context() context: object,
    @Args('filter', { type: () => RiskFilter, nullable: true }) filter: RiskFilter | null,
    @Args('first', { type: () => Int, nullable: true }) first: number | null,
    @Args('after', { type: () => String, nullable: true }) after: string | null,
  ): Promise<Connection<RowOf['risks']>> {
    const f = filter ?? {};
    const rows = (await this.loaders.for(context).rows.risks.load(plan.id)).filter(
      (row) =>
        within(f.status, row.status) &&
        within(f.category, row.category) &&
        (f.minScore === undefined || row.score >= f.minScore) &&
        (f.likelihood === undefined || row.likelihood === f.likelihood) &&
        (f.impact === undefined || row.impact === f.impact) &&
        matches(f.text, row.title, row.owner, row.mitigation),
    );
    return pageOfRows(rows, pageOf({ first: first ?? undefined }).first, after);
  }

  @ResolveField(() => CheckpointConnection)
  async checkpoints(
    @Parent() plan: PlanResult,
    @Context() context: object,
    @Args('filter', { type: () => CheckpointFilter, nullable: true }) filter: CheckpointFilter | null,
    @Args('first', { type: () => Int, nullable: true }) first: number | null,
    @Args('after', { type: () => String, nullable: true }) after: string | null,
  ): Promise<Connection<RowOf['checkpoints']>> {
    const f = filter ?? {};
    const rows = (await this.loaders.for(context).rows.checkpoints.load(plan.id)).filter(
      (row) =>
        within(f.framework, row.framework) &&
        within(f.status, row.status) &&
        (f.milestoneId === undefined || row.milestoneIds.includes(f.milestoneId)) &&
        matches(f.text, row.title, row.requirement),
    );
    return pageOfRows(rows, pageOf({ first: first ?? undefined }).first, after);
  }

  @ResolveField(() => WorkloadConnection)
  async workloads(
    @Parent() plan: PlanResult,
    @Context() context: object,
    @Args('filter', { type: () => WorkloadFilter, nullable: true }) filter: WorkloadFilter | null,
    @Args('first', { type: () => Int, nullable: true }) first: number | null,
    @Args('after', { type: () => String, nullable: true }) after: string | null,
  ): Promise<Connection<RowOf['workloads']>> {
    const f = filter ?? {};
    const rows = (await this.loaders.for(context).rows.workloads.load(plan.id)).filter(
      (row) =>
        within(f.strategy, row.strategy) &&
        within(f.criticality, row.criticality) &&
        (f.wave === undefined || row.wave === f.wave) &&
        matches(f.text, row.name, row.owner),
    );
    return pageOfRows(rows, pageOf({ first: first ?? undefined }).first, after);
  }
}
