import type { Values } from './document.js';
import type { ChangeActor, RefusalCode } from './governance.js';
import {
  decisionGates,
  decisionOf,
  RunbookGraph,
  type RunbookFacts,
  type StartBlocker,
  type TaskFacts,
} from './runbook.js';
import type { EntryChanges, RuleReview } from './rule-review.js';
import type { CollectionName, RunbookTask, TaskStatus } from './schema.js';

/** The moves a task's status may make; every other is refused. */
const MOVES: Readonly<Record<TaskStatus, readonly TaskStatus[]>> = {
  PENDING: ['RUNNING', 'SKIPPED'],
  RUNNING: ['DONE', 'FAILED'],
  FAILED: ['RUNNING', 'SKIPPED'],
  DONE: [],
  SKIPPED: [],
};

const RUNBOOK_MOVES: Readonly<Record<string, readonly string[]>> = {
  PLANNING: ['RUNNING', 'ABORTED'],
  RUNNING: ['COMPLETED', 'ABORTED'],
  COMPLETED: [],
  ABORTED: [],
};

const TASK_STAMPS = ['startedAt', 'startedBy', 'endedAt', 'endedBy', 'decision'];
const RUNBOOK_STAMPS = ['startedAt', 'endedAt'];

const title = (values: Values | undefined) => `"${String(values?.title ?? '')}"`;

/** Whether the actor may act on a task: the plan's owners and editors, and the task's owner. */
export const mayActOn = (actor: ChangeActor, task: Pick<TaskFacts, 'ownerId'>): boolean =>
  actor.canEdit || (actor.userId !== null && actor.userId === task.ownerId);

/** Whether the actor may vote on a go / no-go point: its named approvers, or with none named the plan's owners and approvers. */
export const mayVoteOn = (actor: ChangeActor, task: Pick<TaskFacts, 'approverIds'>): boolean =>
  task.approverIds.length === 0 ? actor.canApprove : actor.userId !== null && task.approverIds.includes(actor.userId);

/** What stands in a task's way, in words. */
export function describeBlockers(
  blockers: readonly StartBlocker[],
  tasks: ReadonlyMap<string, Pick<TaskFacts, 'title'>>,
): string {
  const titles = (ids: readonly string[]) => ids.map((id) => `"${tasks.get(id)?.title ?? id}"`).join(', ');
  return blockers
    .map((blocker) => {
      switch (blocker.code) {
        case 'RUNBOOK_NOT_RUNNING':
          return 'the runbook is not running';
        case 'ROLLBACK_CLOSED':
          return 'rollback tasks run only after a no-go or a failed task';
        case 'PREDECESSOR':
          return `waiting for ${titles(blocker.taskIds)}`;
        case 'DECISION_PENDING':
          return `waiting for the go / no-go ${titles(blocker.taskIds)}`;
        case 'NO_GO':
          return `stopped by the no-go ${titles(blocker.taskIds)}`;
      }
    })
    .join('; ');
}

/** Fields of a task that decide its order and its gates: frozen once its runbook has started. */
const TASK_STRUCTURE = ['runbookId', 'kind', 'stage', 'dependsOn', 'approverIds', 'checkpointIds'];
/** Fields of a runbook frozen once it has started: what gates it, when it starts, what it is. */
const RUNBOOK_STRUCTURE = ['milestoneId', 't0', 'kind', 'rehearsalOf'];

