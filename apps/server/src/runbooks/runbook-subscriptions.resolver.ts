import type { OnModuleDestroy } from '@nestjs/common';
import { Args, Context, ID, Resolver, Subscription } from '@nestjs/graphql';
import type { AuthContext } from '../access/auth-context.js';
import { CurrentAuth } from '../access/current-auth.decorator.js';
import { Allow } from '../access/permissions.js';
import { type Delivery, LiveFeed, unwrap } from '../graphql/live-feed.js';
import type { SubscriptionRequest } from '../graphql/subscriptions.js';
import { AuthService } from '../identity/auth.service.js';
import { toRunbookTaskModel } from './models/runbook.mappers.js';
import { RunbookTaskModel } from './models/runbook.models.js';
import { type RunbookTaskChange, RunbookTaskEvents } from './runbook-task-events.js';
import { RunbooksService } from './runbooks.service.js';

type Payload = { runbookTaskChanged: RunbookTaskModel };

/** Runbook tasks as they move, on every instance (RunbookTaskEvents crosses instances through Redis). */
@Resolver()
export class RunbookSubscriptionsResolver implements OnModuleDestroy {
  private readonly feed: LiveFeed<RunbookTaskChange>;
  private readonly stopListening: () => void;

  constructor(
    events: RunbookTaskEvents,
    auth: AuthService,
    private readonly runbooks: RunbooksService,
  ) {
    this.feed = new LiveFeed(auth);
    this.stopListening = events.listen((change) => this.feed.publish(change));
  }

  onModuleDestroy(): void {
    this.stopListening();
  }

  @Allow('plans.read')
  @Subscription(() => RunbookTaskModel, {
    description:
      'A runbook task each time its status or stamps change (from the browser, the API or a Yjs client), with its live view at that moment.',
    resolve: (payload: Delivery<Payload>) => unwrap(payload).runbookTaskChanged,
  })
  async runbookTaskChanged(
    @CurrentAuth() auth: AuthContext,
    @Context() context: { req: SubscriptionRequest },
    @Args('planId', { type: () => ID }) planId: string,
    @Args('runbookId', { type: () => ID, nullable: true, description: 'Only the tasks of this runbook.' })
    runbookId: string | null,
  ): Promise<AsyncIterableIterator<Delivery<Payload>>> {
    await this.runbooks.callerOn(auth, planId);
    const onlyRunbook = runbookId ?? null;
    return this.feed.deliver(
      context.req.bearerToken,
      (change) => change.planId === planId && (onlyRunbook === null || change.task.task.runbookId === onlyRunbook),
      async (current, change) => ({
        runbookTaskChanged: toRunbookTaskModel(change.task, await this.runbooks.callerOn(current, planId)),
      }),
    );
  }
}
