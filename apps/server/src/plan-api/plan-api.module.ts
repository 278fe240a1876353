import { Module } from '@nestjs/common';
import { CatalogModule } from '../catalog/catalog.module.js';
import { ChangesModule } from '../changes/changes.module.js';
import { CollabModule } from '../collab/collab.module.js';
import { IdentityModule } from '../identity/identity.module.js';
import { ProjectionModule } from '../projection/projection.module.js';
import { PLAN_COLLECTION_RESOLVERS } from './plan-collections.resolver.js';
import { PlanEditResolver } from './plan-edit.resolver.js';
import { PlanEditService } from './plan-edit.service.js';
import { PlanLoaders } from './plan-loaders.js';
import { PlanQueriesResolver } from './plan-queries.resolver.js';
import { PlanReadCache } from './plan-read-cache.js';
import { PlanReadService } from './plan-read.service.js';
import { PlanSubscriptionsResolver } from './plan-subscriptions.resolver.js';
import { PlansModule } from '../plans/plans.module.js';
import { AssignmentsResolver } from './assignments.resolver.js';
import { AssignmentsService } from './assignments.service.js';
import { PortfolioService } from './portfolio.service.js';

/** The GraphQL API of plan content (api role): queries on the read model, edits on the documents. */
@Module({
  imports: [PlansModule, CollabModule, ChangesModule, ProjectionModule, CatalogModule, IdentityModule],
  providers: [
    PlanReadCache,
    PlanReadService,
    PlanLoaders,
    PlanEditService,
    PortfolioService,
    PlanQueriesResolver,
    PlanEditResolver,
    ...PLAN_COLLECTION_RESOLVERS,
    PlanSubscriptionsResolver,
    AssignmentsService,
    AssignmentsResolver,
  ],
  exports: [PlanEditService, PlanReadService, PortfolioService],
})
export class PlanApiModule {}
