import { isCleared } from './checkpoint-status.js';
import {
  type Checkpoint,
  RUNBOOK_STAGES,
  type Runbook,
  type RunbookStage,
  type RunbookTask,
  type RunbookVote,
  type TaskStatus,
} from './schema.js';

/**
 * A cutover runbook as its live view shows it: planned times from T0 and the predecessors, what
 * may start, what is late and by how much, the forecast end recomputed from the actual progress
 * along the critical path. Pure: the same runbook, tasks and `now` give the same view.
 */

const MINUTE = 60_000;
const STAGE_INDEX = new Map<string, number>(RUNBOOK_STAGES.map((stage, index) => [stage, index]));
const RESOLVED: ReadonlySet<TaskStatus> = new Set(['DONE', 'SKIPPED']);

/** The fields of a task the rules and the view read (the reader's `RunbookTask` has them all). */
export type TaskFacts = Pick<
  RunbookTask,
  | 'id'
  | 'position'
  | 'kind'
  | 'stage'
  | 'status'
  | 'dependsOn'
  | 'decision'
  | 'startOffset'
  | 'startAt'
  | 'duration'
  | 'startedAt'
  | 'endedAt'
  | 'ownerId'
  | 'approverIds'
  | 'checkpointIds'
  | 'title'
>;

export type RunbookFacts = Pick<Runbook, 'id' | 'kind' | 'state' | 't0' | 'startedAt' | 'milestoneId' | 'endedAt'>;

/** Why a task may not start now. */
export interface StartBlocker {
  readonly code: 'RUNBOOK_NOT_RUNNING' | 'PREDECESSOR' | 'DECISION_PENDING' | 'NO_GO' | 'ROLLBACK_CLOSED';
  /** The tasks in the way (predecessors not done, decision points pending or refused). */
  readonly taskIds: readonly string[];
}

const byPosition = (a: TaskFacts, b: TaskFacts) => a.position - b.position || (a.id < b.id ? -1 : 1);

/**
 * The tasks of one runbook as a graph: in an order where predecessors come first, with the go /
 * no-go points holding each task (those it follows, directly or not, and those of earlier stages).
 */
export class RunbookGraph<T extends TaskFacts = TaskFacts> {
  readonly byId: ReadonlyMap<string, T>;
  /** Predecessors first; among equals, in display order. */
  readonly ordered: readonly T[];
  private readonly holds = new Map<string, readonly string[]>();
  private readonly edges = new Map<string, readonly string[]>();

  constructor(tasks: Iterable<T>) {
    const list = [...tasks].sort(byPosition);
    this.byId = new Map(list.map((task) => [task.id, task]));
    const decisions = list.filter((task) => task.kind === 'DECISION' && task.stage !== 'ROLLBACK');
    // A task follows its predecessors and the go / no-go points of earlier stages.
    const edgesOf = (task: T) => {
      const stage = STAGE_INDEX.get(task.stage) ?? 0;
      const earlier =
        task.stage === 'ROLLBACK'
          ? []
          : decisions.filter((decision) => (STAGE_INDEX.get(decision.stage) ?? 0) < stage).map((found) => found.id);
      return [...new Set([...task.dependsOn.filter((id) => this.byId.has(id)), ...earlier])];
    };
    const ordered: T[] = [];
    const state = new Map<string, 'visiting' | 'done'>();
    const visit = (task: T) => {
      state.set(task.id, 'visiting');
      const after: string[] = [];
      const held = new Set<string>();
      for (const id of edgesOf(task)) {
        // A cycle (two concurrent edits, or a decision following a task of a later stage): not followed.
        if (state.get(id) === 'visiting') continue;
        const predecessor = this.byId.get(id) as T;
        if (!state.has(id)) visit(predecessor);
        after.push(id);
        if (predecessor.kind === 'DECISION' && predecessor.stage !== 'ROLLBACK') held.add(id);
        for (const found of this.holds.get(id) ?? []) held.add(found);
      }
      this.edges.set(task.id, after);
      this.holds.set(task.id, task.stage === 'ROLLBACK' ? [] : [...held]);
      state.set(task.id, 'done');
      ordered.push(task);
    };
    for (const task of list) if (!state.has(task.id)) visit(task);
    this.ordered = ordered;
  }

  /** What a task follows: its predecessors and the go / no-go points of earlier stages. */
  after(task: T): T[] {
    return (this.edges.get(task.id) ?? []).map((id) => this.byId.get(id) as T);
  }

  /** The go / no-go points a task waits for. */
  decisionsHolding(taskId: string): readonly string[] {
    return this.holds.get(taskId) ?? [];
  }

  predecessors(task: T): T[] {
    return task.dependsOn.map((id) => this.byId.get(id)).filter((found): found is T => found !== undefined);
  }

