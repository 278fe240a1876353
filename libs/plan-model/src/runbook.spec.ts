import { describe, expect, it } from '@jest/globals';
import * as Y from 'yjs';
import { readPlan } from './document.js';
import { createEntry, deleteEntry, initializePlan, updateEntry } from './edit.js';
import {
  applyCorrections,
  type ChangeActor,
  type DomainChange,
  GovernanceError,
  governedChange,
  PlanTracker,
  reviewChanges,
  reviewState,
} from './governance.js';
import { currentSchemaVersionOf, migratePlan } from './migrations.js';
import { compareRehearsal, RunbookGraph, runbookTiming } from './runbook.js';
import {
  applyRehearsalDurations,
  applyRunbookTemplate,
  copyForRehearsal,
  findRunbookTemplate,
} from './runbook-edit.js';
import type { RunbookTask } from './schema.js';

const T0 = '2027-03-13T20:00:00.000Z';
const at = (minutes: number) => new Date(Date.parse(T0) + minutes * 60_000).toISOString();
const lead: ChangeActor = { canApprove: true, canEdit: true, userId: 'u-lead', name: 'Claire Lemoine' };
const editor: ChangeActor = { canApprove: false, canEdit: true, userId: 'u-edit', name: 'Élise Martin' };
const dba: ChangeActor = { canApprove: false, canEdit: false, userId: 'u-dba', name: 'Karim Benali' };
const rssi: ChangeActor = { canApprove: true, canEdit: false, userId: 'u-rssi', name: 'Nadia Roussel' };

/**
 * A database cutover: freeze (T0), backup after it, a go / no-go voted by the RSSI, the copy and
 * the switch after it, a rollback task; the switch milestone gated by a checkpoint.
 */
function cutover() {
  const doc = new Y.Doc();
  initializePlan(doc, { title: 'Base patients vers Outscale' });
  const milestone = createEntry(doc, 'milestones', { title: 'Bascule', kind: 'CUTOVER' });
  const gate = createEntry(doc, 'checkpoints', { title: 'Contrat HDS', framework: 'HDS', milestoneIds: [milestone] });
  const runbook = createEntry(doc, 'runbooks', { title: 'Nuit de bascule', t0: T0, milestoneId: milestone });
  const task = (values: Record<string, unknown>) => createEntry(doc, 'runbookTasks', { runbookId: runbook, ...values });
  const restore = task({ title: 'Restaurer la sauvegarde', stage: 'ROLLBACK', duration: 60 });
  const freeze = task({
    title: 'Geler les écritures',
    stage: 'FREEZE',
    startOffset: 0,
    duration: 30,
    ownerId: 'u-dba',
  });
  const backup = task({ title: 'Sauvegarde complète', stage: 'BACKUP', duration: 60, dependsOn: [freeze] });
  const go = task({
    title: 'Go / no-go copie',
    kind: 'DECISION',
    stage: 'BACKUP',
    duration: 10,
    dependsOn: [backup],
    approverIds: ['u-rssi'],
  });
  const copy = task({ title: 'Copier la base', stage: 'MIGRATE', duration: 120, rollbackTaskId: restore });
  const check = task({ title: 'Contrôler les sommes', stage: 'VALIDATE', duration: 30, dependsOn: [copy] });
  const tracker = new PlanTracker(doc);
  let last: DomainChange[] = [];
  doc.on('afterTransaction', (transaction: Y.Transaction) => {
    last = [...last, ...tracker.changesOf(transaction)];
  });
  /** A socket's change as `actor`, judged and corrected as the server does at `when`. */
  const bySocket = (actor: ChangeActor, when: string, change: () => void) => {
    last = [];
    change();
    const review = reviewChanges(tracker, last, actor, when);
    applyCorrections(doc, review.corrections);
    last = [];
    return review.refusals.map((refusal) => refusal.code);
  };
  const setTask = (id: string, values: Record<string, unknown>) => () =>
    doc.transact(() => {
      const entry = doc.getMap<Y.Map<unknown>>('runbookTasks').get(id)!;
      for (const [key, value] of Object.entries(values)) entry.set(key, value);
    });
  const vote =
    (taskId: string, value: 'GO' | 'NO_GO', extra: Record<string, unknown> = {}) =>
    () => {
      const entry = new Y.Map<unknown>();
      const id = globalThis.crypto.randomUUID();
      doc.getMap<Y.Map<unknown>>('runbookVotes').set(id, entry);
      entry.set('id', id);
      entry.set('position', 1);
      entry.set('taskId', taskId);
      entry.set('vote', value);
      for (const [key, v] of Object.entries(extra)) entry.set(key, v);
    };
  const start = (who: ChangeActor, when: string) =>
    governedChange(doc, who, when, () => updateEntry(doc, 'runbooks', runbook, { state: 'RUNNING' }));
  const plan = () => readPlan(doc);
  const taskOf = (id: string) => plan().runbookTasks.find((found) => found.id === id)!;
  return {
    doc,
    runbook,
    milestone,
    gate,
    restore,
    freeze,
    backup,
    go,
    copy,
    check,
    bySocket,
    setTask,
    vote,
    start,
    plan,
    taskOf,
  };
}

