import { Injectable } from '@nestjs/common';
import { type PlanCollectionName, heatMap, type Risk } from '@bascule/plan-model';
import DataLoader from 'dataloader';
import { CatalogService } from '../catalog/catalog.service.js';
import type { CatalogOfferEntity } from '../catalog/entities.js';
import type { UserEntity } from '../identity/entities.js';
import type { PlanRole } from '../plans/entities.js';
import type { PlanResult } from './models/plan.mappers.js';
import { PlanReadCache } from './plan-read-cache.js';
import { PlanReadService, type RowOf } from './plan-read.service.js';
import { PlansService } from '../plans/plans.service.js';

type RowLoaders = { [C in PlanCollectionName]: DataLoader<string, RowOf[C][]> };

/** A milestone of a plan of an organization. */
export interface MilestoneKey {
  readonly organizationId: string;
  readonly planId: string;
  readonly id: string;
}

export interface RequestLoaders {
  readonly rows: RowLoaders;
  /** One milestone of one plan (a plan's next milestone) without loading the plan's others. */
  readonly milestone: DataLoader<MilestoneKey, RowOf['milestones'] | null, string>;
  /** The people given an explicit role on a plan. */
  readonly members: DataLoader<string, { user: UserEntity; role: PlanRole }[]>;
  /** Offers of one organization's catalog, by id. */
  offer(organizationId: string, offerId: string): Promise<CatalogOfferEntity | null>;
  /**
   * Reads ahead what a list will ask of each of its plans. A field whose value was read ahead answers
   * at once (knownOffer, knownMilestone): GraphQL then completes each plan without waiting on a promise
   * per plan, which costs more than the reads themselves on a list of a hundred plans.
   */
  readAhead(plans: readonly PlanResult[], wanted: { offers: boolean; nextMilestones: boolean }): Promise<void>;
  /** The offer read already (null: no such offer), or undefined when it was not read yet. */
  knownOffer(organizationId: string, offerId: string): CatalogOfferEntity | null | undefined;
  /** The milestone read already (null: no such milestone), or undefined when it was not read yet. */
  knownMilestone(key: MilestoneKey): RowOf['milestones'] | null | undefined;
}

/**
 * DataLoaders for one GraphQL request, kept on its context object: whatever number of plans a query
 * touches, each collection is read in one statement, so a request's statements do not grow with it.
 */
@Injectable()
export class PlanLoaders {
  private readonly byRequest = new WeakMap<object, RequestLoaders>();

  constructor(
    private readonly reads: PlanReadService,
    private readonly catalog: CatalogService,
    private readonly plans: PlansService,
    private readonly cache: PlanReadCache,
  ) {}

  for(context: object): RequestLoaders {
    let loaders = this.byRequest.get(context);
    if (loaders === undefined) {
      loaders = this.create();
      this.byRequest.set(context, loaders);
    }
    return loaders;
  }

  private create(): RequestLoaders {
    const rowsOf = <C extends PlanCollectionName>(collection: C) =>
      new DataLoader<string, RowOf[C][]>(async (planIds) => {
        const grouped = await this.reads.rows(collection, planIds);
        return planIds.map((id) => grouped.get(id) ?? []);
      });
    const offersRead = new Map<string, Map<string, CatalogOfferEntity>>();
    const milestonesRead = new Map<string, RowOf['milestones'] | null>();
    const milestoneKey = (key: { planId: string; id: string }) => `${key.planId}/${key.id}`;
    const catalogs = new DataLoader<string, Map<string, CatalogOfferEntity>>(async (organizationIds) =>
      Promise.all(
        organizationIds.map(async (id) => {
          const offers = new Map(
            (await this.cache.forOrganization(id, 'offers', null, () => this.catalog.offers(id))).map((offer) => [
              offer.id,
              offer,
            ]),
          );
          offersRead.set(id, offers);
          return offers;
        }),
      ),
    );
    /** Milestones by key, each organization's in one read; what was read is known from then on. */
    const readMilestones = async (keys: readonly MilestoneKey[]) => {
      const organizations = [...new Set(keys.map((key) => key.organizationId))];
      const rows = await Promise.all(
        organizations.map((organizationId) =>
          this.reads.milestonesByKey(
            organizationId,
            keys.filter((key) => key.organizationId === organizationId),
          ),
        ),
      );
      const found = new Map(rows.flat().map((row) => [milestoneKey(row), row]));
      return keys.map((key) => {
        const row = found.get(milestoneKey(key)) ?? null;
        milestonesRead.set(milestoneKey(key), row);
        return row;
      });
    };
    const milestone = new DataLoader<MilestoneKey, RowOf['milestones'] | null, string>(readMilestones, {
      cacheKeyFn: milestoneKey,
    });
    const members = new DataLoader<string, { user: UserEntity; role: PlanRole }[]>(async (planIds) => {
      const grouped = await this.plans.explicitMembers(planIds);
      return planIds.map((id) => grouped.get(id) ?? []);
    });
    return {
      milestone,
      members,
      rows: {
        milestones: rowsOf('milestones'),
        risks: rowsOf('risks'),
        checkpoints: rowsOf('checkpoints'),
        workloads: rowsOf('workloads'),
      },
      offer: async (organizationId, offerId) => (await catalogs.load(organizationId)).get(offerId) ?? null,
      readAhead: async (plans, wanted) => {
        const offers = wanted.offers
          ? [...new Set(plans.filter((plan) => plan.targetOfferId !== null).map((plan) => plan.organizationId))]
          : [];
        const next = wanted.nextMilestones
          ? plans.flatMap((plan) =>
              plan.nextMilestoneId === null
                ? []
                : [{ organizationId: plan.organizationId, planId: plan.id, id: plan.nextMilestoneId }],
            )
          : [];
        await Promise.all([catalogs.loadMany(offers), readMilestones(next)]);
      },
      knownOffer: (organizationId, offerId) => {
        const offers = offersRead.get(organizationId);
        return offers === undefined ? undefined : (offers.get(offerId) ?? null);
      },
      knownMilestone: (key) => milestonesRead.get(milestoneKey(key)),
    };
  }
}

/** The 5x5 heat map of a plan's projected risks. */
export function heatMapOf(rows: readonly RowOf['risks'][]): number[][] {
  return heatMap(rows as unknown as Risk[]);
}
