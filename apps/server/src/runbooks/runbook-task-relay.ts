import { Injectable, type OnModuleDestroy } from '@nestjs/common';
import { readPlan, TASK_EXECUTION_FIELDS } from '@bascule/plan-model';
import { ChangeWatcher } from '../changes/change-watcher.js';
import type { PlanChanged } from '../changes/plan-changed.js';
import { RunbookTaskEvents } from './runbook-task-events.js';
import { runbookViews } from './runbook-views.js';

/**
 * Announces every runbook task whose status or stamps a change moved, whatever made the change (a
 * socket, the API, the server's own corrections and stamps), with the task's live view at the time
 * of the change; not a task whose change the rules refused (its revert follows, and is announced).
 * Runs in every role: the change is seen on the instance that made it.
 */
@Injectable()
export class RunbookTaskRelay implements OnModuleDestroy {
  private readonly stopListening: () => void;

  constructor(
    watcher: ChangeWatcher,
    private readonly events: RunbookTaskEvents,
  ) {
    this.stopListening = watcher.onChange((event) => this.relay(event));
  }

  onModuleDestroy(): void {
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
    const content = readPlan(event.doc);
    const runbooks = new Set(content.runbookTasks.filter((task) => moved.has(task.id)).map((task) => task.runbookId));
    for (const view of runbookViews(content, event.at.getTime(), (runbook) => runbooks.has(runbook.id)))
      for (const task of view.tasks) if (moved.has(task.task.id)) this.events.publish({ planId: event.planId, task });
  }
}
