import {
  applyRunbookTemplate,
  copyForRehearsal,
  createEntry,
  findRunbookTemplate,
  type Language,
  type Localized,
  pick,
  readPlan,
  RunbookGraph,
  runbookTiming,
  updateEntry,
} from '@bascule/plan-model';
import type * as Y from 'yjs';

const MINUTE = 60_000;

/** Who runs the demo's runbooks: the tasks' owner and the go / no-go approver. */
export interface DemoCrew {
  readonly ownerId: string;
  readonly ownerName: string;
  readonly approverId: string;
  readonly approverName: string;
}

const REHEARSAL_TITLE: Localized = { fr: 'Répétition', en: 'Rehearsal' };
const GO_COMMENT: Localized = {
  fr: 'Critères de passage remplis ; on continue.',
  en: 'Exit criteria met; carry on.',
};

/** How much longer (or shorter) each task of the demo rehearsal took than planned, in turn (tasks of hours, not of days). */
const REHEARSAL_PACE = [1, 1.4, 0.75, 1, 1.25, 0.9, 1.6, 1, 0.8];
const PACED_UP_TO_MINUTES = 240;

/**
 * A runbook from a template for the plan's cutover milestone, its tasks given to the crew, T0 at
 * `t0`; returns its id. Ready to run: planned, not started.
 */
export function demoRunbook(
  doc: Y.Doc,
  templateId: string,
  title: string,
  t0: Date,
  crew: DemoCrew,
  language: Language,
): string {
  const template = findRunbookTemplate(templateId);
  if (template === undefined) throw new Error(`no runbook template ${templateId}`);
  const cutover = readPlan(doc).milestones.find((milestone) => milestone.kind === 'CUTOVER');
  const runbookId = applyRunbookTemplate(doc, template, {
    title,
    t0: t0.toISOString(),
    milestoneId: cutover?.id ?? null,
    language,
    ownerId: crew.ownerId,
  });
  for (const task of readPlan(doc).runbookTasks)
    if (task.runbookId === runbookId && task.kind === 'DECISION')
      updateEntry(doc, 'runbookTasks', task.id, { approverIds: [crew.approverId] });
  return runbookId;
}

/**
 * A rehearsal of a runbook, run to its end `daysAgo` days ago: each task started when its plan and
 * its predecessors allowed and took its planned time at a varying pace, each go / no-go passed by
 * the approver, stamped as the server stamps them. So the demo shows a comparison to read.
 */
export function demoRehearsal(doc: Y.Doc, runbookId: string, t0: Date, crew: DemoCrew, language: Language): string {
  const title = readPlan(doc).runbooks.find((runbook) => runbook.id === runbookId)?.title ?? '';
  const rehearsalId = copyForRehearsal(doc, runbookId, {
    title: `${pick(REHEARSAL_TITLE, language)} – ${title}`,
    t0: t0.toISOString(),
  });
  const content = readPlan(doc);
  const graph = new RunbookGraph(content.runbookTasks.filter((task) => task.runbookId === rehearsalId));
  const runbook = content.runbooks.find((found) => found.id === rehearsalId);
  if (runbook === undefined) throw new Error('the rehearsal was not made');
  const timing = runbookTiming(runbook, graph, t0.getTime());
  const ends = new Map<string, number>();
  let last = t0.getTime();
  let turn = 0;
  for (const task of graph.ordered) {
    if (task.stage === 'ROLLBACK') continue;
    const planned = timing.tasks.get(task.id);
    const start = Math.max(
      t0.getTime() + (planned?.plannedStart ?? 0) * MINUTE,
      ...graph.after(task).map((before) => ends.get(before.id) ?? 0),
    );
    const paced = task.kind === 'TASK' && (task.duration ?? 0) <= PACED_UP_TO_MINUTES;
    const pace = paced ? (REHEARSAL_PACE[turn++ % REHEARSAL_PACE.length] ?? 1) : 1;
    const end = start + Math.round((task.duration ?? 0) * pace) * MINUTE;
    ends.set(task.id, end);
    last = Math.max(last, end);
    const startedAt = new Date(start).toISOString();
    const endedAt = new Date(end).toISOString();
    const stamps = { startedAt, startedBy: crew.ownerName, endedAt };
    if (task.kind === 'DECISION') {
      // As the server stamps it: the point runs from its (only) approver's vote, which decides it.
      Object.assign(stamps, { startedAt: endedAt, startedBy: crew.approverName });
      createEntry(
        doc,
        'runbookVotes',
        {
          taskId: task.id,
          vote: 'GO',
          comment: pick(GO_COMMENT, language),
          voterId: crew.approverId,
          voterName: crew.approverName,
          at: endedAt,
        },
        { trusted: true },
      );
      updateEntry(
        doc,
        'runbookTasks',
        task.id,
        { ...stamps, status: 'DONE', decision: 'GO', endedBy: crew.approverName },
        { trusted: true },
      );
    } else
      updateEntry(
        doc,
        'runbookTasks',
        task.id,
        { ...stamps, status: 'DONE', endedBy: crew.ownerName },
        { trusted: true },
      );
  }
  updateEntry(
    doc,
    'runbooks',
    rehearsalId,
    { state: 'COMPLETED', startedAt: t0.toISOString(), endedAt: new Date(last).toISOString() },
    { trusted: true },
  );
  return rehearsalId;
}
