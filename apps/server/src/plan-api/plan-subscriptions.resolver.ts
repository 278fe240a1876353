import { Args, Context, ID, Resolver, Subscription } from '@nestjs/graphql';
import type { OnModuleDestroy } from '@nestjs/common';
import type { AuthContext } from '../access/auth-context.js';
import { CurrentAuth } from '../access/current-auth.decorator.js';
import { Allow } from '../access/permissions.js';
import { AppError } from '../common/errors.js';
import { type PlanChange, PlanEvents } from '../events/plan-events.js';
import { type Delivery, LiveFeed, unwrap } from '../graphql/live-feed.js';
import type { SubscriptionRequest } from '../graphql/subscriptions.js';
import { AuthService } from '../identity/auth.service.js';
import { PlanReadService } from './plan-read.service.js';
import { type PlanResult, toPlanModel } from './models/plan.mappers.js';
import { PlanModel, PortfolioModel } from './models/plan.models.js';
import { PortfolioService } from './portfolio.service.js';

/**
 * Live updates over graphql-ws, on every instance (PlanEvents crosses instances through Redis).
 * Each event is checked against the subscriber's access as it is now: a revoked token, a removed
 * member or a plan no longer shared ends the subscription instead of delivering.
 */
@Resolver()
export class PlanSubscriptionsResolver implements OnModuleDestroy {
  private readonly feed: LiveFeed<PlanChange>;
  private readonly stopListening: () => void;

  constructor(
    planEvents: PlanEvents,
    private readonly reads: PlanReadService,
    auth: AuthService,
    private readonly portfolios: PortfolioService,
  ) {
    this.feed = new LiveFeed(auth);
    this.stopListening = planEvents.listen((change) => this.feed.publish(change));
  }

  onModuleDestroy(): void {
    this.stopListening();
  }

  @Allow('plans.read')
  @Subscription(() => PlanModel, {
    description: 'The plan each time it changes (from the browser, the API or a Yjs client), as projected.',
    resolve: (payload: Delivery<{ planChanged: PlanResult }>) => unwrap(payload).planChanged,
  })
  async planChanged(
    @CurrentAuth() auth: AuthContext,
    @Context() context: { req: SubscriptionRequest },
    @Args('id', { type: () => ID }) id: string,
  ): Promise<AsyncIterableIterator<Delivery<{ planChanged: PlanResult }>>> {
    await this.reads.one(auth, id);
    return this.feed.deliver(
      context.req.bearerToken,
      (change) => change.planId === id,
      async (current) => ({
        planChanged: toPlanModel(await this.reads.one(current, id)),
      }),
    );
  }

  @Allow('plans.read')
  @Subscription(() => PortfolioModel, {
    description: 'The portfolio again each time a plan you may see changes.',
    resolve: (payload: Delivery<{ portfolioChanged: PortfolioModel }>) => unwrap(payload).portfolioChanged,
  })
  async portfolioChanged(
    @CurrentAuth() auth: AuthContext,
    @Context() context: { req: SubscriptionRequest },
  ): Promise<AsyncIterableIterator<Delivery<{ portfolioChanged: PortfolioModel }>>> {
    const organizationId = auth.organizationId;
    if (organizationId === null)
      throw new AppError('FORBIDDEN', 'You are not a member of an organization in this session.');
    return this.feed.deliver(
      context.req.bearerToken,
      (change) => change.organizationId === organizationId,
      async (current) => ({ portfolioChanged: await this.portfolios.of(current) }),
    );
  }
}
