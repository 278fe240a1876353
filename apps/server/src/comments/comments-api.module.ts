import { Module } from '@nestjs/common';
import { CollabModule } from '../collab/collab.module.js';
import { NotificationsModule } from '../notifications/notifications.module.js';
import { PlanApiModule } from '../plan-api/plan-api.module.js';
import { PlansModule } from '../plans/plans.module.js';
import { CommentsResolver } from './comments.resolver.js';
import { CommentsService } from './comments.service.js';

/** The GraphQL API of plans' conversations (api role): read from the live documents, written through the plan's write path. */
@Module({
  imports: [PlanApiModule, PlansModule, CollabModule, NotificationsModule],
  providers: [CommentsService, CommentsResolver],
})
export class CommentsApiModule {}
