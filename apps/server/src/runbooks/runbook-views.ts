import {
  compareRehearsal,
  decisionGates,
  type PlanContent,
  type RehearsalComparison,
  type Runbook,
  RunbookGraph,
  type RunbookTask,
  runbookTiming,
  type RunbookVote,
  type StageTiming,
  type StartBlocker,
} from '@bascule/plan-model';
import { groupBy } from '../common/text.js';

/** What runbook views are computed from: a plan's runbooks, their tasks and votes, and its checkpoints (the gates). */
export type RunbookContent = Pick<PlanContent, 'runbooks' | 'runbookTasks' | 'runbookVotes' | 'checkpoints'>;

/**
 * One task as the live view shows it to anyone (what a caller may do with it is added for each
 * caller). Plain data: it crosses instances as JSON in runbook task events.
 */
export interface TaskView {
  readonly task: RunbookTask;
  /** T0 in milliseconds (planned, else the actual start); null while neither is known. */
  readonly t0: number | null;
  /** In minutes from T0. */
  readonly plannedStart: number;
  readonly plannedEnd: number;
  readonly forecastStart: number | null;
  readonly forecastEnd: number | null;
  readonly late: boolean;
  readonly lateMinutes: number;
  readonly critical: boolean;
  readonly stopped: boolean;
  readonly blockers: readonly StartBlocker[];
  /** On a go / no-go point: the checkpoints that gate it. */
  readonly gates: readonly { readonly id: string; readonly title: string; readonly open: boolean }[];
  /** Who voted on it already. */
  readonly voterIds: readonly string[];
}

export interface RunbookView {
  readonly runbook: Runbook;
  readonly t0: number | null;
  /** In minutes from T0. */
  readonly plannedEnd: number;
  readonly forecastEnd: number;
  readonly criticalPath: readonly string[];
  readonly rollbackOpen: boolean;
  readonly stages: readonly StageTiming[];
  readonly tasks: readonly TaskView[];
  readonly votes: readonly RunbookVote[];
  /** On a rehearsal. */
  readonly comparison: RehearsalComparison | null;
}

/** The live view of a plan's runbooks (those `wanted`) at `now` (milliseconds), every list in display order. */
export function runbookViews(
  content: RunbookContent,
  now: number,
  wanted: (runbook: Runbook) => boolean = () => true,
): RunbookView[] {
  const tasksOf = groupBy(content.runbookTasks, (task) => task.runbookId);
  const votesOf = groupBy(content.runbookVotes, (vote) => vote.taskId);
  return content.runbooks.filter(wanted).map((runbook) => {
    const tasks = tasksOf.get(runbook.id) ?? [];
    const graph = new RunbookGraph(tasks);
    const timing = runbookTiming(runbook, graph, now);
    return {
      runbook,
      t0: timing.t0,
      plannedEnd: timing.plannedEnd,
      forecastEnd: timing.forecastEnd,
      criticalPath: timing.criticalPath,
      rollbackOpen: timing.rollbackOpen,
      stages: timing.stages,
      tasks: tasks.map((task): TaskView => {
        const figures = timing.tasks.get(task.id);
        if (figures === undefined) throw new Error(`runbook ${runbook.id}: no timing for task ${task.id}`);
        return {
          task,
          t0: timing.t0,
          plannedStart: figures.plannedStart,
          plannedEnd: figures.plannedEnd,
          forecastStart: figures.forecastStart,
          forecastEnd: figures.forecastEnd,
          late: figures.late,
          lateMinutes: figures.lateMinutes,
          critical: figures.critical,
          stopped: figures.stopped,
          blockers: figures.blockers,
          gates: task.kind === 'DECISION' ? decisionGates(task, runbook, content.checkpoints) : [],
          voterIds: (votesOf.get(task.id) ?? []).flatMap((vote) => vote.voterId ?? []),
        };
      }),
      votes: tasks.flatMap((task) => votesOf.get(task.id) ?? []).sort((a, b) => a.position - b.position),
      comparison: runbook.kind === 'REHEARSAL' ? compareRehearsal(timing, graph) : null,
    };
  });
}
