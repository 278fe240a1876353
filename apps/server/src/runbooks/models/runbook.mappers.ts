import { type ChangeActor, mayActOn, mayVoteOn, type RunbookVote, type StageTiming } from '@bascule/plan-model';
import type { AuthContext } from '../../access/auth-context.js';
import { actorOf } from '../../changes/change-record.js';
import type { PlanRole } from '../../plans/entities.js';
import { canWrite } from '../../plans/plans.service.js';
import type { RunbookView, TaskView } from '../runbook-views.js';
import type { RunbookModel, RunbookStageTimingModel, RunbookTaskModel, RunbookVoteModel } from './runbook.models.js';

const MINUTE = 60_000;

/** Who reads a runbook, for what they may do with its tasks: as the governance rules would judge them. */
export interface Caller {
  readonly actor: ChangeActor;
  /** May change the plan at all (not a VIEWER). */
  readonly writes: boolean;
}

export function callerOf(auth: AuthContext, role: PlanRole): Caller {
  return {
    actor: actorOf({ kind: auth.principal, userId: auth.userId, apiTokenId: auth.apiTokenId, name: '', role }),
    writes: canWrite(role),
  };
}

const instant = (iso: string | null): Date | null => (iso === null ? null : new Date(iso));
const fromT0 = (t0: number | null, minutes: number | null): Date | null =>
  t0 === null || minutes === null ? null : new Date(t0 + minutes * MINUTE);
const round = (minutes: number | null): number | null => (minutes === null ? null : Math.round(minutes));

export function toRunbookTaskModel(view: TaskView, caller: Caller): RunbookTaskModel {
  const { task, t0 } = view;
  const free = view.blockers.length === 0;
  return {
    id: task.id,
    position: task.position,
    runbookId: task.runbookId ?? '',
    title: task.title,
    kind: task.kind,
    stage: task.stage,
    ownerId: task.ownerId,
    team: task.team,
    startOffset: task.startOffset,
    startAt: instant(task.startAt),
    duration: task.duration,
    dependsOn: [...task.dependsOn],
    workloadIds: [...task.workloadIds],
    checkpointIds: [...task.checkpointIds],
    approverIds: [...task.approverIds],
    instructions: task.instructions,
    verification: task.verification,
    rollbackTaskId: task.rollbackTaskId,
    sourceTaskId: task.sourceTaskId,
    status: task.status,
    reason: task.reason,
    startedAt: instant(task.startedAt),
    startedBy: task.startedBy,
    endedAt: instant(task.endedAt),
    endedBy: task.endedBy,
    decision: task.decision,
    plannedStart: fromT0(t0, view.plannedStart),
    plannedEnd: fromT0(t0, view.plannedEnd),
    forecastStart: fromT0(t0, view.forecastStart),
    forecastEnd: fromT0(t0, view.forecastEnd),
    plannedStartOffset: Math.round(view.plannedStart),
    plannedEndOffset: Math.round(view.plannedEnd),
    forecastStartOffset: round(view.forecastStart),
    forecastEndOffset: round(view.forecastEnd),
    late: view.late,
    lateMinutes: view.lateMinutes,
    critical: view.critical,
    stopped: view.stopped,
    blockers: view.blockers.map((blocker) => ({ code: blocker.code, taskIds: [...blocker.taskIds] })),
    gates: view.gates.map((gate) => ({ checkpointId: gate.id, title: gate.title, open: gate.open })),
    canStart:
      caller.writes &&
      free &&
      task.kind === 'TASK' &&
      (task.status === 'PENDING' || task.status === 'FAILED') &&
      mayActOn(caller.actor, task),
    canVote:
      caller.writes &&
      free &&
      task.kind === 'DECISION' &&
      task.decision === 'PENDING' &&
      mayVoteOn(caller.actor, task) &&
      !view.voterIds.includes(caller.actor.userId ?? ''),
  };
}

export function toRunbookVoteModel(vote: RunbookVote): RunbookVoteModel {
  return {
    id: vote.id,
    taskId: vote.taskId ?? '',
    vote: vote.vote,
    comment: vote.comment,
    voterId: vote.voterId,
    voterName: vote.voterName,
    at: instant(vote.at),
  };
}

function toStageModel(stage: StageTiming, t0: number | null): RunbookStageTimingModel {
  return {
    stage: stage.stage,
    tasks: stage.tasks,
    done: stage.done,
    plannedStartOffset: round(stage.plannedStart),
    plannedEndOffset: round(stage.plannedEnd),
    plannedStart: fromT0(t0, stage.plannedStart),
    plannedEnd: fromT0(t0, stage.plannedEnd),
    actualStart: fromT0(t0, stage.actualStart),
    actualEnd: fromT0(t0, stage.actualEnd),
  };
}

export function toRunbookModel(view: RunbookView, caller: Caller): RunbookModel {
  const { runbook, t0 } = view;
  return {
    id: runbook.id,
    position: runbook.position,
    title: runbook.title,
    kind: runbook.kind,
    rehearsalOf: runbook.rehearsalOf,
    milestoneId: runbook.milestoneId,
    wave: runbook.wave,
    t0: instant(runbook.t0),
    state: runbook.state,
    startedAt: instant(runbook.startedAt),
    endedAt: instant(runbook.endedAt),
    plannedEnd: fromT0(t0, view.plannedEnd),
    forecastEnd: fromT0(t0, view.forecastEnd),
    plannedEndOffset: Math.round(view.plannedEnd),
    forecastEndOffset: Math.round(view.forecastEnd),
    delayMinutes: Math.max(0, Math.round(view.forecastEnd - view.plannedEnd)),
    criticalPath: [...view.criticalPath],
    rollbackOpen: view.rollbackOpen,
    stages: view.stages.map((stage) => toStageModel(stage, t0)),
    tasks: view.tasks.map((task) => toRunbookTaskModel(task, caller)),
    votes: view.votes.map(toRunbookVoteModel),
    comparison:
      view.comparison === null
        ? null
        : {
            tasks: view.comparison.tasks.map((task) => ({ ...task })),
            stages: view.comparison.stages.map((stage) => ({ ...stage })),
          },
  };
}