const timingOf = (doc: Y.Doc, runbookId: string, now: string) => {
  const plan = readPlan(doc);
  const runbook = plan.runbooks.find((found) => found.id === runbookId)!;
  const graph = new RunbookGraph(plan.runbookTasks.filter((task) => task.runbookId === runbookId));
  return { graph, timing: runbookTiming(runbook, graph, Date.parse(now)) };
};

describe('runbook document', () => {
  it('reads runbooks, tasks and votes, dropping what refers to nothing and breaking cycles', () => {
    const { doc, runbook, freeze, backup, plan } = cutover();
    expect(plan().runbooks).toMatchObject([
      { id: runbook, title: 'Nuit de bascule', state: 'PLANNING', kind: 'LIVE', t0: T0 },
    ]);
    expect(plan().runbookTasks).toHaveLength(6);
    // Two concurrent edits closing a cycle, and a task naming a runbook that is gone.
    doc
      .getMap<Y.Map<unknown>>('runbookTasks')
      .get(freeze)!
      .set('dependsOn', Y.Array.from([backup]));
    doc.getMap<Y.Map<unknown>>('runbookTasks').get(backup)!.set('runbookId', 'nowhere');
    const read = plan();
    expect(read.issues.map((issue) => issue.path)).toEqual(
      expect.arrayContaining([`runbookTasks/${backup}/runbookId`, `runbookTasks/${backup}/dependsOn`]),
    );
    expect(read.runbookTasks.find((task) => task.id === backup)?.runbookId).toBeNull();
  });

  it('keeps instructions as rich text, read as plain text', () => {
    const { doc, freeze, taskOf } = cutover();
    updateEntry(doc, 'runbookTasks', freeze, {
      instructions: 'Passer la base en lecture seule.\nPrévenir le support.',
    });
    expect(doc.getMap<Y.Map<unknown>>('runbookTasks').get(freeze)!.get('instructions')).toBeInstanceOf(Y.XmlFragment);
    expect(taskOf(freeze).instructions).toBe('Passer la base en lecture seule.\nPrévenir le support.');
  });

  it('deletes a runbook with its tasks and their votes, and refuses a task in no runbook', () => {
    const { doc, runbook, restore, copy, plan } = cutover();
    expect(() => createEntry(doc, 'runbookTasks', { title: 'Orpheline' })).toThrow('runbookId: is required');
    deleteEntry(doc, 'runbookTasks', restore);
    expect(plan().runbookTasks.find((task) => task.id === copy)?.rollbackTaskId).toBeNull();
    deleteEntry(doc, 'runbooks', runbook);
    expect(plan()).toMatchObject({ runbooks: [], runbookTasks: [], runbookVotes: [] });
  });

  it('migrates a version-1 plan through version 2 without touching its content', () => {
    const doc = new Y.Doc();
    initializePlan(doc, { title: 'Ancien plan' });
    doc.getMap('plan').set('schemaVersion', 1);
    expect(migratePlan(doc, { title: 'Ancien plan' })).toBe(true);
    expect(currentSchemaVersionOf(doc)).toBe(3);
    expect(readPlan(doc).meta.title).toBe('Ancien plan');
  });
});

