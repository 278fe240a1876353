import { Broadcast } from '../events/broadcast.js';
import type { TaskView } from './runbook-views.js';

/** A runbook task's status or stamps changed: the task as the live view showed it then, for anyone. */
export interface RunbookTaskChange {
  readonly planId: string;
  readonly task: TaskView;
}

/**
 * Tells every instance that a runbook task moved (GraphQL subscriptions listen). The instance where
 * the change was made computes the task's view and sends it whole, so that another instance shows it
 * without waiting for the change itself to reach its copy of the document.
 */
export class RunbookTaskEvents extends Broadcast<RunbookTaskChange> {}