  /** Whether the rollback path is open: a go / no-go point refused, or a task failed. */
  rollbackOpen(): boolean {
    for (const task of this.byId.values())
      if (task.stage !== 'ROLLBACK' && (task.decision === 'NO_GO' || task.status === 'FAILED')) return true;
    return false;
  }

  /** Why `task` may not start now; empty when it may. */
  startBlockers(task: T, runbook: RunbookFacts): StartBlocker[] {
    const blockers: StartBlocker[] = [];
    if (runbook.state !== 'RUNNING') blockers.push({ code: 'RUNBOOK_NOT_RUNNING', taskIds: [] });
    if (task.stage === 'ROLLBACK' && !this.rollbackOpen()) blockers.push({ code: 'ROLLBACK_CLOSED', taskIds: [] });
    const waiting = this.predecessors(task).filter((predecessor) => !RESOLVED.has(predecessor.status));
    if (waiting.length > 0) blockers.push({ code: 'PREDECESSOR', taskIds: waiting.map((found) => found.id) });
    const decisions = this.decisionsHolding(task.id).map((id) => this.byId.get(id) as T);
    const refused = decisions.filter((decision) => decision.decision === 'NO_GO');
    if (refused.length > 0) blockers.push({ code: 'NO_GO', taskIds: refused.map((found) => found.id) });
    const pending = decisions.filter(
      (decision) => decision.decision === 'PENDING' && !waiting.some((found) => found.id === decision.id),
    );
    if (pending.length > 0) blockers.push({ code: 'DECISION_PENDING', taskIds: pending.map((found) => found.id) });
    return blockers;
  }
}

/**
 * The checkpoints that a go / no-go point may not pass while they are open: its own and its
 * runbook's milestone's. A rehearsal has none: a dry run is not held by the real gates.
 */
export function decisionGates(
  task: Pick<TaskFacts, 'checkpointIds'>,
  runbook: Pick<RunbookFacts, 'milestoneId' | 'kind'>,
  checkpoints: Iterable<Pick<Checkpoint, 'id' | 'milestoneIds' | 'status' | 'title'>>,
): { id: string; title: string; open: boolean }[] {
  const gates: { id: string; title: string; open: boolean }[] = [];
  if (runbook.kind === 'REHEARSAL') return gates;
  for (const checkpoint of checkpoints)
    if (
      task.checkpointIds.includes(checkpoint.id) ||
      (runbook.milestoneId !== null && checkpoint.milestoneIds.includes(runbook.milestoneId))
    )
      gates.push({ id: checkpoint.id, title: checkpoint.title, open: !isCleared(checkpoint.status) });
  return gates;
}

/** What the votes on a go / no-go point decide: NO_GO at the first no-go, GO once every approver said go. */
export function decisionOf(
  task: Pick<TaskFacts, 'approverIds'>,
  votes: readonly Pick<RunbookVote, 'vote' | 'voterId'>[],
): 'PENDING' | 'GO' | 'NO_GO' {
  if (votes.some((vote) => vote.vote === 'NO_GO')) return 'NO_GO';
  const said = new Set(votes.filter((vote) => vote.vote === 'GO').map((vote) => vote.voterId));
  if (task.approverIds.length === 0) return said.size > 0 ? 'GO' : 'PENDING';
  return task.approverIds.every((id) => said.has(id)) ? 'GO' : 'PENDING';
}

export interface TaskTiming {
  readonly id: string;
  /** Planned start and end, in minutes from T0. */
  readonly plannedStart: number;
  readonly plannedEnd: number;
  /** Forecast start and end from the actual progress, in minutes from T0; null for a task that will not run. */
  readonly forecastStart: number | null;
  readonly forecastEnd: number | null;
  /** Actual start and end in minutes from T0 (the server's stamps). */
  readonly actualStart: number | null;
  readonly actualEnd: number | null;
  /** Should have started (or ended) by now and has not: by how many minutes. */
  readonly late: boolean;
  /** Minutes behind plan: of the start for a task not started, of the end for one running or ended. */
  readonly lateMinutes: number;
  readonly blockers: readonly StartBlocker[];
  /** On the critical path of the forecast. */
  readonly critical: boolean;
  /** Held by a refused go / no-go point: will not run unless decided again. */
  readonly stopped: boolean;
}

export interface StageTiming {
  readonly stage: RunbookStage;
  readonly tasks: number;
  readonly done: number;
  readonly plannedStart: number | null;
  readonly plannedEnd: number | null;
  readonly actualStart: number | null;
  readonly actualEnd: number | null;
}

