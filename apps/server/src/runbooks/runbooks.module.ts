import { Module } from '@nestjs/common';
import { ChangesModule } from '../changes/changes.module.js';
import { CollabModule } from '../collab/collab.module.js';
import { WebhooksModule } from '../webhooks/webhooks.module.js';
import { broadcastProvider } from '../events/events.module.js';
import { RunbookLateness } from './runbook-lateness.js';
import { RunbookTaskEvents } from './runbook-task-events.js';
import { RunbookTaskRelay } from './runbook-task-relay.js';

/**
 * What every role does for runbooks: the instance where a task moves (a socket's change, or the
 * API's) tells every instance, whose GraphQL subscriptions (RunbooksApiModule) deliver it. And, in
 * the worker role, the watch that tells webhooks of late tasks.
 */
@Module({
  imports: [ChangesModule, CollabModule, WebhooksModule],
  providers: [broadcastProvider(RunbookTaskEvents, 'runbook-tasks'), RunbookTaskRelay, RunbookLateness],
  exports: [RunbookTaskEvents],
})
export class RunbooksModule {}
