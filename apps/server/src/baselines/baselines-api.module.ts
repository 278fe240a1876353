import { Module } from '@nestjs/common';
import { PlansApiModule } from '../plans/plans-api.module.js';
import { PlansModule } from '../plans/plans.module.js';
import { BaselinesModule } from './baselines.module.js';
import { BaselinesResolver } from './baselines.resolver.js';

/** Baselines in GraphQL (api role). */
@Module({
  imports: [BaselinesModule, PlansModule, PlansApiModule],
  providers: [BaselinesResolver],
})
export class BaselinesApiModule {}