export interface RunbookTiming {
  /** T0 as an instant in milliseconds: planned T0, else the actual start; null when neither is known. */
  readonly t0: number | null;
  readonly tasks: ReadonlyMap<string, TaskTiming>;
  readonly stages: readonly StageTiming[];
  /** End of the cutover as planned and as forecast now, in minutes from T0. */
  readonly plannedEnd: number;
  readonly forecastEnd: number;
  /** Tasks of the critical path, first to last. */
  readonly criticalPath: readonly string[];
  readonly rollbackOpen: boolean;
}

/** Minutes from T0 of an instant. */
const minutesFrom = (t0: number, instant: string | null): number | null =>
  instant === null ? null : (Date.parse(instant) - t0) / MINUTE;

/**
 * Planned and forecast times of a runbook's tasks at `now` (milliseconds). A task starts at its
 * fixed instant or its offset from T0, and never before its predecessors end; one with neither
 * follows its predecessors (or starts at T0). The forecast replaces plans by stamps where there
 * are some, pushes what has not started to `now` at the earliest, and leaves out what a no-go stopped.
 */
export function runbookTiming<T extends TaskFacts>(
  runbook: RunbookFacts,
  graph: RunbookGraph<T>,
  now: number,
): RunbookTiming {
  const t0 =
    runbook.t0 !== null ? Date.parse(runbook.t0) : runbook.startedAt !== null ? Date.parse(runbook.startedAt) : null;
  const base = t0 ?? now;
  const running = runbook.state === 'RUNNING';
  const nowAt = (now - base) / MINUTE;
  const rollbackOpen = graph.rollbackOpen();
  const timings = new Map<string, TaskTiming & { driver: string | null }>();
  for (const task of graph.ordered) {
    const duration = task.duration ?? 0;
    const predecessors = graph.after(task).map((found) => timings.get(found.id));
    const actualStart = minutesFrom(base, task.startedAt);
    const actualEnd = minutesFrom(base, task.endedAt);
    // A rollback task has no plan of its own unless it was given a start: it runs when rollback opens.
    const planless = task.stage === 'ROLLBACK' && task.startAt === null && task.startOffset === null;
    const anchor =
      task.startAt !== null
        ? (Date.parse(task.startAt) - base) / MINUTE
        : task.startOffset !== null
          ? task.startOffset
          : planless
            ? (actualStart ?? (running ? nowAt : 0))
            : predecessors.length === 0
              ? 0
              : Number.NEGATIVE_INFINITY;
    let plannedStart = anchor;
    for (const found of predecessors) if (found !== undefined) plannedStart = Math.max(plannedStart, found.plannedEnd);
    if (!Number.isFinite(plannedStart)) plannedStart = 0;
    const plannedEnd = plannedStart + duration;
    const blockers = graph.startBlockers(task, runbook);
    const stopped =
      task.stage === 'ROLLBACK'
        ? !rollbackOpen
        : blockers.some((blocker) => blocker.code === 'NO_GO') ||
          predecessors.some((found) => found !== undefined && found.stopped);
    let forecastStart: number | null = null;
    let forecastEnd: number | null = null;
    // Done or skipped, or a go / no-go point decided (a no-go ends it, FAILED): as it happened.
    const ended = RESOLVED.has(task.status) || (task.kind === 'DECISION' && task.decision !== 'PENDING');
    if (!stopped) {
      if (ended) {
        forecastStart = actualStart ?? plannedStart;
        forecastEnd = actualEnd ?? forecastStart;
      } else if (task.status === 'RUNNING') {
        forecastStart = actualStart ?? nowAt;
        forecastEnd = Math.max(forecastStart + duration, running ? nowAt : forecastStart);
      } else {
        // Pending, or failed and to be done again: not before its plan, its predecessors, or now.
        forecastStart = Math.max(plannedStart, running ? nowAt : plannedStart);
        for (const found of predecessors) forecastStart = Math.max(forecastStart, found?.forecastEnd ?? forecastStart);
        forecastEnd = forecastStart + duration;
      }
    }
    // The predecessor that ends last drives this task's start when it ends as this one starts.
    const latest = predecessors.reduce<(typeof predecessors)[number]>(
      (best, found) => ((found?.forecastEnd ?? -Infinity) > (best?.forecastEnd ?? -Infinity) ? found : best),
      undefined,
    );
    const driver =
      latest?.forecastEnd !== null &&
      latest !== undefined &&
      forecastStart !== null &&
      latest.forecastEnd >= forecastStart - 1
        ? latest.id
        : null;
    // Late: not started by its planned start, or running past its planned end; once ended (failed
    // included: the failure is what tells), by how much it ended after its planned end.
    const pending = task.status === 'PENDING' && !ended;
    const lateMinutes = stopped
      ? 0
      : pending
        ? running
          ? Math.max(0, nowAt - plannedStart)
          : 0
        : task.status === 'RUNNING' && !ended
          ? Math.max(0, nowAt - plannedEnd)
          : Math.max(0, (actualEnd ?? plannedEnd) - plannedEnd);
    const live = running && !ended && (pending || task.status === 'RUNNING');
    timings.set(task.id, {
      id: task.id,
      plannedStart,
      plannedEnd,
      forecastStart,
      forecastEnd,
      actualStart,
      actualEnd,
      late: live && lateMinutes > 0 && !stopped,
      lateMinutes: Math.round(lateMinutes),
      blockers,
      critical: false,
      stopped,
      driver,
    });
  }
  const main = graph.ordered.filter((task) => task.stage !== 'ROLLBACK');
  const plannedEnd = Math.max(0, ...main.map((task) => timings.get(task.id)?.plannedEnd ?? 0));
  let last: (TaskTiming & { driver: string | null }) | undefined;
  for (const task of graph.ordered) {
    const timing = timings.get(task.id);
    if (timing?.forecastEnd === null || timing === undefined) continue;
    if (task.stage === 'ROLLBACK' && !rollbackOpen) continue;
    if (last === undefined || (timing.forecastEnd ?? 0) > (last.forecastEnd ?? 0)) last = timing;
  }
  const criticalPath: string[] = [];
  for (let step = last; step !== undefined; step = step.driver === null ? undefined : timings.get(step.driver)) {
    criticalPath.unshift(step.id);
    timings.set(step.id, { ...step, critical: true });
  }
  const stages = RUNBOOK_STAGES.map((stage): StageTiming => {
    const inStage = graph.ordered.filter((task) => task.stage === stage);
    const of = (pick: (timing: TaskTiming) => number | null) =>
      inStage
        .map((task) => pick(timings.get(task.id) as TaskTiming))
        .filter((value): value is number => value !== null);
    const min = (values: number[]) => (values.length === 0 ? null : Math.min(...values));
    const max = (values: number[]) => (values.length === 0 ? null : Math.max(...values));
    const ended = inStage.every((task) => RESOLVED.has(task.status));
    return {
      stage,
      tasks: inStage.length,
      done: inStage.filter((task) => RESOLVED.has(task.status)).length,
      plannedStart: min(of((timing) => timing.plannedStart)),
      plannedEnd: max(of((timing) => timing.plannedEnd)),
      actualStart: min(of((timing) => timing.actualStart)),
      actualEnd: ended ? max(of((timing) => timing.actualEnd)) : null,
    };
  }).filter((stage) => stage.tasks > 0);
  return {
    t0,
    tasks: timings,
    stages,
    plannedEnd,
    forecastEnd: last?.forecastEnd ?? plannedEnd,
    criticalPath,
    rollbackOpen,
  };
}

