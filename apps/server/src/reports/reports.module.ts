import { Module } from '@nestjs/common';
import { CollabModule } from '../collab/collab.module.js';
import { IdentityModule } from '../identity/identity.module.js';
import { PlanApiModule } from '../plan-api/plan-api.module.js';
import { ReportsController } from './reports.controller.js';

/** Status reports and iCalendar feeds (api role). */
@Module({ imports: [PlanApiModule, IdentityModule, CollabModule], controllers: [ReportsController] })
export class ReportsModule {}