describe('runbook timing', () => {
  it('plans from T0 and the predecessors, and forecasts from the actual progress', () => {
    const { doc, runbook, freeze, backup, go, copy, check, start, bySocket, setTask } = cutover();
    let { timing } = timingOf(doc, runbook, at(-60));
    expect(timing.tasks.get(freeze)).toMatchObject({ plannedStart: 0, plannedEnd: 30, late: false });
    expect(timing.tasks.get(backup)).toMatchObject({ plannedStart: 30, plannedEnd: 90 });
    // The copy has no predecessor of its own but follows the go / no-go of an earlier stage.
    expect(timing.tasks.get(copy)).toMatchObject({ plannedStart: 100, plannedEnd: 220 });
    expect(timing.tasks.get(check)).toMatchObject({ plannedStart: 220, plannedEnd: 250 });
    expect(timing.plannedEnd).toBe(250);
    expect(timing.tasks.get(copy)?.blockers.map((blocker) => blocker.code)).toEqual([
      'RUNBOOK_NOT_RUNNING',
      'DECISION_PENDING',
    ]);

    start(lead, at(0));
    expect(bySocket(dba, at(5), setTask(freeze, { status: 'RUNNING' }))).toEqual([]);
    // 50 minutes in, the freeze (30 planned) still runs: late by 20 at its end, and everything after moves.
    ({ timing } = timingOf(doc, runbook, at(55)));
    expect(timing.tasks.get(freeze)).toMatchObject({ late: true, lateMinutes: 25, actualStart: 5, forecastEnd: 55 });
    expect(timing.tasks.get(backup)).toMatchObject({
      late: true,
      lateMinutes: 25,
      forecastStart: 55,
      forecastEnd: 115,
    });
    expect(timing.forecastEnd).toBe(55 + 60 + 10 + 120 + 30);
    expect(timing.criticalPath).toEqual([freeze, backup, go, copy, check]);
  });
});

