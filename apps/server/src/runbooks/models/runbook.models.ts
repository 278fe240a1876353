import { Field, ID, Int, ObjectType } from '@nestjs/graphql';
import {
  RUNBOOK_KINDS,
  RUNBOOK_STAGES,
  RUNBOOK_STATES,
  type StartBlocker,
  TASK_KINDS,
  TASK_STATUSES,
  VOTES,
} from '@bascule/plan-model';
import { documentEnum } from '../../common/document-enum.js';

export const RunbookStageEnum = documentEnum(
  RUNBOOK_STAGES,
  'RunbookStage',
  'The stages of a cutover, in the order they run; ROLLBACK tasks run only after a no-go or a failure.',
);
export const RunbookKindEnum = documentEnum(RUNBOOK_KINDS, 'RunbookKind', 'A live runbook, or a rehearsal of one.');
export const RunbookStateEnum = documentEnum(
  RUNBOOK_STATES,
  'RunbookState',
  'PLANNING until started; tasks run while RUNNING; COMPLETED once its last task ended, or ABORTED.',
);
export const RunbookOutcomeEnum = documentEnum(
  ['COMPLETED', 'ABORTED'] as const,
  'RunbookOutcome',
  'How a runbook ends (endRunbook).',
);
export const RunbookTaskKindEnum = documentEnum(
  TASK_KINDS,
  'RunbookTaskKind',
  'A task to do, or a go / no-go decision point its approvers vote on.',
);
export const RunbookTaskStatusEnum = documentEnum(
  TASK_STATUSES,
  'RunbookTaskStatus',
  'PENDING, then RUNNING, then DONE or FAILED (a failed task may run again); SKIPPED instead of running.',
);
export const GoNoGoEnum = documentEnum(VOTES, 'GoNoGo', 'A vote on a go / no-go point.');
export const RunbookDecisionEnum = documentEnum(
  ['PENDING', ...VOTES] as const,
  'RunbookDecision',
  'What the votes on a go / no-go point decided: NO_GO at the first no-go, GO once every approver said go.',
);

/** Every reason a task may not start, keyed so that a new one in the plan model must be listed here. */
const BLOCKER_CODES: Record<StartBlocker['code'], true> = {
  RUNBOOK_NOT_RUNNING: true,
  PREDECESSOR: true,
  DECISION_PENDING: true,
  NO_GO: true,
  ROLLBACK_CLOSED: true,
};
export const RunbookBlockerCodeEnum = documentEnum(
  Object.keys(BLOCKER_CODES) as StartBlocker['code'][],
  'RunbookBlockerCode',
  'Why a task may not start now: the runbook is not running, predecessors are not done, a go / no-go before it is pending or refused, or (a rollback task) nothing failed.',
);

@ObjectType('RunbookBlocker')
export class RunbookBlockerModel {
  @Field(() => RunbookBlockerCodeEnum) code!: string;
  @Field(() => [ID], { description: 'The tasks in the way (predecessors, go / no-go points).' }) taskIds!: string[];
}

@ObjectType('RunbookGate', { description: 'A compliance checkpoint a go / no-go point may not pass while it is open.' })
export class RunbookGateModel {
  @Field(() => ID) checkpointId!: string;
  @Field(() => String) title!: string;
  @Field(() => Boolean, { description: 'Neither PASSED nor WAIVED.' }) open!: boolean;
}

const planned = { nullable: true, description: 'Null while T0 is unknown.' } as const;

@ObjectType('RunbookTask')
export class RunbookTaskModel {
  @Field(() => ID) id!: string;
  @Field(() => Int, { description: 'Display order among the plan’s runbook tasks.' }) position!: number;
  @Field(() => ID) runbookId!: string;
  @Field(() => String) title!: string;
  @Field(() => RunbookTaskKindEnum) kind!: string;
  @Field(() => RunbookStageEnum) stage!: string;
  @Field(() => ID, { nullable: true, description: 'The member (user id) who runs it.' }) ownerId!: string | null;
  @Field(() => String, { nullable: true }) team!: string | null;
  @Field(() => Int, { nullable: true, description: 'Planned start in minutes from T0 (negative before it).' })
  startOffset!: number | null;
  @Field(() => Date, { nullable: true, description: 'A planned start at a fixed instant; wins over startOffset.' })
  startAt!: Date | null;
  @Field(() => Int, { nullable: true, description: 'Planned duration in minutes.' }) duration!: number | null;
  @Field(() => [ID], { description: 'Tasks of the same runbook that must be done (or skipped) first.' })
  dependsOn!: string[];
  @Field(() => [ID]) workloadIds!: string[];
  @Field(() => [ID], { description: 'Checkpoints that gate this go / no-go point (beside its runbook milestone’s).' })
  checkpointIds!: string[];
  @Field(() => [ID], { description: 'On a go / no-go point: who must vote; none: any plan OWNER or APPROVER.' })
  approverIds!: string[];
  @Field(() => String, { description: 'The rich instructions as plain text, one line per block.' })
  instructions!: string;
  @Field(() => String) verification!: string;
  @Field(() => ID, { nullable: true, description: 'The ROLLBACK task that undoes this one.' })
  rollbackTaskId!: string | null;
  @Field(() => ID, { nullable: true, description: 'On a rehearsal: the task of the runbook it copies.' })
  sourceTaskId!: string | null;

