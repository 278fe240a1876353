import { Module } from '@nestjs/common';
import { CollabModule } from '../collab/collab.module.js';
import { IdentityModule } from '../identity/identity.module.js';
import { PlanApiModule } from '../plan-api/plan-api.module.js';
import { ProjectionModule } from '../projection/projection.module.js';
import { DemoPlansSeeder } from './demo-plans.seeder.js';
import { DemoSeeder } from './demo.seeder.js';

/** The demo organization, its users and plans, for a fresh embedded installation (api role). */
@Module({
  imports: [IdentityModule, CollabModule, PlanApiModule, ProjectionModule],
  providers: [DemoSeeder, DemoPlansSeeder],
})
export class DemoModule {}
