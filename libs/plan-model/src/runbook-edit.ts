import * as Y from 'yjs';
import { readEntryValues } from './document.js';
import { createEntry, PlanInputError, UnknownEntryError, updateEntry } from './edit.js';
import { type Language, type Localized, pick } from './language.js';
import { RUNBOOK_TEMPLATES } from './runbook-template-data.js';
import type { RunbookTemplate } from './runbook-template-types.js';
import { RunbookGraph, runbookTiming } from './runbook.js';
import { ENTITY_FIELDS, type Runbook, type RunbookTask, TASK_EXECUTION_FIELDS } from './schema.js';

export type { RunbookTemplate, RunbookTemplateTask } from './runbook-template-types.js';
export { RUNBOOK_TEMPLATES };

export function findRunbookTemplate(id: string): RunbookTemplate | undefined {
  return RUNBOOK_TEMPLATES.find((template) => template.id === id);
}

/** Runbook templates for a plan made from `planTemplateId` first, then the others. */
export function runbookTemplatesFor(planTemplateId: string | null): RunbookTemplate[] {
  const suits = (template: RunbookTemplate) =>
    planTemplateId !== null && template.planTemplates.includes(planTemplateId);
  return [...RUNBOOK_TEMPLATES.filter(suits), ...RUNBOOK_TEMPLATES.filter((template) => !suits(template))];
}

export interface NewRunbook {
  readonly title: string;
  readonly t0?: string | null;
  readonly milestoneId?: string | null;
  readonly wave?: number | null;
}

/** Adds a runbook seeded from a template, every text in `language`; returns its id. */
export function applyRunbookTemplate(
  doc: Y.Doc,
  template: RunbookTemplate,
  runbook: NewRunbook & { readonly language: Language; readonly ownerId?: string | null },
): string {
  const text = (localized: Localized) => pick(localized, runbook.language);
  let runbookId = '';
  doc.transact(() => {
    runbookId = createEntry(doc, 'runbooks', {
      title: runbook.title,
      t0: runbook.t0 ?? null,
      milestoneId: runbook.milestoneId ?? null,
      wave: runbook.wave ?? null,
    });
    const ids = new Map<string, string>();
    const idOf = (key: string) => {
      const id = ids.get(key);
      if (id === undefined) throw new Error(`runbook template ${template.id}: no task ${key} before this one`);
      return id;
    };
    for (const task of template.tasks)
      ids.set(
        task.key,
        createEntry(doc, 'runbookTasks', {
          runbookId,
          title: text(task.title),
          kind: task.decision === true ? 'DECISION' : 'TASK',
          stage: task.stage,
          team: text(task.team),
          ownerId: runbook.ownerId ?? null,
          startOffset: task.startOffset ?? null,
          duration: task.duration,
          dependsOn: (task.after ?? []).map(idOf),
          instructions: text(task.instructions),
          verification: text(task.verification),
        }),
      );
    // Rollback tasks come last in a template: named once every task exists.
    for (const task of template.tasks)
      if (task.rollback !== undefined)
        updateEntry(doc, 'runbookTasks', idOf(task.key), { rollbackTaskId: idOf(task.rollback) });
  });
  return runbookId;
}

/** The fields a copy of a task keeps: its plan, not its execution (references are mapped to the copies). */
const PLAN_FIELDS = Object.keys(ENTITY_FIELDS.runbookTasks).filter(
  (field) =>
    !TASK_EXECUTION_FIELDS.has(field) &&
    !['runbookId', 'dependsOn', 'rollbackTaskId', 'sourceTaskId', 'instructions'].includes(field),
);

/**
 * Adds a rehearsal of a runbook: a copy of it and of its tasks (their plan, not their execution),
 * each task naming the one it copies, rich instructions included. Returns the rehearsal's id.
 */