describe('runbook execution rules', () => {
  it('lets a task start only while its runbook runs, by its owner or an editor, after its predecessors', () => {
    const { freeze, backup, start, bySocket, setTask, taskOf } = cutover();
    expect(bySocket(dba, at(0), setTask(freeze, { status: 'RUNNING' }))).toEqual(['TASK_ORDER']);
    expect(taskOf(freeze).status).toBe('PENDING');
    expect(() => start(dba, at(0))).toThrow(GovernanceError);
    start(editor, at(0));
    // The RSSI may approve but owns no task here: it may not act on one.
    expect(bySocket(rssi, at(1), setTask(freeze, { status: 'RUNNING' }))).toEqual(['TASK_ACTOR']);
    expect(bySocket(dba, at(2), setTask(backup, { status: 'RUNNING' }))).toEqual(['TASK_ACTOR']);
    expect(bySocket(editor, at(2), setTask(backup, { status: 'RUNNING' }))).toEqual(['TASK_ORDER']);
    expect(taskOf(backup).status).toBe('PENDING');
    expect(bySocket(dba, at(3), setTask(freeze, { status: 'RUNNING' }))).toEqual([]);
    expect(taskOf(freeze)).toMatchObject({ status: 'RUNNING', startedAt: at(3), startedBy: 'Karim Benali' });
    expect(bySocket(dba, at(31), setTask(freeze, { status: 'DONE' }))).toEqual([]);
    expect(taskOf(freeze)).toMatchObject({ status: 'DONE', endedAt: at(31), endedBy: 'Karim Benali' });
    // Done is final.
    expect(bySocket(editor, at(32), setTask(freeze, { status: 'RUNNING' }))).toEqual(['TASK_ORDER']);
  });

  it('stamps times itself: a client writing them is reverted', () => {
    const { doc, freeze, start, bySocket, taskOf } = cutover();
    start(lead, at(0));
    const forged = bySocket(editor, at(1), () => {
      const entry = doc.getMap<Y.Map<unknown>>('runbookTasks').get(freeze)!;
      entry.set('status', 'RUNNING');
      entry.set('startedAt', at(-30));
    });
    expect(forged).toEqual(['SERVER_FIELD']);
    expect(taskOf(freeze)).toMatchObject({ status: 'RUNNING', startedAt: at(1) });
  });

  it('asks a reason to fail or skip a task', () => {
    const { freeze, start, bySocket, setTask, taskOf } = cutover();
    start(lead, at(0));
    bySocket(dba, at(1), setTask(freeze, { status: 'RUNNING' }));
    expect(bySocket(dba, at(2), setTask(freeze, { status: 'FAILED' }))).toEqual(['REASON_REQUIRED']);
    expect(taskOf(freeze).status).toBe('RUNNING');
    expect(bySocket(dba, at(3), setTask(freeze, { status: 'FAILED', reason: 'Verrou non posé' }))).toEqual([]);
    expect(taskOf(freeze)).toMatchObject({ status: 'FAILED', reason: 'Verrou non posé', endedAt: at(3) });
  });

  it('decides a go / no-go by its approvers’ votes, not while a gate is open, and a no-go stops what follows', () => {
    const { doc, gate, freeze, backup, go, copy, restore, start, bySocket, setTask, vote, taskOf, plan } = cutover();
    start(lead, at(0));
    for (const id of [freeze, backup]) {
      bySocket(editor, at(1), setTask(id, { status: 'RUNNING' }));
      bySocket(editor, at(2), setTask(id, { status: 'DONE' }));
    }
    // Not one of its approvers; then the approver, while the HDS gate of the milestone is open.
    expect(bySocket(lead, at(3), vote(go, 'GO'))).toEqual(['VOTE_REFUSED']);
    expect(bySocket(rssi, at(4), vote(go, 'GO', { voterId: 'u-lead' }))).toEqual(['GATE_BLOCKED']);
    expect(plan().runbookVotes).toEqual([]);
    // A status written on the decision itself is not a vote.
    expect(bySocket(editor, at(5), setTask(go, { status: 'DONE' }))).toEqual(['TASK_ORDER']);
    updateEntry(doc, 'checkpoints', gate, { status: 'PASSED' }, { trusted: true });
    expect(bySocket(rssi, at(6), vote(go, 'NO_GO', { comment: 'Sauvegarde incomplète' }))).toEqual([]);
    expect(plan().runbookVotes).toMatchObject([
      {
        taskId: go,
        vote: 'NO_GO',
        voterId: 'u-rssi',
        voterName: 'Nadia Roussel',
        at: at(6),
        comment: 'Sauvegarde incomplète',
      },
    ]);
    expect(taskOf(go)).toMatchObject({ decision: 'NO_GO', status: 'FAILED', endedAt: at(6) });
    // What follows is stopped; the rollback path is open.
    expect(bySocket(editor, at(7), setTask(copy, { status: 'RUNNING' }))).toEqual(['TASK_ORDER']);
    expect(timingOf(doc, plan().runbooks[0]!.id, at(600)).timing.tasks.get(restore)).toMatchObject({ late: false });
    expect(bySocket(editor, at(8), setTask(restore, { status: 'RUNNING' }))).toEqual([]);
    const { timing } = timingOf(doc, plan().runbooks[0]!.id, at(9));
    expect(timing.tasks.get(copy)).toMatchObject({ stopped: true, forecastEnd: null });
    expect(timing.rollbackOpen).toBe(true);
    // A rollback task has no plan of its own: it is not late for being needed late in the night, but
    // it is once it runs past its duration.
    const runbookId = plan().runbooks[0]!.id;
    expect(timingOf(doc, runbookId, at(9)).timing.tasks.get(restore)).toMatchObject({ late: false, plannedStart: 8 });
    expect(timingOf(doc, runbookId, at(100)).timing.tasks.get(restore)).toMatchObject({ late: true, lateMinutes: 32 });
    // A vote is neither changed nor taken back.
    const [cast] = plan().runbookVotes;
    expect(
      bySocket(rssi, at(10), () => doc.getMap<Y.Map<unknown>>('runbookVotes').get(cast!.id)!.set('vote', 'GO')),
    ).toEqual(['VOTE_REFUSED']);
    expect(bySocket(rssi, at(11), () => doc.getMap('runbookVotes').delete(cast!.id))).toEqual(['VOTE_REFUSED']);
    expect(plan().runbookVotes).toMatchObject([{ id: cast!.id, vote: 'NO_GO', voterId: 'u-rssi' }]);
    // A running runbook is not deleted; aborted, it is, and its votes go with it.
    // (Refused through the API, the change is made on a copy the server then throws away.)
    const scratch = new Y.Doc();
    Y.applyUpdate(scratch, Y.encodeStateAsUpdate(doc));
    expect(() => governedChange(scratch, editor, at(12), () => deleteEntry(scratch, 'runbooks', runbookId))).toThrow(
      'abort it before deleting it',
    );
    governedChange(doc, editor, at(12), () => updateEntry(doc, 'runbooks', runbookId, { state: 'ABORTED' }));
    governedChange(doc, editor, at(13), () => deleteEntry(doc, 'runbooks', runbookId));
    expect(plan()).toMatchObject({ runbooks: [], runbookTasks: [], runbookVotes: [] });
  });

  it('passes a go once every approver said go, and completes the runbook with its last task', () => {
    const { doc, gate, freeze, backup, go, copy, check, runbook, start, bySocket, setTask, vote, taskOf, plan } =
      cutover();
    updateEntry(doc, 'checkpoints', gate, { status: 'PASSED' }, { trusted: true });
    start(lead, at(0));
    for (const id of [freeze, backup]) {
      bySocket(editor, at(1), setTask(id, { status: 'RUNNING' }));
      bySocket(editor, at(2), setTask(id, { status: 'DONE' }));
    }
    expect(bySocket(rssi, at(3), vote(go, 'GO'))).toEqual([]);
    expect(bySocket(rssi, at(4), vote(go, 'GO'))).toEqual(['VOTE_REFUSED']);
    expect(taskOf(go)).toMatchObject({ decision: 'GO', status: 'DONE' });
    for (const id of [copy, check]) {
      expect(bySocket(dba, at(5), setTask(id, { status: 'RUNNING' }))).toEqual(['TASK_ACTOR']);
      bySocket(editor, at(5), setTask(id, { status: 'RUNNING' }));
      bySocket(editor, at(6), setTask(id, { status: 'DONE' }));
    }
    expect(plan().runbooks.find((found) => found.id === runbook)).toMatchObject({ state: 'COMPLETED', endedAt: at(6) });
  });
});