/**
 * The rules of a cutover runbook's execution, on what a change did (with the plan already past it).
 * Who may do something is judged on the entry as it was before the change, never as the change
 * made it (a change cannot make its author the owner or the approver of what it then does).
 * - a runbook starts (PLANNING to RUNNING) and ends (COMPLETED or ABORTED) by the plan's owners and
 *   editors only; the server stamps when. Once started, its structure is frozen: its milestone,
 *   T0 and kind, and, of its tasks, their runbook, kind, stage, predecessors, approvers and gates
 *   (new tasks may still be added). A running runbook is not deleted (abort it first); an ended
 *   one only by the plan's owners and editors; a task of a started runbook only while PENDING,
 *   without votes and not a go / no-go point, by the plan's owners and editors;
 * - a task's owner is assigned by the plan's owners and editors;
 * - a task's status moves only as MOVES allows, by the task's owner or the plan's owners and
 *   editors, only while its runbook runs; it starts only when nothing stands in its way (its
 *   predecessors done or skipped, the go / no-go points before it passed, a rollback task only once
 *   rolling back is open); failing or skipping needs a reason; the server stamps who and when, and
 *   completes the runbook when its last task ends and nothing runs;
 * - a go / no-go point is decided by votes alone: a vote is a new entry by one of its approvers,
 *   once each, while it is open; a GO that would pass it while a gating checkpoint is open is
 *   refused (rehearsals have no gates); the server stamps the voter and the time and writes the
 *   decision; a vote is never changed or taken back;
 * - stamps are the server's: a client's write of them is reverted.
 */
