import { Module } from '@nestjs/common';
import { PlanApiModule } from '../plan-api/plan-api.module.js';
import { PlansModule } from '../plans/plans.module.js';
import { BaselinesModule } from './baselines.module.js';
import { BaselinesResolver } from './baselines.resolver.js';

/** Baselines in GraphQL (api role). */
@Module({
  imports: [BaselinesModule, PlansModule, PlanApiModule],
  providers: [BaselinesResolver],
})
export class BaselinesApiModule {}
