import { Module } from '@nestjs/common';
import { IdentityModule } from '../identity/identity.module.js';
import { PlansApiModule } from '../plans/plans-api.module.js';
import { ReportsController } from './reports.controller.js';

/** Status reports and iCalendar feeds (api role). */
@Module({ imports: [PlansApiModule, IdentityModule], controllers: [ReportsController] })
export class ReportsModule {}