export function reviewRunbookChanges(review: RuleReview): void {
  const { actor, at } = review;
  // A runbook as it was before the change (its state, its gates): what the rules judge against.
  const runbookBefore = (id: unknown): RunbookFacts | undefined => {
    if (typeof id !== 'string') return undefined;
    const fields = review.changed('runbooks').get(id);
    const current = review.entry('runbooks', id);
    if (fields === undefined) return current as unknown as RunbookFacts | undefined;
    const whole = fields.get(null);
    if (whole?.action === 'deleted') return whole.before as unknown as RunbookFacts;
    if (current === undefined) return undefined;
    const before = (field: string) => review.before(fields, field, current);
    return {
      ...(current as unknown as RunbookFacts),
      state: (before('state') as RunbookFacts['state'] | undefined) ?? 'PLANNING',
      milestoneId: (before('milestoneId') as string | null | undefined) ?? null,
      t0: (before('t0') as string | null | undefined) ?? null,
      kind: (before('kind') as RunbookFacts['kind'] | undefined) ?? 'LIVE',
    };
  };
  const started = (runbook: RunbookFacts | undefined) => runbook !== undefined && runbook.state !== 'PLANNING';
  // A task as it was before the change (its structure, its status, its decision): the order a
  // start or a vote is judged against cannot be changed by the same change.
  const taskBefore = (task: Values): RunbookTask => {
    const fields = review.changed('runbookTasks').get(task.id as string);
    if (fields === undefined || fields.get(null)?.action === 'created') return task as unknown as RunbookTask;
    const kept = [...TASK_STRUCTURE, 'status', 'decision'].map((field) => [field, review.before(fields, field, task)]);
    return { ...task, ...Object.fromEntries(kept) } as unknown as RunbookTask;
  };
  // Each runbook's graph as it was, built once and only for runbooks the change touched.
  const graphs = new Map<string, RunbookGraph<RunbookTask>>();
  const graphOf = (runbookId: string) => {
    let graph = graphs.get(runbookId);
    if (graph === undefined) {
      const tasks = [...review.all('runbookTasks')].map(taskBefore).filter((task) => task.runbookId === runbookId);
      graphs.set(runbookId, (graph = new RunbookGraph(tasks)));
    }
    return graph;
  };
  const stampsReverted = (
    collection: CollectionName,
    entryId: string,
    fields: EntryChanges,
    current: Values,
    stamps: readonly string[],
  ) => {
    const forged = stamps.filter(
      (field) =>
        fields.has(field) ||
        (fields.get(null)?.action === 'created' && current[field] !== null && current[field] !== 'PENDING'),
    );
    if (forged.length === 0) return false;
    review.refuse(
      'SERVER_FIELD',
      collection,
      entryId,
      `${forged.join(', ')} ${forged.length === 1 ? 'is' : 'are'} stamped by the server`,
    );
    review.correct(
      collection,
      entryId,
      Object.fromEntries(
        forged.map((field) => [
          field,
          review.before(fields, field, current) ?? (field === 'decision' ? 'PENDING' : null),
        ]),
      ),
    );
    return true;
  };
  /** Puts back fields of an existing entry that the change may not make; true when there were some. */
  const frozen = (
    collection: CollectionName,
    entryId: string,
    fields: EntryChanges,
    current: Values,
    names: readonly string[],
    why: string,
  ) => {
    if (fields.get(null)?.action === 'created') return false;
    const moved = names.filter((field) => fields.has(field));
    if (moved.length === 0) return false;
    review.refuse('TASK_ORDER', collection, entryId, `${moved.join(', ')} of ${title(current)} ${why}`);
    review.correct(
      collection,
      entryId,
      Object.fromEntries(moved.map((field) => [field, review.before(fields, field, current) ?? null])),
    );
    return true;
  };
  const completedRunbooks = new Set<string>();

  reviewDeletions(review, runbookBefore);

  // Runbooks: starting and ending; a started one's structure.
  for (const [entryId, fields] of review.changed('runbooks')) {
    const current = review.entry('runbooks', entryId);
    if (current === undefined) continue;
    stampsReverted('runbooks', entryId, fields, current, RUNBOOK_STAMPS);
    const before = runbookBefore(entryId);
    if (started(before))
      frozen('runbooks', entryId, fields, current, RUNBOOK_STRUCTURE, 'cannot change once the runbook has started');
    const from = before?.state ?? 'PLANNING';
    const state = current.state as string;
    if (from === state) continue;
    const revert = () => review.correct('runbooks', entryId, { state: from });
    if (!actor.canEdit) {
      review.refuse(
        'TASK_ACTOR',
        'runbooks',
        entryId,
        `only the plan's owners and editors may start or end ${title(current)}`,
      );
      revert();
    } else if (!(RUNBOOK_MOVES[from] ?? []).includes(state)) {
      review.refuse('TASK_ORDER', 'runbooks', entryId, `${title(current)} cannot go from ${from} to ${state}`);
      revert();
    } else
      review.correct('runbooks', entryId, state === 'RUNNING' ? { startedAt: at, endedAt: null } : { endedAt: at });
  }

  // Tasks: their owner, their structure once started, and moving through their statuses.
  for (const [entryId, fields] of review.changed('runbookTasks')) {
    const current = review.entry('runbookTasks', entryId);
    if (current === undefined) continue;
    stampsReverted('runbookTasks', entryId, fields, current, TASK_STAMPS);
    const task = current as unknown as RunbookTask;
    const created = fields.get(null)?.action === 'created';
    const ownerBefore = created ? task.ownerId : ((review.before(fields, 'ownerId', current) as string | null) ?? null);
    if (!created && fields.has('ownerId') && !actor.canEdit) {
      review.refuse(
        'TASK_ACTOR',
        'runbookTasks',
        entryId,
        `only the plan's owners and editors may give ${title(current)} to someone`,
      );
      review.correct('runbookTasks', entryId, { ownerId: ownerBefore });
    }
    // Its runbook as it was, and the one it would move to: a started one's tasks keep their place.
    const runbookIdBefore = created ? task.runbookId : (review.before(fields, 'runbookId', current) as string | null);
    if (started(runbookBefore(runbookIdBefore)) || (fields.has('runbookId') && started(runbookBefore(task.runbookId))))
      frozen('runbookTasks', entryId, fields, current, TASK_STRUCTURE, 'cannot change once its runbook has started');
    const before = (review.before(fields, 'status', current) as TaskStatus | undefined) ?? 'PENDING';
    const statusChanged = before !== task.status;
    const reasonChanged = fields.has('reason') && !created;
    if (!statusChanged && !reasonChanged) continue;
    const revert = () =>
      review.correct('runbookTasks', entryId, {
        status: before,
        reason: review.before(fields, 'reason', current) ?? null,
      });
    if (!mayActOn(actor, { ownerId: ownerBefore })) {
      review.refuse(
        'TASK_ACTOR',
        'runbookTasks',
        entryId,
        `only the owner of ${title(current)} and the plan's owners and editors may act on it`,
      );
      revert();
      continue;
    }
    if (!statusChanged) continue;
    const runbook = runbookBefore(runbookIdBefore);
    if (task.kind === 'DECISION' || (!created && review.before(fields, 'kind', current) === 'DECISION')) {
      review.refuse(
        'TASK_ORDER',
        'runbookTasks',
        entryId,
        `${title(current)} is a go / no-go point: its approvers' votes decide it`,
      );
      revert();
      continue;
    }
    if (runbook === undefined || runbook.state !== 'RUNNING') {
      review.refuse(
        'TASK_ORDER',
        'runbookTasks',
        entryId,
        `${title(current)} cannot change while its runbook is not running`,
      );
      revert();
      continue;
    }
    if (!MOVES[before].includes(task.status)) {
      review.refuse(
        'TASK_ORDER',
        'runbookTasks',
        entryId,
        `${title(current)} cannot go from ${before} to ${task.status}`,
      );
      revert();
      continue;
    }
    if (task.status === 'RUNNING') {
      const graph = graphOf(runbook.id);
      const blockers = graph.startBlockers(taskBefore(current), runbook);
      if (blockers.length > 0) {
        review.refuse(
          'TASK_ORDER',
          'runbookTasks',
          entryId,
          `${title(current)} cannot start: ${describeBlockers(blockers, graph.byId)}`,
          blockers.flatMap((blocker) => blocker.taskIds),
        );
        revert();
        continue;
      }
      review.correct('runbookTasks', entryId, { startedAt: at, startedBy: actor.name, endedAt: null, endedBy: null });
      continue;
    }
    if ((task.status === 'FAILED' || task.status === 'SKIPPED') && (task.reason ?? '').trim() === '') {
      review.refuse(
        'REASON_REQUIRED',
        'runbookTasks',
        entryId,
        `${title(current)} needs a reason to be ${task.status.toLowerCase()}`,
      );
      revert();
      continue;
    }
    review.correct('runbookTasks', entryId, { endedAt: at, endedBy: actor.name });
    completedRunbooks.add(runbook.id);
  }

  // Votes: new entries only, one per approver, while the point is open.
  const accepted = new Map<string, { vote: string; voterId: string | null }[]>();
  const votesOn = (taskId: string) => {
    let list = accepted.get(taskId);
    if (list === undefined) {
      list = [...review.all('runbookVotes')]
        .filter((vote) => vote.taskId === taskId && typeof vote.voterId === 'string')
        .map((vote) => ({ vote: vote.vote as string, voterId: vote.voterId as string }));
      accepted.set(taskId, list);
    }
    return list;
  };
  for (const [entryId, fields] of review.changed('runbookVotes')) {
    const whole = fields.get(null);
    const current = review.entry('runbookVotes', entryId);
    if (whole?.action === 'deleted' || current === undefined) continue; // judged with the deletions
    if (whole?.action !== 'created') {
      review.refuse('VOTE_REFUSED', 'runbookVotes', entryId, 'a vote cannot be changed');
      review.correct(
        'runbookVotes',
        entryId,
        Object.fromEntries(
          [...fields.keys()]
            .filter((field) => field !== null)
            .map((field) => [field, review.before(fields, field as string, current)]),
        ),
      );
      continue;
    }
    const taskId = current.taskId as string | null;
    const found =
      taskId === null ? undefined : (review.entry('runbookTasks', taskId) as unknown as RunbookTask | undefined);
    // The point as it was before the change: its approvers and gates cannot be changed to pass it.
    const task = found === undefined ? undefined : taskBefore(found as unknown as Values);
    const runbook = runbookBefore(task?.runbookId);
    const refuse = (code: RefusalCode, message: string, related: readonly string[] = []) => {
      review.refuse(code, 'runbookVotes', entryId, message, related);
      review.remove('runbookVotes', entryId);
    };
    if (task === undefined || runbook === undefined || task.kind !== 'DECISION') {
      refuse('VOTE_REFUSED', 'a vote is cast on a go / no-go point of a runbook');
      continue;
    }
    const votes = votesOn(task.id);
    if (!mayVoteOn(actor, task))
      refuse('VOTE_REFUSED', `only the approvers of ${title(task as unknown as Values)} may vote on it`);
    else if (votes.some((vote) => vote.voterId === actor.userId))
      refuse('VOTE_REFUSED', `${actor.name} has already voted on ${title(task as unknown as Values)}`);
    else if (task.decision !== 'PENDING')
      refuse('VOTE_REFUSED', `${title(task as unknown as Values)} is already decided (${task.decision})`);
    else {
      const graph = graphOf(runbook.id);
      const blockers = graph.startBlockers(task, runbook);
      if (blockers.length > 0) {
        refuse(
          'TASK_ORDER',
          `${title(task as unknown as Values)} cannot be decided yet: ${describeBlockers(blockers, graph.byId)}`,
          blockers.flatMap((blocker) => blocker.taskIds),
        );
        continue;
      }
      const vote = { vote: current.vote as string, voterId: actor.userId };
      const decision = decisionOf(task, [...votes, vote] as never);
      if (decision === 'GO') {
        const open = decisionGates(task, runbook, [...review.all('checkpoints')] as never).filter((gate) => gate.open);
        if (open.length > 0) {
          refuse(
            'GATE_BLOCKED',
            `${title(task as unknown as Values)} cannot pass while ${open.map((gate) => `"${gate.title}"`).join(', ')} ${open.length === 1 ? 'is' : 'are'} not passed or waived`,
            open.map((gate) => gate.id),
          );
          continue;
        }
      }
      votes.push(vote);
      review.correct('runbookVotes', entryId, { voterId: actor.userId, voterName: actor.name, at });
      const opened = task.startedAt === null ? { startedAt: at, startedBy: actor.name } : {};
      review.correct(
        'runbookTasks',
        task.id,
        decision === 'PENDING'
          ? { ...opened, status: 'RUNNING' }
          : { ...opened, decision, status: decision === 'GO' ? 'DONE' : 'FAILED', endedAt: at, endedBy: actor.name },
      );
      if (decision === 'GO') completedRunbooks.add(runbook.id);
    }
  }

  // A runbook whose last task (rollback tasks aside) has ended, with nothing left running, is complete.
  for (const runbookId of completedRunbooks) {
    const runbook = review.entry('runbooks', runbookId) as unknown as RunbookFacts | undefined;
    if (runbook?.state !== 'RUNNING' || review.corrected('runbooks', runbookId)?.state !== undefined) continue;
    // As they will be once this review's corrections are written (the graph holds them as they were).
    const statusOf = (task: RunbookTask) =>
      (review.corrected('runbookTasks', task.id)?.status as TaskStatus | undefined) ??
      (review.entry('runbookTasks', task.id)?.status as TaskStatus | undefined) ??
      task.status;
    const tasks = graphOf(runbookId).ordered;
    const main = tasks.filter((task) => task.stage !== 'ROLLBACK');
    if (
      main.length > 0 &&
      main.every((task) => ['DONE', 'SKIPPED'].includes(statusOf(task))) &&
      !tasks.some((task) => statusOf(task) === 'RUNNING')
    )
      review.correct('runbooks', runbookId, { state: 'COMPLETED', endedAt: at });
  }
}

