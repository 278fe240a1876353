import { Module } from '@nestjs/common';
import { CollabModule } from '../collab/collab.module.js';
import { IdentityModule } from '../identity/identity.module.js';
import { PlanApiModule } from '../plan-api/plan-api.module.js';
import { PlansModule } from '../plans/plans.module.js';
import { RunbookSubscriptionsResolver } from './runbook-subscriptions.resolver.js';
import { RunbookTasksResolver } from './runbook-tasks.resolver.js';
import { RunbooksModule } from './runbooks.module.js';
import { RunbooksResolver } from './runbooks.resolver.js';
import { RunbooksService } from './runbooks.service.js';

/** The GraphQL API of cutover runbooks (api role): read from the live documents, changed through the plan's write path. */
@Module({
  imports: [RunbooksModule, PlanApiModule, PlansModule, CollabModule, IdentityModule],
  providers: [RunbooksService, RunbooksResolver, RunbookTasksResolver, RunbookSubscriptionsResolver],
})
export class RunbooksApiModule {}