describe('what a change cannot do to a running runbook', () => {
  /** The cutover, started, the freeze done: the go / no-go (voted by the RSSI) is next. */
  function underway() {
    const plan = cutover();
    plan.start(lead, at(0));
    plan.bySocket(editor, at(1), plan.setTask(plan.freeze, { status: 'RUNNING' }));
    plan.bySocket(editor, at(2), plan.setTask(plan.freeze, { status: 'DONE' }));
    plan.bySocket(editor, at(3), plan.setTask(plan.backup, { status: 'RUNNING' }));
    plan.bySocket(editor, at(4), plan.setTask(plan.backup, { status: 'DONE' }));
    return plan;
  }

  it('make its author the owner of the task it then starts', () => {
    const { copy, restore, bySocket, setTask, taskOf, doc } = underway();
    // The RSSI (an approver, not an editor) gives itself a task and starts it, in one change.
    updateEntry(doc, 'runbookTasks', restore, { ownerId: null });
    expect(bySocket(rssi, at(5), setTask(copy, { ownerId: 'u-rssi', status: 'RUNNING' }))).toEqual(
      expect.arrayContaining(['TASK_ACTOR']),
    );
    expect(taskOf(copy)).toMatchObject({ ownerId: null, status: 'PENDING', startedAt: null });
  });

  it('change the order or the gates it is judged by', () => {
    const { doc, go, copy, milestone, bySocket, setTask, vote, taskOf, plan } = underway();
    // Cutting the copy loose from the go / no-go (its stage), and starting it, in one change.
    expect(bySocket(editor, at(5), setTask(copy, { stage: 'BACKUP', status: 'RUNNING' }))).toEqual([
      'TASK_ORDER',
      'TASK_ORDER',
    ]);
    expect(taskOf(copy)).toMatchObject({ stage: 'MIGRATE', status: 'PENDING' });
    // Naming oneself approver and voting go; unlinking the milestone (its open gate) and voting go.
    expect(
      bySocket(editor, at(6), () => {
        setTask(go, { approverIds: Y.Array.from(['u-edit']) })();
        vote(go, 'GO')();
      }),
    ).toEqual(expect.arrayContaining(['TASK_ORDER', 'VOTE_REFUSED']));
    expect(
      bySocket(rssi, at(7), () => {
        doc.getMap<Y.Map<unknown>>('runbooks').get(plan().runbooks[0]!.id)!.delete('milestoneId');
        vote(go, 'GO')();
      }),
    ).toEqual(expect.arrayContaining(['TASK_ORDER', 'GATE_BLOCKED']));
    expect(plan().runbooks[0]!.milestoneId).toBe(milestone);
    expect(plan().runbookVotes).toEqual([]);
    // Nor, after a no-go, turn the point into a task to finish it.
    expect(bySocket(rssi, at(8), vote(go, 'NO_GO'))).toEqual([]);
    expect(bySocket(editor, at(9), setTask(go, { kind: 'TASK' }))).toEqual(['TASK_ORDER']);
    expect(taskOf(go)).toMatchObject({ kind: 'DECISION', decision: 'NO_GO' });
  });

  it('take back a vote by deleting its point, nor delete the running runbook', () => {
    const { doc, go, runbook, bySocket, vote, plan } = underway();
    expect(bySocket(rssi, at(5), vote(go, 'NO_GO'))).toEqual([]);
    expect(bySocket(editor, at(6), () => deleteEntry(doc, 'runbookTasks', go))).toEqual(
      expect.arrayContaining(['TASK_ORDER', 'VOTE_REFUSED']),
    );
    expect(plan().runbookTasks.find((task) => task.id === go)).toMatchObject({ decision: 'NO_GO' });
    expect(plan().runbookVotes).toHaveLength(1);
    const before = plan();
    expect(bySocket(lead, at(7), () => deleteEntry(doc, 'runbooks', runbook))).toContain('TASK_ORDER');
    const after = plan();
    expect(after.runbooks).toHaveLength(1);
    expect(after.runbookTasks.map((task) => [task.id, task.status, task.dependsOn, task.rollbackTaskId])).toEqual(
      before.runbookTasks.map((task) => [task.id, task.status, task.dependsOn, task.rollbackTaskId]),
    );
    expect(after.runbookVotes.map((found) => found.id)).toEqual(before.runbookVotes.map((found) => found.id));
  });

  it('decides a point from votes judged apart, and keeps a voter’s first vote only', () => {
    const { doc, go, taskOf, plan } = underway();
    updateEntry(doc, 'runbookTasks', go, { approverIds: ['u-rssi', 'u-lead'] }, { trusted: true });
    updateEntry(doc, 'checkpoints', plan().checkpoints[0]!.id, { status: 'PASSED' }, { trusted: true });
    // Both approvers' goes judged before either stamp was written: each alone leaves it pending.
    const votes = doc.getMap<Y.Map<unknown>>('runbookVotes');
    const cast = (voter: ChangeActor, minute: number) => {
      const id = globalThis.crypto.randomUUID();
      const entry = new Y.Map<unknown>();
      votes.set(id, entry);
      entry.set('id', id);
      entry.set('position', 1);
      entry.set('taskId', go);
      entry.set('vote', 'GO');
      entry.set('voterId', voter.userId);
      entry.set('voterName', voter.name);
      entry.set('at', at(minute));
    };
    cast(rssi, 5);
    cast(lead, 6);
    cast(lead, 7);
    expect(taskOf(go).decision).toBe('PENDING');
    const review = reviewState(new PlanTracker(doc), { stampsRequired: false });
    expect(review.refusals.map((refusal) => refusal.code)).toEqual(['VOTE_REFUSED']);
    applyCorrections(doc, review.corrections);
    expect(taskOf(go)).toMatchObject({ decision: 'GO', status: 'DONE', endedAt: at(6), endedBy: 'Claire Lemoine' });
    expect(plan().runbookVotes).toHaveLength(2);
  });

  it('complete it while a rollback task still runs', () => {
    const { go, copy, check, restore, runbook, bySocket, setTask, vote, plan, doc } = underway();
    updateEntry(doc, 'checkpoints', plan().checkpoints[0]!.id, { status: 'PASSED' }, { trusted: true });
    bySocket(editor, at(5), setTask(copy, { status: 'RUNNING' })); // held by the go / no-go: refused
    bySocket(rssi, at(6), vote(go, 'GO'));
    bySocket(editor, at(7), setTask(copy, { status: 'RUNNING' }));
    bySocket(editor, at(8), setTask(copy, { status: 'FAILED', reason: 'Copie incomplète' }));
    bySocket(editor, at(9), setTask(restore, { status: 'RUNNING' }));
    bySocket(editor, at(10), setTask(copy, { status: 'SKIPPED', reason: 'Refaite à la main' }));
    bySocket(editor, at(11), setTask(check, { status: 'RUNNING' }));
    bySocket(editor, at(12), setTask(check, { status: 'DONE' }));
    expect(plan().runbooks.find((found) => found.id === runbook)?.state).toBe('RUNNING');
    // Once the rollback task ends too, it is.
    bySocket(editor, at(13), setTask(restore, { status: 'DONE' }));
    expect(plan().runbooks.find((found) => found.id === runbook)?.state).toBe('COMPLETED');
  });
});