/**
 * Deletions: a running runbook, a task of a started runbook that has run, has votes or is a
 * go / no-go point, and a vote, are put back whole (with what went with them); an ended runbook
 * is deleted by the plan's owners and editors only.
 */
function reviewDeletions(review: RuleReview, runbookBefore: (id: unknown) => RunbookFacts | undefined): void {
  const { actor } = review;
  const deleted = (collection: CollectionName) =>
    [...review.changed(collection)]
      .filter(([, fields]) => fields.get(null)?.action === 'deleted')
      .map(([id, fields]) => ({ id, values: fields.get(null)?.before as Values }));
  const tasks = deleted('runbookTasks');
  const votes = deleted('runbookVotes');
  const restored = new Set<string>();
  const restoreTask = (task: { id: string; values: Values }) => {
    if (restored.has(task.id)) return;
    restored.add(task.id);
    review.restore('runbookTasks', task.id, task.values);
  };
  for (const runbook of deleted('runbooks')) {
    const state = runbook.values.state as string;
    const refusal =
      state === 'RUNNING'
        ? `${title(runbook.values)} is running: abort it before deleting it`
        : state !== 'PLANNING' && !actor.canEdit
          ? `only the plan's owners and editors may delete ${title(runbook.values)}, which has run`
          : null;
    if (refusal === null) continue;
    review.refuse('TASK_ORDER', 'runbooks', runbook.id, refusal);
    review.restore('runbooks', runbook.id, runbook.values);
    for (const task of tasks) if (task.values.runbookId === runbook.id) restoreTask(task);
  }
  for (const task of tasks) {
    if (restored.has(task.id)) continue;
    const runbook = review.entry('runbooks', String(task.values.runbookId));
    const before = runbookBefore(task.values.runbookId);
    // Gone with its runbook (allowed above), or a task of a runbook not started: nothing to judge.
    if (runbook === undefined || before === undefined || before.state === 'PLANNING') continue;
    const voted = votes.some((vote) => vote.values.taskId === task.id);
    const refusal =
      task.values.status !== 'PENDING' || voted || task.values.kind === 'DECISION'
        ? `${title(task.values)} cannot be deleted: it has run, has votes or is a go / no-go point`
        : !actor.canEdit
          ? `only the plan's owners and editors may delete ${title(task.values)} once its runbook has started`
          : null;
    if (refusal === null) continue;
    review.refuse('TASK_ORDER', 'runbookTasks', task.id, refusal);
    restoreTask(task);
  }
  for (const vote of votes) {
    const taskId = String(vote.values.taskId);
    // Gone with its point, whose deletion stands: a point of a runbook never started.
    if (review.entry('runbookTasks', taskId) === undefined && !restored.has(taskId)) continue;
    review.refuse('VOTE_REFUSED', 'runbookVotes', vote.id, 'a vote cannot be taken back');
    review.restore('runbookVotes', vote.id, vote.values);
  }
}