export function copyForRehearsal(
  doc: Y.Doc,
  runbookId: string,
  rehearsal: { readonly title: string; readonly t0?: string | null; readonly startsAt?: Date },
): string {
  const source = readEntryValues(doc, 'runbooks', runbookId);
  if (source === null) throw new UnknownEntryError('runbooks', runbookId);
  const tasks = [...doc.getMap<unknown>('runbookTasks').keys()]
    .map((id) => readEntryValues(doc, 'runbookTasks', id) as unknown as RunbookTask | null)
    .filter((task): task is RunbookTask => task?.runbookId === runbookId)
    .sort((a, b) => a.position - b.position || (a.id < b.id ? -1 : 1));
  // Its T0: the one given; else, so that its first task is planned when the rehearsal starts
  // (`startsAt`), however long before T0 the runbook begins (announcements days ahead).
  const planned = runbookTiming(
    { ...(source as unknown as Runbook), state: 'PLANNING', startedAt: null },
    new RunbookGraph(tasks),
    0,
  );
  const earliest = Math.min(0, ...[...planned.tasks.values()].map((timing) => timing.plannedStart));
  const t0 =
    rehearsal.t0 ??
    (rehearsal.startsAt === undefined
      ? null
      : new Date(rehearsal.startsAt.getTime() - earliest * 60_000).toISOString());
  // Fixed starts move with T0: a task planned an hour after the source's T0 is an hour after this one.
  const shift = t0 !== null && typeof source.t0 === 'string' ? Date.parse(t0) - Date.parse(source.t0) : 0;
  const moved = (startAt: string | null) =>
    startAt === null ? null : new Date(Date.parse(startAt) + shift).toISOString();
  let copyId = '';
  doc.transact(() => {
    copyId = createEntry(doc, 'runbooks', {
      title: rehearsal.title,
      kind: 'REHEARSAL',
      rehearsalOf: runbookId,
      t0,
      milestoneId: source.milestoneId ?? null,
      wave: source.wave ?? null,
    });
    const ids = new Map(tasks.map((task) => [task.id, globalThis.crypto.randomUUID()]));
    const mapped = (id: string | null) => (id === null ? null : (ids.get(id) ?? null));
    for (const task of tasks) {
      const id = ids.get(task.id) as string;
      createEntry(
        doc,
        'runbookTasks',
        {
          ...Object.fromEntries(
            PLAN_FIELDS.map((field) => [field, (task as unknown as Record<string, unknown>)[field]]),
          ),
          runbookId: copyId,
          sourceTaskId: task.id,
          startAt: moved(task.startAt),
        },
        { id },
      );
      const original = doc.getMap<Y.Map<unknown>>('runbookTasks').get(task.id)?.get('instructions');
      if (original instanceof Y.XmlFragment)
        doc.getMap<Y.Map<unknown>>('runbookTasks').get(id)?.set('instructions', cloneFragment(original));
    }
    // References once every copy exists (a task may name a later one as its rollback).
    for (const task of tasks)
      updateEntry(doc, 'runbookTasks', ids.get(task.id) as string, {
        dependsOn: task.dependsOn.flatMap((id) => mapped(id) ?? []),
        rollbackTaskId: mapped(task.rollbackTaskId),
      });
  });
  return copyId;
}

/** A ProseMirror fragment copied whole (its blocks, texts and marks) for another place in the document. */
function cloneFragment(fragment: Y.XmlFragment): Y.XmlFragment {
  const copy = new Y.XmlFragment();
  copy.insert(
    0,
    fragment.toArray().map((node) => node.clone() as Y.XmlElement | Y.XmlText),
  );
  return copy;
}

/**
 * Sets the planned duration of each task of a rehearsed runbook to what it took in the rehearsal
 * (tasks done in it, with both stamps). Returns how many tasks changed.
 */
export function applyRehearsalDurations(doc: Y.Doc, rehearsalId: string): number {
  const rehearsal = readEntryValues(doc, 'runbooks', rehearsalId);
  if (rehearsal === null) throw new UnknownEntryError('runbooks', rehearsalId);
  if (rehearsal.kind !== 'REHEARSAL' || typeof rehearsal.rehearsalOf !== 'string')
    throw new PlanInputError('runbookId', 'is not a rehearsal of a runbook');
  // A runbook under way or run keeps the plan it runs (and its report compares against).
  if (readEntryValues(doc, 'runbooks', rehearsal.rehearsalOf)?.state !== 'PLANNING')
    throw new PlanInputError('runbookId', 'rehearses a runbook already started: its plan can no longer change');
  let changed = 0;
  doc.transact(() => {
    for (const id of doc.getMap<unknown>('runbookTasks').keys()) {
      const task = readEntryValues(doc, 'runbookTasks', id) as unknown as RunbookTask | null;
      if (task?.runbookId !== rehearsalId || task.status !== 'DONE' || task.kind === 'DECISION') continue;
      if (task.startedAt === null || task.endedAt === null || task.sourceTaskId === null) continue;
      const source = readEntryValues(doc, 'runbookTasks', task.sourceTaskId) as unknown as RunbookTask | null;
      if (source === null || source.runbookId !== rehearsal.rehearsalOf) continue;
      const minutes = Math.max(1, Math.round((Date.parse(task.endedAt) - Date.parse(task.startedAt)) / 60_000));
      if (source.duration === minutes) continue;
      updateEntry(doc, 'runbookTasks', source.id, { duration: minutes });
      changed += 1;
    }
  });
  return changed;
}