/** One task of a rehearsal against its plan. */
export interface RehearsalTaskComparison {
  readonly taskId: string;
  /** The task of the rehearsed runbook it copies, when it still exists. */
  readonly sourceTaskId: string | null;
  readonly title: string;
  readonly stage: RunbookStage;
  readonly plannedMinutes: number;
  /** Null for a task that did not run to its end. */
  readonly actualMinutes: number | null;
  readonly status: TaskStatus;
}

export interface RehearsalComparison {
  readonly tasks: readonly RehearsalTaskComparison[];
  readonly stages: readonly { stage: RunbookStage; plannedMinutes: number; actualMinutes: number | null }[];
}

/** Planned against actual durations, per task and per stage (first start to last end), of a rehearsal. */
export function compareRehearsal<T extends TaskFacts & Pick<RunbookTask, 'sourceTaskId'>>(
  timing: RunbookTiming,
  graph: RunbookGraph<T>,
): RehearsalComparison {
  const tasks = graph.ordered
    .filter((task) => task.stage !== 'ROLLBACK' || task.startedAt !== null)
    .sort(byPosition)
    .map((task): RehearsalTaskComparison => {
      // A go / no-go point is timed from its first vote, not from its opening: its duration is not measured.
      const ran = task.status === 'DONE' && task.kind === 'TASK' && task.startedAt !== null && task.endedAt !== null;
      return {
        taskId: task.id,
        sourceTaskId: task.sourceTaskId,
        title: task.title,
        stage: task.stage,
        plannedMinutes: task.duration ?? 0,
        actualMinutes: ran
          ? Math.round((Date.parse(task.endedAt ?? '') - Date.parse(task.startedAt ?? '')) / MINUTE)
          : null,
        status: task.status,
      };
    });
  const stages = timing.stages.map((stage) => ({
    stage: stage.stage,
    plannedMinutes: Math.round((stage.plannedEnd ?? 0) - (stage.plannedStart ?? 0)),
    actualMinutes:
      stage.actualStart === null || stage.actualEnd === null ? null : Math.round(stage.actualEnd - stage.actualStart),
  }));
  return { tasks, stages };
}