/** A change to write back, as `reviewState` returns them (a correction, or an entry to take out). */
export interface StateFix {
  readonly collection: CollectionName;
  readonly entryId: string;
  readonly message: string;
  readonly values: Values;
  readonly remove?: true;
}

/**
 * Runbook execution without the server's stamps, as found in a plan loaded from storage (a crash
 * came between a client's change and the server's verdict): it goes back to where a stamp says it
 * was. A runbook running without its start goes back to PLANNING, one ended without its end to
 * RUNNING; a task running without its start goes back to PENDING, one ended without its end to
 * RUNNING (or PENDING without a start); a decision without its end goes back to PENDING; a vote
 * without its voter is taken out.
 */
export function unstampedRunbookState(all: (collection: CollectionName) => Iterable<Values>): StateFix[] {
  const fixes: StateFix[] = [];
  const stamped = (value: unknown) => typeof value === 'string';
  for (const runbook of all('runbooks')) {
    const id = runbook.id as string;
    const state = runbook.state as string;
    if (state === 'RUNNING' && !stamped(runbook.startedAt))
      fixes.push({
        collection: 'runbooks',
        entryId: id,
        message: `${title(runbook)} was RUNNING without the server's stamp`,
        values: { state: 'PLANNING' },
      });
    else if ((state === 'COMPLETED' || state === 'ABORTED') && !stamped(runbook.endedAt))
      fixes.push({
        collection: 'runbooks',
        entryId: id,
        message: `${title(runbook)} was ${state} without the server's stamp`,
        values: { state: stamped(runbook.startedAt) ? 'RUNNING' : 'PLANNING' },
      });
  }
  for (const task of all('runbookTasks')) {
    const id = task.id as string;
    const status = task.status as TaskStatus;
    const message = `${title(task)} was ${status} without the server's stamp`;
    if (task.decision !== 'PENDING' && !stamped(task.endedAt))
      fixes.push({
        collection: 'runbookTasks',
        entryId: id,
        message,
        values: { decision: 'PENDING', status: 'PENDING' },
      });
    else if (status === 'RUNNING' && !stamped(task.startedAt))
      fixes.push({ collection: 'runbookTasks', entryId: id, message, values: { status: 'PENDING' } });
    else if (['DONE', 'FAILED', 'SKIPPED'].includes(status) && !stamped(task.endedAt))
      fixes.push({
        collection: 'runbookTasks',
        entryId: id,
        message,
        values: { status: stamped(task.startedAt) ? 'RUNNING' : 'PENDING' },
      });
  }
  for (const vote of all('runbookVotes'))
    if (!stamped(vote.voterId) || !stamped(vote.at))
      fixes.push({
        collection: 'runbookVotes',
        entryId: vote.id as string,
        message: "a vote without the server's stamp",
        values: {},
        remove: true,
      });
  return fixes;
}