describe('a runbook loaded from storage', () => {
  it('puts back execution the server never stamped (a crash between a change and its verdict)', () => {
    const { doc, runbook, freeze, go, plan } = cutover();
    const set = (collection: string, id: string, values: Record<string, unknown>) => {
      const entry = doc.getMap<Y.Map<unknown>>(collection).get(id)!;
      for (const [key, value] of Object.entries(values)) entry.set(key, value);
    };
    set('runbooks', runbook, { state: 'RUNNING' });
    set('runbookTasks', freeze, { status: 'DONE', startedAt: at(1) });
    set('runbookTasks', go, { decision: 'GO', status: 'DONE' });
    const vote = createEntry(doc, 'runbookVotes', { taskId: go, vote: 'GO' });
    const review = reviewState(new PlanTracker(doc), { stampsRequired: true });
    expect(review.refusals.map((refusal) => [refusal.collection, refusal.entryId])).toEqual([
      ['runbooks', runbook],
      ['runbookTasks', freeze],
      ['runbookTasks', go],
      ['runbookVotes', vote],
    ]);
    applyCorrections(doc, review.corrections);
    const read = plan();
    expect(read.runbooks[0]?.state).toBe('PLANNING');
    expect(read.runbookTasks.find((task) => task.id === freeze)?.status).toBe('RUNNING');
    expect(read.runbookTasks.find((task) => task.id === go)).toMatchObject({ status: 'PENDING', decision: 'PENDING' });
    expect(read.runbookVotes).toEqual([]);
    // Once put back, nothing is left to correct; and after changes (not at load), stamps are not asked.
    expect(reviewState(new PlanTracker(doc), { stampsRequired: true }).refusals).toEqual([]);
  });
});

