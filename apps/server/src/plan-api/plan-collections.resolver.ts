import type { Type } from '@nestjs/common';
import { Args, Context, ID, Int, Mutation, Parent, ResolveField, Resolver } from '@nestjs/graphql';
import { type PlanCollectionName, PLAN_COLLECTIONS } from '@bascule/plan-model';
import type { AuthContext } from '../access/auth-context.js';
import { CurrentAuth } from '../access/current-auth.decorator.js';
import { Allow } from '../access/permissions.js';
import { AppError } from '../common/errors.js';
import { pageOf } from '../common/page.args.js';
import { PlanEditService } from './plan-edit.service.js';
import { PlanLoaders } from './plan-loaders.js';
import { PlanReadService, type RowOf } from './plan-read.service.js';
import {
  CheckpointModel,
  type Connection,
  connectionOf,
  MilestoneModel,
  RiskModel,
  WorkloadModel,
} from './models/plan-content.models.js';
import {
  CheckpointFilter,
  CheckpointInput,
  CheckpointPatch,
  MilestoneFilter,
  MilestoneInput,
  MilestonePatch,
  RiskFilter,
  RiskInput,
  RiskPatch,
  WorkloadFilter,
  WorkloadInput,
  WorkloadPatch,
} from './models/plan-inputs.js';
import { pageOfRows, type PlanResult, toPlanModel } from './models/plan.mappers.js';
import { PlanModel } from './models/plan.models.js';

/** The filter of each collection's list. */
interface FilterOf {
  milestones: MilestoneFilter;
  risks: RiskFilter;
  checkpoints: CheckpointFilter;
  workloads: WorkloadFilter;
}

/** A collection's GraphQL types: its entry, what creates one, what changes one, what filters its list. */
interface CollectionTypes<F> {
  readonly model: Type<unknown>;
  readonly input: Type<object>;
  readonly patch: Type<object>;
  readonly filter: Type<F>;
}

/** Keyed by the document's collections: a collection added to the plan model needs its GraphQL types to compile. */
const GRAPHQL_TYPES: { readonly [C in PlanCollectionName]: CollectionTypes<FilterOf[C]> } = {
  milestones: { model: MilestoneModel, input: MilestoneInput, patch: MilestonePatch, filter: MilestoneFilter },
  risks: { model: RiskModel, input: RiskInput, patch: RiskPatch, filter: RiskFilter },
  checkpoints: { model: CheckpointModel, input: CheckpointInput, patch: CheckpointPatch, filter: CheckpointFilter },
  workloads: { model: WorkloadModel, input: WorkloadInput, patch: WorkloadPatch, filter: WorkloadFilter },
};

const within = <T>(allowed: readonly T[] | undefined, value: T) =>
  allowed === undefined || allowed.length === 0 || allowed.includes(value);
const same = <T>(wanted: T | undefined, value: T) => wanted === undefined || wanted === value;
const hasText = (text: string | undefined, fields: readonly (string | null)[]) =>
  text === undefined ||
  text.trim() === '' ||
  fields.some((field) => field?.toLowerCase().includes(text.trim().toLowerCase()));

/** Whether a row passes its list's filter; a condition the caller left out passes every row. */
const ROW_FILTERS: {
  readonly [C in PlanCollectionName]: (filter: Partial<FilterOf[C]>, row: RowOf[C]) => boolean;
} = {
  milestones: (f, row) =>
    within(f.status, row.status) &&
    within(f.kind, row.kind) &&
    same(f.overdue, row.overdue) &&
    hasText(f.text, [row.title, row.owner]),
  risks: (f, row) =>
    within(f.status, row.status) &&
    within(f.category, row.category) &&
    (f.minScore === undefined || row.score >= f.minScore) &&
    same(f.likelihood, row.likelihood) &&
    same(f.impact, row.impact) &&
    hasText(f.text, [row.title, row.owner, row.mitigation]),
  checkpoints: (f, row) =>
    within(f.framework, row.framework) &&
    within(f.status, row.status) &&
    (f.milestoneId === undefined || row.milestoneIds.includes(f.milestoneId)) &&
    hasText(f.text, [row.title, row.requirement]),
  workloads: (f, row) =>
    within(f.strategy, row.strategy) &&
    within(f.criticality, row.criticality) &&
    same(f.wave, row.wave) &&
    hasText(f.text, [row.name, row.owner]),
};