  @Field(() => RunbookTaskStatusEnum) status!: string;
  @Field(() => String, { nullable: true, description: 'Why it failed or was skipped.' }) reason!: string | null;
  @Field(() => Date, { nullable: true, description: 'Stamped by the server.' }) startedAt!: Date | null;
  @Field(() => String, { nullable: true }) startedBy!: string | null;
  @Field(() => Date, { nullable: true, description: 'Stamped by the server.' }) endedAt!: Date | null;
  @Field(() => String, { nullable: true }) endedBy!: string | null;
  @Field(() => RunbookDecisionEnum) decision!: string;

  @Field(() => Date, planned) plannedStart!: Date | null;
  @Field(() => Date, planned) plannedEnd!: Date | null;
  @Field(() => Date, { nullable: true, description: 'Null while T0 is unknown, or for a task that will not run.' })
  forecastStart!: Date | null;
  @Field(() => Date, { nullable: true, description: 'Null while T0 is unknown, or for a task that will not run.' })
  forecastEnd!: Date | null;
  @Field(() => Int, { description: 'Minutes from T0.' }) plannedStartOffset!: number;
  @Field(() => Int, { description: 'Minutes from T0.' }) plannedEndOffset!: number;
  @Field(() => Int, { nullable: true, description: 'Minutes from T0; null for a task that will not run.' })
  forecastStartOffset!: number | null;
  @Field(() => Int, { nullable: true, description: 'Minutes from T0; null for a task that will not run.' })
  forecastEndOffset!: number | null;
  @Field(() => Boolean, { description: 'Should have started (or ended) by now, while the runbook runs.' })
  late!: boolean;
  @Field(() => Int, { description: 'Minutes behind plan: of its start if not started, of its end otherwise.' })
  lateMinutes!: number;
  @Field(() => Boolean, { description: 'On the critical path of the forecast.' }) critical!: boolean;
  @Field(() => Boolean, { description: 'Held by a refused go / no-go point (a rollback task: nothing to roll back).' })
  stopped!: boolean;
  @Field(() => [RunbookBlockerModel], { description: 'Why it may not start now.' }) blockers!: RunbookBlockerModel[];
  @Field(() => [RunbookGateModel], { description: 'On a go / no-go point: the checkpoints that gate it.' })
  gates!: RunbookGateModel[];
  @Field(() => Boolean, {
    description: 'You may start it now (startTask): nothing in its way, and it is yours to run.',
  })
  canStart!: boolean;
  @Field(() => Boolean, { description: 'You may vote on this go / no-go point now.' }) canVote!: boolean;
}

@ObjectType('RunbookVote')
export class RunbookVoteModel {
  @Field(() => ID) id!: string;
  @Field(() => ID) taskId!: string;
  @Field(() => GoNoGoEnum) vote!: string;
  @Field(() => String, { nullable: true }) comment!: string | null;
  @Field(() => ID, { nullable: true, description: 'Stamped by the server.' }) voterId!: string | null;
  @Field(() => String, { nullable: true, description: 'Stamped by the server.' }) voterName!: string | null;
  @Field(() => Date, { nullable: true, description: 'Stamped by the server.' }) at!: Date | null;
}

@ObjectType('RunbookStageTiming')
export class RunbookStageTimingModel {
  @Field(() => RunbookStageEnum) stage!: string;
  @Field(() => Int) tasks!: number;
  @Field(() => Int, { description: 'Tasks done or skipped.' }) done!: number;
  @Field(() => Int, { nullable: true, description: 'Minutes from T0.' }) plannedStartOffset!: number | null;
  @Field(() => Int, { nullable: true, description: 'Minutes from T0.' }) plannedEndOffset!: number | null;
  @Field(() => Date, planned) plannedStart!: Date | null;
  @Field(() => Date, planned) plannedEnd!: Date | null;
  @Field(() => Date, { nullable: true }) actualStart!: Date | null;
  @Field(() => Date, { nullable: true, description: 'Once every task of the stage is done or skipped.' })
  actualEnd!: Date | null;
}