describe('rehearsals', () => {
  it('runs a copy, compares planned and actual durations, and brings the durations back', () => {
    const { doc, runbook, freeze, backup, taskOf, plan } = cutover();
    // A fixed start moves with T0; the copy is not held by the real compliance gates.
    updateEntry(doc, 'runbookTasks', freeze, { startAt: at(10) });
    expect(() => applyRehearsalDurations(doc, runbook)).toThrow('is not a rehearsal');
    const rehearsal = copyForRehearsal(doc, runbook, { title: 'Répétition', t0: at(-1440) });
    expect(
      plan().runbookTasks.find((task) => task.sourceTaskId === freeze && task.runbookId === rehearsal)?.startAt,
    ).toBe(at(-1430));
    updateEntry(doc, 'runbookTasks', freeze, { startAt: null });
    updateEntry(
      doc,
      'runbookTasks',
      plan().runbookTasks.find((task) => task.sourceTaskId === freeze && task.runbookId === rehearsal)!.id,
      { startAt: null },
    );
    const copies = plan().runbookTasks.filter((task) => task.runbookId === rehearsal);
    expect(copies).toHaveLength(6);
    expect(new Set(copies.map((task) => task.sourceTaskId))).toContain(freeze);
    const copyOf = (id: string) => copies.find((task) => task.sourceTaskId === id)!;
    expect(copyOf(backup).dependsOn).toEqual([copyOf(freeze).id]);
    governedChange(doc, lead, at(-1440), () => updateEntry(doc, 'runbooks', rehearsal, { state: 'RUNNING' }));
    const run = (id: string, from: number, to: number) => {
      governedChange(doc, editor, at(from), () => updateEntry(doc, 'runbookTasks', id, { status: 'RUNNING' }));
      governedChange(doc, editor, at(to), () => updateEntry(doc, 'runbookTasks', id, { status: 'DONE' }));
    };
    run(copyOf(freeze).id, -1440, -1395); // 45 minutes against 30 planned
    run(copyOf(backup).id, -1395, -1355); // 40 against 60
    const { graph, timing } = timingOf(doc, rehearsal, at(-1350));
    const comparison = compareRehearsal(timing, graph as RunbookGraph<RunbookTask>);
    expect(comparison.tasks.slice(0, 2)).toMatchObject([
      { sourceTaskId: freeze, plannedMinutes: 30, actualMinutes: 45 },
      { sourceTaskId: backup, plannedMinutes: 60, actualMinutes: 40 },
    ]);
    expect(comparison.stages[0]).toEqual({ stage: 'FREEZE', plannedMinutes: 30, actualMinutes: 45 });
    expect(applyRehearsalDurations(doc, rehearsal)).toBe(2);
    expect([taskOf(freeze).duration, taskOf(backup).duration]).toEqual([45, 40]);
  });

  it('seeds a runbook from each template, in the plan’s language', () => {
    const doc = new Y.Doc();
    initializePlan(doc, { title: 'Messagerie' });
    const template = findRunbookTemplate('m365-mailbox-wave')!;
    const fr = applyRunbookTemplate(doc, template, { title: 'Vague 1', language: 'fr', t0: T0 });
    const en = applyRunbookTemplate(doc, template, { title: 'Wave 1', language: 'en', t0: T0 });
    const tasks = (id: string) => readPlan(doc).runbookTasks.filter((task) => task.runbookId === id);
    expect(tasks(fr)).toHaveLength(template.tasks.length);
    expect(tasks(fr).map((task) => task.title)).toEqual(template.tasks.map((task) => task.title.fr));
    expect(tasks(en).map((task) => task.title)).toEqual(template.tasks.map((task) => task.title.en));
    expect(tasks(fr).filter((task) => task.kind === 'DECISION').length).toBeGreaterThanOrEqual(2);
    expect(readPlan(doc).issues).toEqual([]);
  });
});