/**
 * The create, update, delete and move mutations and the list on Plan of one collection of entries:
 * all collections are edited and listed alike, through the service's collection-generic methods.
 * Each edit returns once projected, so the answer shows the change.
 */
function planCollectionResolver<C extends PlanCollectionName>(collection: C): Type<unknown> {
  const noun = collection.slice(0, -1);
  const entity = noun.charAt(0).toUpperCase() + noun.slice(1);
  const types = GRAPHQL_TYPES[collection];
  const matches = ROW_FILTERS[collection];
  const connection = connectionOf(types.model, entity);

  @Resolver(() => PlanModel)
  class PlanCollectionResolver {
    constructor(
      private readonly edits: PlanEditService,
      private readonly reads: PlanReadService,
      private readonly loaders: PlanLoaders,
    ) {}

    @Allow('plans.write')
    @Mutation(() => types.model, {
      name: `create${entity}`,
      description: `Adds a ${noun} at the end of the plan's ${collection}.`,
    })
    async create(
      @CurrentAuth() auth: AuthContext,
      @Args('planId', { type: () => ID }) planId: string,
      @Args('input', { type: () => types.input }) input: object,
    ): Promise<RowOf[C]> {
      const id = await this.edits.createEntry(auth, planId, collection, input);
      return this.projected(planId, id);
    }

    @Allow('plans.write')
    @Mutation(() => types.model, {
      name: `update${entity}`,
      description: `Changes the given fields of a ${noun}; null clears a field.`,
    })
    async update(
      @CurrentAuth() auth: AuthContext,
      @Args('planId', { type: () => ID }) planId: string,
      @Args('id', { type: () => ID }) id: string,
      @Args('input', { type: () => types.patch }) input: object,
    ): Promise<RowOf[C]> {
      await this.edits.updateEntry(auth, planId, collection, id, input);
      return this.projected(planId, id);
    }

    @Allow('plans.write')
    @Mutation(() => PlanModel, {
      name: `delete${entity}`,
      description: `Deletes a ${noun} and every reference to it; returns the plan.`,
    })
    async delete(
      @CurrentAuth() auth: AuthContext,
      @Args('planId', { type: () => ID }) planId: string,
      @Args('id', { type: () => ID }) id: string,
    ): Promise<PlanResult> {
      await this.edits.deleteEntry(auth, planId, collection, id);
      return toPlanModel(await this.reads.one(auth, planId));
    }

    @Allow('plans.write')
    @Mutation(() => types.model, {
      name: `move${entity}`,
      description: `Moves a ${noun} to a position in the display order (0 = first).`,
    })
    async move(
      @CurrentAuth() auth: AuthContext,
      @Args('planId', { type: () => ID }) planId: string,
      @Args('id', { type: () => ID }) id: string,
      @Args('index', { type: () => Int }) index: number,
    ): Promise<RowOf[C]> {
      await this.edits.moveEntry(auth, planId, collection, id, index);
      return this.projected(planId, id);
    }

    @ResolveField(collection, () => connection)
    async list(
      @Parent() plan: PlanResult,
      @Context() context: object,
      @Args('filter', { type: () => types.filter, nullable: true }) filter: FilterOf[C] | null,
      @Args('first', { type: () => Int, nullable: true }) first: number | null,
      @Args('after', { type: () => String, nullable: true }) after: string | null,
    ): Promise<Connection<RowOf[C]>> {
      const wanted: Partial<FilterOf[C]> = filter ?? {};
      const rows = (await this.loaders.for(context).rows[collection].load(plan.id)).filter((row) =>
        matches(wanted, row),
      );
      return pageOfRows(rows, pageOf({ first: first ?? undefined }).first, after);
    }

    /** The projected row of an entry just written. */
    private async projected(planId: string, id: string): Promise<RowOf[C]> {
      const rows = (await this.reads.rows(collection, [planId])).get(planId) ?? [];
      const row = rows.find((candidate) => candidate.id === id);
      if (row === undefined) throw new AppError('NOT_FOUND', 'That entry was deleted meanwhile.');
      return row;
    }
  }
  // The access audit and the guard's refusals name an operation after its class: one name per collection.
  Object.defineProperty(PlanCollectionResolver, 'name', { value: `${entity}sResolver` });
  return PlanCollectionResolver;
}

/** Each collection of plan entries with its mutations and its list on Plan. */
export const PLAN_COLLECTION_RESOLVERS = PLAN_COLLECTIONS.map((collection) => planCollectionResolver(collection));
