import { Module } from '@nestjs/common';
import { CollabModule } from '../collab/collab.module.js';
import { IdentityModule } from '../identity/identity.module.js';
import { PlansApiModule } from '../plans/plans-api.module.js';
import { ProjectionModule } from '../projection/projection.module.js';
import { DemoPlansSeeder } from './demo-plans.seeder.js';

/** Demo plans for a fresh embedded installation (the organization and users come from DemoSeeder). */
@Module({ imports: [IdentityModule, CollabModule, PlansApiModule, ProjectionModule], providers: [DemoPlansSeeder] })
export class DemoModule {}
