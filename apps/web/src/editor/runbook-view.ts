import {
  richFieldOf,
  type PlanContent,
  RUNBOOK_STAGES,
  type Runbook,
  RunbookGraph,
  type RunbookStage,
  type RunbookTask,
  type RunbookTiming,
  runbookTiming,
  type RunbookVote,
  type StartBlocker,
} from '@bascule/plan-model';
import { useEffect, useMemo, useState } from 'react';
import type * as Y from 'yjs';
import type { Translate } from '../i18n/i18n';

/** One runbook as its views read it: built once per change of the document, shared by every view. */
export interface RunbookModel {
  readonly runbook: Runbook;
  readonly tasks: readonly RunbookTask[];
  readonly graph: RunbookGraph<RunbookTask>;
  /** The votes cast on each go / no-go point, in the order they were cast. */
  readonly votes: ReadonlyMap<string, readonly RunbookVote[]>;
  /** What stands in each task's way now (it does not depend on the clock, only on the document). */
  readonly blockers: ReadonlyMap<string, readonly StartBlocker[]>;
}

export function useRunbookModel(content: PlanContent, runbookId: string | null): RunbookModel | null {
  const { runbooks, runbookTasks, runbookVotes } = content;
  return useMemo(() => {
    const runbook = runbooks.find((found) => found.id === runbookId);
    if (runbook === undefined) return null;
    const tasks = runbookTasks.filter((task) => task.runbookId === runbook.id);
    const graph = new RunbookGraph(tasks);
    const votes = new Map<string, RunbookVote[]>();
    for (const vote of runbookVotes) {
      if (vote.taskId === null || !graph.byId.has(vote.taskId)) continue;
      const list = votes.get(vote.taskId) ?? [];
      list.push(vote);
      votes.set(vote.taskId, list);
    }
    for (const list of votes.values()) list.sort((a, b) => (a.at ?? '~').localeCompare(b.at ?? '~'));
    const blockers = new Map(tasks.map((task) => [task.id, graph.startBlockers(task, runbook)]));
    return { runbook, tasks, graph, votes, blockers };
  }, [runbooks, runbookTasks, runbookVotes, runbookId]);
}

/** Planned, forecast and late times at `now`: once per change of the document and once per tick. */
export function useRunbookTiming(model: RunbookModel | null, now: number): RunbookTiming | null {
  return useMemo(() => (model === null ? null : runbookTiming(model.runbook, model.graph, now)), [model, now]);
}

/** The time, in milliseconds, renewed every second while `ticking` (and frozen otherwise). */
export function useNow(ticking: boolean): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (!ticking) return;
    setNow(Date.now());
    const timer = setInterval(() => setNow(Date.now()), 1_000);
    return () => clearInterval(timer);
  }, [ticking]);
  return now;
}

/** The stages in which a runbook has tasks, in order, with those tasks in display order. */
export function tasksByStage<T extends { readonly stage: RunbookStage }>(
  stages: readonly RunbookStage[],
  tasks: readonly T[],
): { stage: RunbookStage; tasks: T[] }[] {
  return stages.map((stage) => ({ stage, tasks: tasks.filter((task) => task.stage === stage) }));
}

/** Where a run stands: for the live view's summary and the war room. */
export interface LiveSummary {
  readonly running: readonly RunbookTask[];
  /** Late tasks, the latest first. */
  readonly late: readonly { readonly task: RunbookTask; readonly minutes: number }[];
  /** The next go / no-go point still to decide (not stopped by an earlier no-go). */
  readonly nextDecision: RunbookTask | null;
  /** The stage under way: that of a running task, else the first with tasks left. */
  readonly stage: RunbookStage | null;
  /** Forecast end against planned end, in minutes (positive: late). */
  readonly delay: number;
  /** The rollback tasks of the tasks done, the last done first: the way back, once it is open. */
  readonly rollbacks: readonly RunbookTask[];
}

const UNRESOLVED = new Set(['PENDING', 'RUNNING', 'FAILED']);

