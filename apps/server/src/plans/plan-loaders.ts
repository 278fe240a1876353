import { Injectable } from '@nestjs/common';
import { type CollectionName, heatMap, type Risk } from '@bascule/plan-model';
import DataLoader from 'dataloader';
import { CatalogService } from '../catalog/catalog.service.js';
import type { CatalogOfferEntity } from '../catalog/entities.js';
import type { UserEntity } from '../identity/entities.js';
import type { PlanRole } from './entities.js';
import { PlanReadService, type RowOf } from './plan-read.service.js';
import { PlansService } from './plans.service.js';

type RowLoaders = { [C in CollectionName]: DataLoader<string, RowOf[C][]> };

export interface RequestLoaders {
  readonly rows: RowLoaders;
  /** One milestone of one plan (a plan's next milestone) without loading the plan's others. */
  readonly milestone: DataLoader<{ planId: string; id: string }, RowOf['milestones'] | null, string>;
  /** The people given an explicit role on a plan. */
  readonly members: DataLoader<string, { user: UserEntity; role: PlanRole }[]>;
  /** Offers of one organization's catalog, by id. */
  offer(organizationId: string, offerId: string): Promise<CatalogOfferEntity | null>;
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
    const rowsOf = <C extends CollectionName>(collection: C) =>
      new DataLoader<string, RowOf[C][]>(async (planIds) => {
        const grouped = await this.reads.rows(collection, planIds);
        return planIds.map((id) => grouped.get(id) ?? []);
      });
    const catalogs = new DataLoader<string, Map<string, CatalogOfferEntity>>(async (organizationIds) =>
      Promise.all(
        organizationIds.map(async (id) => new Map((await this.catalog.offers(id)).map((offer) => [offer.id, offer]))),
      ),
    );
    const milestone = new DataLoader<{ planId: string; id: string }, RowOf['milestones'] | null, string>(
      async (keys) => {
        const rows = await this.reads.milestonesByKey(keys);
        const found = new Map(rows.map((row) => [`${row.planId}/${row.id}`, row]));
        return keys.map((key) => found.get(`${key.planId}/${key.id}`) ?? null);
      },
      { cacheKeyFn: (key) => `${key.planId}/${key.id}` },
    );
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
    };
  }
}

/** The 5x5 heat map of a plan's projected risks. */
export function heatMapOf(rows: readonly RowOf['risks'][]): number[][] {
  return heatMap(rows as unknown as Risk[]);
}