@ObjectType('RehearsalTaskComparison')
export class RehearsalTaskComparisonModel {
  @Field(() => ID) taskId!: string;
  @Field(() => ID, { nullable: true, description: 'The rehearsed runbook’s task, while it exists.' })
  sourceTaskId!: string | null;
  @Field(() => String) title!: string;
  @Field(() => RunbookStageEnum) stage!: string;
  @Field(() => Int) plannedMinutes!: number;
  @Field(() => Int, { nullable: true, description: 'Null for a task that did not run to its end.' })
  actualMinutes!: number | null;
  @Field(() => RunbookTaskStatusEnum) status!: string;
}

@ObjectType('RehearsalStageComparison')
export class RehearsalStageComparisonModel {
  @Field(() => RunbookStageEnum) stage!: string;
  @Field(() => Int) plannedMinutes!: number;
  @Field(() => Int, { nullable: true, description: 'First start to last end; null until the stage ended.' })
  actualMinutes!: number | null;
}

@ObjectType('RehearsalComparison', { description: 'Planned against actual durations of a rehearsal.' })
export class RehearsalComparisonModel {
  @Field(() => [RehearsalTaskComparisonModel]) tasks!: RehearsalTaskComparisonModel[];
  @Field(() => [RehearsalStageComparisonModel]) stages!: RehearsalStageComparisonModel[];
}

@ObjectType('Runbook', {
  description: 'A cutover runbook of a plan, with its live view computed at the server’s clock.',
})
export class RunbookModel {
  @Field(() => ID) id!: string;
  @Field(() => Int) position!: number;
  @Field(() => String) title!: string;
  @Field(() => RunbookKindEnum) kind!: string;
  @Field(() => ID, { nullable: true, description: 'On a rehearsal: the runbook it copies.' })
  rehearsalOf!: string | null;
  @Field(() => ID, {
    nullable: true,
    description: 'The milestone it cuts over: its checkpoints gate the go / no-go points.',
  })
  milestoneId!: string | null;
  @Field(() => Int, { nullable: true }) wave!: number | null;
  @Field(() => Date, { nullable: true, description: 'The planned start of the cutover.' }) t0!: Date | null;
  @Field(() => RunbookStateEnum) state!: string;
  @Field(() => Date, { nullable: true, description: 'Stamped by the server.' }) startedAt!: Date | null;
  @Field(() => Date, { nullable: true, description: 'Stamped by the server.' }) endedAt!: Date | null;
  @Field(() => Date, { nullable: true, description: 'Planned end; null while T0 is unknown.' })
  plannedEnd!: Date | null;
  @Field(() => Date, {
    nullable: true,
    description: 'End forecast from the actual progress along the critical path; null while T0 is unknown.',
  })
  forecastEnd!: Date | null;
  @Field(() => Int, { description: 'Minutes from T0.' }) plannedEndOffset!: number;
  @Field(() => Int, { description: 'Minutes from T0.' }) forecastEndOffset!: number;
  @Field(() => Int, { description: 'forecastEnd - plannedEnd in minutes, never negative.' }) delayMinutes!: number;
  @Field(() => [ID], { description: 'Tasks of the critical path of the forecast, first to last.' })
  criticalPath!: string[];
  @Field(() => Boolean, { description: 'A go / no-go point refused or a task failed: rollback tasks may run.' })
  rollbackOpen!: boolean;
  @Field(() => [RunbookStageTimingModel], { description: 'The stages that hold tasks, in running order.' })
  stages!: RunbookStageTimingModel[];
  @Field(() => [RunbookTaskModel], { description: 'In display order.' }) tasks!: RunbookTaskModel[];
  @Field(() => [RunbookVoteModel], { description: 'Votes on its go / no-go points, in the order cast.' })
  votes!: RunbookVoteModel[];
  @Field(() => RehearsalComparisonModel, { nullable: true, description: 'On a rehearsal: planned against actual.' })
  comparison!: RehearsalComparisonModel | null;
}

@ObjectType('RunbookTemplate')
export class RunbookTemplateModel {
  @Field(() => ID) id!: string;
  @Field(() => String) title!: string;
  @Field(() => String) description!: string;
  @Field(() => Boolean, { description: 'Made for plans like this one (runbookTemplates(planId)); listed first.' })
  suited!: boolean;
  @Field(() => Int) taskCount!: number;
  @Field(() => Int, { description: 'Go / no-go points.' }) decisionCount!: number;
  @Field(() => [RunbookStageEnum]) stages!: string[];
}
