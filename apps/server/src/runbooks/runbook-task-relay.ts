import { Inject, Injectable, type OnModuleDestroy } from '@nestjs/common';
import { readPlan, TASK_EXECUTION_FIELDS } from '@bascule/plan-model';
import { ChangeWatcher } from '../changes/change-watcher.js';
import { PlanDocumentService } from '../collab/plan-document.service.js';
import { LOGGER } from '../core/core.module.js';
import type { Logger } from '../logging/logger.js';
import type { PlanChanged } from '../changes/plan-changed.js';
import { RunbookTaskEvents } from './runbook-task-events.js';
import { runbookViews } from './runbook-views.js';

/**
 * Announces every runbook task whose status or stamps a change moved, whatever made the change (a
 * socket, the API, the server's own corrections and stamps), with the task's live view just after
 * the change (computed once the change has gone out to the sockets); not a task whose change the rules refused (its revert follows, and is announced).
 * Runs in every role: the change is seen on the instance that made it.
 */
@Injectable()
export class RunbookTaskRelay implements OnModuleDestroy {
  private readonly stopListening: () => void;
  /** Shutting down: what is still to announce is dropped (subscribers are going too). */
  private closed = false;

  constructor(
    watcher: ChangeWatcher,
    private readonly events: RunbookTaskEvents,
    private readonly documents: PlanDocumentService,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {
    this.stopListening = watcher.onChange((event) => this.relay(event));
  }

  onModuleDestroy(): void {
    this.closed = true;
    this.stopListening();
  }

  private relay(event: PlanChanged): void {
    // A task the rules refused a change of is not announced with it: the server's correction that
    // follows (its revert, or its stamps) is, with the task as it then stands.
    const refused = new Set(
      event.refusals.filter((refusal) => refusal.collection === 'runbookTasks').map((refusal) => refusal.entryId),
    );
    const moved = new Set<string>();
    for (const change of event.changes)
      if (
        change.collection === 'runbookTasks' &&
        change.action === 'updated' &&
        change.entryId !== null &&
        !refused.has(change.entryId) &&
        TASK_EXECUTION_FIELDS.has(change.field ?? '')
      )
        moved.add(change.entryId);
    if (moved.size === 0) return;
    // Once the change has gone out to the other sockets (a listener runs before it does): the views
    // cost the reading of the whole plan, which no socket should wait for. They are of the plan as it
    // then stands (the server's stamps of the change included, when they came first).
    const { planId, at } = event;
    setImmediate(() => {
      if (this.closed) return;
      this.publish(planId, moved, at.getTime()).catch((error: unknown) =>
        this.logger.error({ err: error, planId }, 'runbook task changes could not be announced'),
      );
    });
  }

  private async publish(planId: string, moved: ReadonlySet<string>, at: number): Promise<void> {
    const views = await this.documents.inspect(planId, (doc) => {
      const content = readPlan(doc);
      const runbooks = new Set(content.runbookTasks.filter((task) => moved.has(task.id)).map((task) => task.runbookId));
      return runbookViews(content, at, (runbook) => runbooks.has(runbook.id));
    });
    for (const view of views)
      for (const task of view.tasks) if (moved.has(task.task.id)) this.events.publish({ planId, task });
  }
}