export function liveSummary(model: RunbookModel, timing: RunbookTiming): LiveSummary {
  const ordered = model.graph.ordered;
  const running = ordered.filter((task) => task.status === 'RUNNING');
  const late = ordered
    .map((task) => ({ task, timed: timing.tasks.get(task.id) }))
    .filter(({ timed }) => timed?.late === true)
    .map(({ task, timed }) => ({ task, minutes: timed?.lateMinutes ?? 0 }))
    .sort((a, b) => b.minutes - a.minutes);
  const nextDecision =
    ordered.find(
      (task) =>
        task.kind === 'DECISION' &&
        task.stage !== 'ROLLBACK' &&
        task.decision === 'PENDING' &&
        timing.tasks.get(task.id)?.stopped !== true,
    ) ?? null;
  const open = (task: RunbookTask) =>
    UNRESOLVED.has(task.status) &&
    timing.tasks.get(task.id)?.stopped !== true &&
    (task.stage !== 'ROLLBACK' || timing.rollbackOpen);
  const stage = running[0]?.stage ?? model.tasks.filter(open).sort(byStage)[0]?.stage ?? null;
  const rollbackIds = model.tasks
    .filter((task) => task.status === 'DONE' && task.rollbackTaskId !== null)
    .sort((a, b) => (b.endedAt ?? '').localeCompare(a.endedAt ?? ''))
    .map((task) => task.rollbackTaskId as string);
  const rollbacks = [...new Set(rollbackIds)]
    .map((id) => model.graph.byId.get(id))
    .filter((task): task is RunbookTask => task !== undefined);
  return { running, late, nextDecision, stage, delay: timing.forecastEnd - timing.plannedEnd, rollbacks };
}

const byStage = (a: RunbookTask, b: RunbookTask) => RUNBOOK_STAGES.indexOf(a.stage) - RUNBOOK_STAGES.indexOf(b.stage);

/** What stands in a task's way, in the reader's words. */
export function describeBlockersIn(
  t: Translate,
  blockers: readonly StartBlocker[],
  titleOf: (id: string) => string,
): string {
  const titles = (ids: readonly string[]) => ids.map((id) => `“${titleOf(id)}”`).join(', ');
  return blockers
    .map((blocker) => {
      switch (blocker.code) {
        case 'RUNBOOK_NOT_RUNNING':
          return t('runbook.blocker.RUNBOOK_NOT_RUNNING');
        case 'ROLLBACK_CLOSED':
          return t('runbook.blocker.ROLLBACK_CLOSED');
        case 'PREDECESSOR':
          return t('runbook.blocker.PREDECESSOR', { titles: titles(blocker.taskIds) });
        case 'DECISION_PENDING':
          return t('runbook.blocker.DECISION_PENDING', { titles: titles(blocker.taskIds) });
        case 'NO_GO':
          return t('runbook.blocker.NO_GO', { titles: titles(blocker.taskIds) });
      }
    })
    .join(' · ');
}

/** A number of minutes as hours and minutes: `45 min`, `2 h 05`, `-1 h 30`. */
export function formatMinutes(minutes: number): string {
  const sign = minutes < 0 ? '-' : '';
  const whole = Math.round(Math.abs(minutes));
  if (whole < 60) return `${sign}${whole} min`;
  const hours = Math.floor(whole / 60);
  const rest = whole % 60;
  return `${sign}${hours} h ${String(rest).padStart(2, '0')}`;
}

/** A moment relative to T0: `T0`, `T+1:05`, `T−0:30`. */
export function formatOffset(minutes: number): string {
  const whole = Math.round(minutes);
  if (whole === 0) return 'T0';
  const absolute = Math.abs(whole);
  return `T${whole < 0 ? '−' : '+'}${Math.floor(absolute / 60)}:${String(absolute % 60).padStart(2, '0')}`;
}

/** A duration in seconds as a clock: `01:02:03`, with days in front when there are some (`2 d 01:02:03`). */
export function formatClock(seconds: number, dayUnit: string): string {
  const whole = Math.max(0, Math.floor(seconds));
  const days = Math.floor(whole / 86_400);
  const two = (value: number) => String(value).padStart(2, '0');
  const clock = `${two(Math.floor((whole % 86_400) / 3_600))}:${two(Math.floor((whole % 3_600) / 60))}:${two(whole % 60)}`;
  return days > 0 ? `${days} ${dayUnit} ${clock}` : clock;
}

/** A moment in minutes from T0 written as a date and time of the reader's zone. */
export function instantFormatter(language: string): (t0: number, minutes: number) => string {
  const format = new Intl.DateTimeFormat(language, {
    weekday: 'short',
    hour: '2-digit',
    minute: '2-digit',
  });
  return (t0, minutes) => format.format(new Date(t0 + minutes * 60_000));
}

/**
 * The rich instructions of a task, for the rich-text editor to bind to; null when the task holds
 * none (a third-party client may have written plain text). The one place the web client reads a
 * collection's map itself: libs/plan-model has no accessor for a nested rich field yet.
 */
export function instructionsFragment(doc: Y.Doc, taskId: string): Y.XmlFragment | null {
  return richFieldOf(doc, 'runbookTasks', taskId, 'instructions');
}
