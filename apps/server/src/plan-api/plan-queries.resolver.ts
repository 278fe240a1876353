import { Args, Context, ID, Info, Int, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import type { GraphQLResolveInfo } from 'graphql';
import {
  criticalPath,
  type DataSensitivity,
  inventoryEligibility,
  isIsoDate,
  type Language,
  localizeTemplate,
  PLAN_TEMPLATES,
  planWaves,
  previewSlip,
} from '@bascule/plan-model';
import { localizeOffer, offerFacts } from '../catalog/catalog.service.js';
import { AppError } from '../common/errors.js';
import { languageOfRequest, RequestLanguage } from '../access/request-language.decorator.js';
import { selectsField } from '../graphql/selection.js';
import type { GraphqlContext } from '../graphql/subscriptions.js';
import type { CatalogOfferEntity } from '../catalog/entities.js';
import type { AuthContext } from '../access/auth-context.js';
import { CurrentAuth } from '../access/current-auth.decorator.js';
import { Allow } from '../access/permissions.js';
import { TargetOfferModel } from '../catalog/models/catalog.models.js';
import { toOffer } from '../catalog/models/catalog.mappers.js';
import { pageOf } from '../common/page.args.js';
import { PlanLoaders, heatMapOf } from './plan-loaders.js';
import { PlanReadService, type RowOf } from './plan-read.service.js';
import { PortfolioService } from './portfolio.service.js';
import { type Connection, connectionOf, MilestoneModel, PlanTemplateModel } from './models/plan-content.models.js';
import { OrderDirection, PlanFilter, PlanOrder, PlanOrderField } from './models/plan-inputs.js';
import { type PlanResult, toPlanModel } from './models/plan.mappers.js';
import { PlanModel, PortfolioModel } from './models/plan.models.js';
import { PlanMemberModel, PlanRoleModel } from '../plans/models/plan-role.models.js';
import { toUser } from '../identity/models/mappers.js';
import {
  CriticalPathModel,
  SlipImpactModel,
  WavePlanModel,
  WorkloadEligibilityModel,
} from './models/scheduling.models.js';

export const PlanConnection = connectionOf(PlanModel, 'Plan');

/** Offers as GraphQL reads them, once per offer read and language (a list names the same few offers). */
const offerModels = new WeakMap<CatalogOfferEntity, Map<Language, TargetOfferModel>>();

function offerModel(offer: CatalogOfferEntity, language: Language): TargetOfferModel {
  const byLanguage = offerModels.get(offer) ?? new Map<Language, TargetOfferModel>();
  offerModels.set(offer, byLanguage);
  const known = byLanguage.get(language);
  if (known !== undefined) return known;
  const model = toOffer(localizeOffer(offer, language));
  byLanguage.set(language, model);
  return model;
}

/**
 * Plans as the read model holds them: lists, one plan with what is computed from its entries, the
 * portfolio, templates. The entries themselves are listed by PLAN_COLLECTION_RESOLVERS.
 */
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
    @Context() context: GraphqlContext,
    @Info() info: GraphQLResolveInfo,
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
    const nodes = page.views.map(toPlanModel);
    await this.loaders.for(context).readAhead(nodes, {
      offers: selectsField(info, 'targetOffer'),
      nextMilestones: selectsField(info, 'nextMilestone'),
    });
    return {
      edges: nodes.map((node, index) => ({ cursor: page.cursors[index] ?? '', node })),
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
  templates(@RequestLanguage() language: Language): PlanTemplateModel[] {
    return PLAN_TEMPLATES.map((template) => {
      const { milestones, risks, checkpoints, workloads: _workloads, ...texts } = localizeTemplate(template, language);
      return { ...texts, milestoneCount: milestones, riskCount: risks, checkpointCount: checkpoints };
    });
  }

  // The two fields below are read on every plan of a dashboard's list: they take no parameter
  // decorator, so that Nest binds them as plain GraphQL resolvers (no execution context per call), and
  // they answer at once when the list read their values ahead (plans).
  @ResolveField(() => TargetOfferModel, { nullable: true, description: 'The catalog entry of targetOfferId.' })
  targetOffer(
    plan: PlanResult,
    _args: unknown,
    context: GraphqlContext,
  ): TargetOfferModel | null | Promise<TargetOfferModel | null> {
    if (plan.targetOfferId === null) return null;
    const loaders = this.loaders.for(context);
    const model = (offer: CatalogOfferEntity | null) =>
      offer === null ? null : offerModel(offer, languageOfRequest(context.req));
    const known = loaders.knownOffer(plan.organizationId, plan.targetOfferId);
    return known !== undefined ? model(known) : loaders.offer(plan.organizationId, plan.targetOfferId).then(model);
  }

  @ResolveField(() => MilestoneModel, { nullable: true, description: 'The first open milestone by due date.' })
  nextMilestone(
    plan: PlanResult,
    _args: unknown,
    context: GraphqlContext,
  ): RowOf['milestones'] | null | Promise<RowOf['milestones'] | null> {
    if (plan.nextMilestoneId === null) return null;
    const loaders = this.loaders.for(context);
    const key = { organizationId: plan.organizationId, planId: plan.id, id: plan.nextMilestoneId };
    const known = loaders.knownMilestone(key);
    return known !== undefined ? known : loaders.milestone.load(key);
  }

  @ResolveField(() => WavePlanModel, {
    description: 'Migration waves from the workload dependencies (topological layers), and dependency cycles.',
  })
  async waves(
    @Parent() plan: PlanResult,
    @Context() context: object,
    @Args('capacity', { type: () => Int, nullable: true, description: 'Most workloads per wave.' })
    capacity: number | null,
  ): Promise<WavePlanModel> {
    if (
      capacity !== null &&
      capacity !== undefined &&
      (!Number.isInteger(capacity) || capacity < 1 || capacity > 10_000)
    )
      throw new AppError('BAD_USER_INPUT', 'capacity must be a whole number from 1 to 10000.', { field: 'capacity' });
    const rows = await this.loaders.for(context).rows.workloads.load(plan.id);
    const byId = new Map(rows.map((row) => [row.id, row]));
    const pick = (ids: readonly string[]) => ids.flatMap((id) => byId.get(id) ?? []);
    const waves = planWaves(
      rows.map((row) => ({ id: row.id, name: row.name, dependsOn: row.dependsOn })),
      { capacity: capacity ?? null, issues: plan.validationIssues },
    );
    return {
      capacity: waves.capacity,
      waves: waves.waves.map((wave) => ({ number: wave.number, workloads: pick(wave.workloadIds) })),
      cycles: waves.cycles.map((cycle) => ({ workloads: pick(cycle.members) })),
    };
  }

  @ResolveField(() => [WorkloadEligibilityModel], {
    description:
      "Eligibility across the inventory: each workload's data classification against its own target offer (or the plan's).",
  })
  async inventoryEligibility(
    @Parent() plan: PlanResult,
    @Context() context: object,
    @RequestLanguage() language: Language,
  ): Promise<WorkloadEligibilityModel[]> {
    const loaders = this.loaders.for(context);
    const rows = await loaders.rows.workloads.load(plan.id);
    const targets = new Set(rows.map((row) => row.targetOfferId ?? plan.targetOfferId).filter((id) => id !== null));
    const offers = new Map(
      await Promise.all([...targets].map(async (id) => [id, await loaders.offer(plan.organizationId, id)] as const)),
    );
    const byId = new Map(rows.map((row) => [row.id, row]));
    const warnings = inventoryEligibility(
      {
        meta: { targetOfferId: plan.targetOfferId, targetDate: plan.targetDate },
        workloads: rows.map((row) => ({ ...row, dataClassification: row.dataClassification as DataSensitivity })),
      },
      (id) => {
        const offer = offers.get(id);
        return offer === undefined || offer === null ? null : offerFacts(offer);
      },
      language,
    );
    return warnings.flatMap((warning) => {
      const workload = byId.get(warning.workloadId);
      return workload === undefined ? [] : [{ workload, code: warning.code, message: warning.message }];
    });
  }

  @ResolveField(() => CriticalPathModel, {
    description: 'The chain of milestones, through their dependencies and dates, that decides when the plan ends.',
  })
  async criticalPath(@Parent() plan: PlanResult, @Context() context: object): Promise<CriticalPathModel> {
    const rows = await this.loaders.for(context).rows.milestones.load(plan.id);
    const byId = new Map(rows.map((row) => [row.id, row]));
    const path = criticalPath(rows);
    return {
      milestones: path.milestoneIds.flatMap((id) => byId.get(id) ?? []),
      finish: path.finish,
      conflicts: path.conflicts.flatMap((conflict) => {
        const milestone = byId.get(conflict.milestoneId);
        const dependsOn = byId.get(conflict.dependsOnId);
        return milestone === undefined || dependsOn === undefined
          ? []
          : [{ milestone, dependsOn, days: conflict.days }];
      }),
    };
  }

  @ResolveField(() => [SlipImpactModel], {
    description:
      'What would move if this milestone were due on dueDate: it, then every milestone that depends on it and would start too early, by as many days as needed. Nothing is changed.',
  })
  async slipPreview(
    @Parent() plan: PlanResult,
    @Context() context: object,
    @Args('milestoneId', { type: () => ID }) milestoneId: string,
    @Args('dueDate', { type: () => String, description: 'YYYY-MM-DD.' }) dueDate: string,
  ): Promise<SlipImpactModel[]> {
    if (!isIsoDate(dueDate))
      throw new AppError('BAD_USER_INPUT', 'dueDate must be a date written YYYY-MM-DD.', { field: 'dueDate' });
    const rows = await this.loaders.for(context).rows.milestones.load(plan.id);
    const byId = new Map(rows.map((row) => [row.id, row]));
    if (!byId.has(milestoneId)) throw new AppError('NOT_FOUND', `There is no milestone ${milestoneId} in this plan.`);
    return previewSlip(rows, milestoneId, dueDate).flatMap((impact) => {
      const milestone = byId.get(impact.milestoneId);
      return milestone === undefined ? [] : [{ ...impact, milestone }];
    });
  }

  @ResolveField(() => [PlanMemberModel], {
    description: 'People given a role on this plan (every other member has defaultMemberRole), by name.',
  })
  async members(@Parent() plan: PlanResult, @Context() context: object): Promise<PlanMemberModel[]> {
    const members = await this.loaders.for(context).members.load(plan.id);
    return members.map(({ user, role }) => ({ user: toUser(user), role: PlanRoleModel[role] }));
  }

  @ResolveField(() => [[Int]], {
    description: 'Risks not closed, counted by cell: heatMap[likelihood - 1][impact - 1].',
  })
  async heatMap(@Parent() plan: PlanResult, @Context() context: object): Promise<number[][]> {
    return heatMapOf(await this.loaders.for(context).rows.risks.load(plan.id));
  }
}