/**
 * The go / no-go points as their stamped votes decide them, whatever order the votes were judged in
 * (two approvers voting at the same moment are judged each without the other's stamp): a voter's
 * later votes on a point are taken out, and a point still PENDING that its votes decide gets its
 * decision (NO_GO at the first no-go, GO once every approver said go), as at its deciding vote.
 * Returns the votes to take out and the points to decide; nothing once they agree.
 */
export function reconcileDecisions(all: (collection: CollectionName) => Iterable<Values>): {
  readonly duplicates: StateFix[];
  readonly decisions: StateFix[];
} {
  const byTask = new Map<string, Values[]>();
  for (const vote of all('runbookVotes')) {
    if (typeof vote.voterId !== 'string' || typeof vote.at !== 'string' || typeof vote.taskId !== 'string') continue;
    byTask.set(vote.taskId, [...(byTask.get(vote.taskId) ?? []), vote]);
  }
  const duplicates: StateFix[] = [];
  const decisions: StateFix[] = [];
  if (byTask.size === 0) return { duplicates, decisions };
  const running = new Set(
    [...all('runbooks')].filter((runbook) => runbook.state === 'RUNNING').map((runbook) => runbook.id as string),
  );
  const tasks = new Map([...all('runbookTasks')].map((task) => [task.id as string, task]));
  for (const [taskId, votes] of byTask) {
    votes.sort((a, b) => String(a.at).localeCompare(String(b.at)) || String(a.id).localeCompare(String(b.id)));
    const kept: Values[] = [];
    for (const vote of votes) {
      if (kept.some((earlier) => earlier.voterId === vote.voterId))
        duplicates.push({
          collection: 'runbookVotes',
          entryId: vote.id as string,
          message: `${String(vote.voterName)} had already voted on this go / no-go point`,
          values: {},
          remove: true,
        });
      else kept.push(vote);
    }
    const task = tasks.get(taskId);
    if (task?.kind !== 'DECISION' || task.decision !== 'PENDING' || !running.has(String(task.runbookId))) continue;
    // The vote that decides: the first no-go, else the last of the goes that complete the point.
    const decision = decisionOf(task as unknown as RunbookTask, kept as never);
    if (decision === 'PENDING') continue;
    const deciding = decision === 'NO_GO' ? kept.find((vote) => vote.vote === 'NO_GO') : kept.at(-1);
    decisions.push({
      collection: 'runbookTasks',
      entryId: taskId,
      message: `${title(task)} decided by its votes`,
      values: {
        decision,
        status: decision === 'GO' ? 'DONE' : 'FAILED',
        startedAt: task.startedAt ?? kept[0]?.at ?? null,
        endedAt: deciding?.at ?? null,
        endedBy: deciding?.voterName ?? null,
      },
    });
  }
  return { duplicates, decisions };
}
