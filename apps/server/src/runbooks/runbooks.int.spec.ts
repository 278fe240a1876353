import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import type * as Y from 'yjs';
import { createApp } from '../app.factory.js';
import { startTestApp, type TestApp } from '../../../../test/support/app.js';
import { captureLogs, testConfig } from '../../../../test/support/config.js';
import { connectClient, eventually, synced } from '../../../../test/support/collab.js';
import { suiteDialect } from '../../../../test/support/database.js';
import type { GraphqlResponse } from '../../../../test/support/http.js';
import { graphql, listen } from '../../../../test/support/http.js';
import { addMember, bearer, type SignedUp, signUp, graphqlUsers } from '../../../../test/support/identity.js';
import { type Subscription, subscribe } from '../../../../test/support/subscriptions.js';

const TASK = `fragment T on RunbookTask {
  id runbookId title kind stage ownerId duration dependsOn rollbackTaskId sourceTaskId instructions
  status reason startedAt startedBy endedAt endedBy decision
  plannedStart plannedStartOffset plannedEndOffset forecastEnd late lateMinutes critical stopped
  blockers { code taskIds } gates { checkpointId open } canStart canVote
}`;
const RUNBOOK = `fragment R on Runbook {
  id title kind rehearsalOf milestoneId t0 state startedAt endedAt plannedEnd forecastEnd delayMinutes
  criticalPath rollbackOpen stages { stage tasks done plannedStartOffset plannedEndOffset }
  tasks { ...T } votes { id taskId vote comment voterId voterName at }
  comparison { tasks { taskId sourceTaskId plannedMinutes actualMinutes status } stages { stage plannedMinutes actualMinutes } }
} ${TASK}`;

interface Task {
  id: string;
  runbookId: string;
  title: string;
  kind: string;
  stage: string;
  ownerId: string | null;
  duration: number | null;
  dependsOn: string[];
  rollbackTaskId: string | null;
  sourceTaskId: string | null;
  instructions: string;
  status: string;
  reason: string | null;
  startedAt: string | null;
  startedBy: string | null;
  endedAt: string | null;
  endedBy: string | null;
  decision: string;
  plannedStart: string | null;
  plannedStartOffset: number;
  plannedEndOffset: number;
  forecastEnd: string | null;
  late: boolean;
  lateMinutes: number;
  critical: boolean;
  stopped: boolean;
  blockers: { code: string; taskIds: string[] }[];
  gates: { checkpointId: string; open: boolean }[];
  canStart: boolean;
  canVote: boolean;
}
interface Runbook {
  id: string;
  title: string;
  kind: string;
  rehearsalOf: string | null;
  milestoneId: string | null;
  t0: string | null;
  state: string;
  startedAt: string | null;
  endedAt: string | null;
  plannedEnd: string | null;
  forecastEnd: string | null;
  delayMinutes: number;
  criticalPath: string[];
  rollbackOpen: boolean;
  stages: { stage: string; tasks: number; done: number }[];
  tasks: Task[];
  votes: { id: string; taskId: string; vote: string; comment: string | null; voterId: string; voterName: string }[];
  comparison: {
    tasks: {
      taskId: string;
      sourceTaskId: string;
      plannedMinutes: number;
      actualMinutes: number | null;
      status: string;
    }[];
    stages: { stage: string; plannedMinutes: number; actualMinutes: number | null }[];
  } | null;
}

const MINUTE = 60_000;
const nameOf = (who: SignedUp) => `Test ${who.email.split('@')[0]}`;
const refusal = (response: GraphqlResponse<unknown>) => ({
  code: response.errors?.[0]?.extensions?.code,
  rule: response.errors?.[0]?.extensions?.rule,
});

describe(`cutover runbooks on ${suiteDialect()}`, () => {
  let testApp: TestApp;
  let owner: SignedUp;
  let editor: SignedUp;
  let approver: SignedUp;
  let taskOwner: SignedUp;
  let viewer: SignedUp;
  let outsider: SignedUp;
  const open: Subscription<unknown>[] = [];

  const { as, must } = graphqlUsers(() => testApp.baseUrl);

  /** A plan of the owner's with the editor, the approvers and the viewer given their roles. */
  async function newPlan(title = 'Bascule de la messagerie', language = 'fr'): Promise<string> {
    const { createPlan } = await must<{ createPlan: { id: string } }>(
      owner,
      'mutation($t: String!, $l: Language) { createPlan(input: { title: $t, defaultMemberRole: null, language: $l }) { id } }',
      { t: title, l: language },
    );
    for (const [who, role] of [
      [editor, 'EDITOR'],
      [approver, 'APPROVER'],
      [taskOwner, 'APPROVER'],
      [viewer, 'VIEWER'],
    ] as const)
      await must(
        owner,
        'mutation($p: ID!, $u: ID!, $r: PlanRole) { setPlanMemberRole(planId: $p, userId: $u, role: $r) { role } }',
        { p: createPlan.id, u: who.userId, r: role },
      );
    return createPlan.id;
  }

  async function newRunbook(planId: string, input: Record<string, unknown>): Promise<Runbook> {
    const data = await must<{ createRunbook: Runbook }>(
      editor,
      `mutation($p: ID!, $i: CreateRunbookInput!) { createRunbook(planId: $p, input: $i) { ...R } } ${RUNBOOK}`,
      { p: planId, i: input },
    );
    return data.createRunbook;
  }

  async function newTask(planId: string, runbookId: string, input: Record<string, unknown>): Promise<Task> {
    const data = await must<{ createRunbookTask: Task }>(
      editor,
      `mutation($p: ID!, $r: ID!, $i: RunbookTaskInput!) { createRunbookTask(planId: $p, runbookId: $r, input: $i) { ...T } } ${TASK}`,
      { p: planId, r: runbookId, i: input },
    );
    return data.createRunbookTask;
  }

  const readRunbook = async (who: SignedUp, planId: string, id: string) =>
    (
      await must<{ runbook: Runbook }>(
        who,
        `query($p: ID!, $id: ID!) { runbook(planId: $p, id: $id) { ...R } } ${RUNBOOK}`,
        {
          p: planId,
          id,
        },
      )
    ).runbook;

  const taskIn = (runbook: Runbook, id: string) => runbook.tasks.find((task) => task.id === id)!;

  /** Runs one task mutation (startTask, finishTask, failTask, skipTask) and answers with the response. */
  const act = (who: SignedUp, mutation: string, planId: string, id: string, reason?: string) =>
    as<Record<string, Task>>(
      who,
      reason === undefined
        ? `mutation($p: ID!, $id: ID!) { ${mutation}(planId: $p, id: $id) { ...T } } ${TASK}`
        : `mutation($p: ID!, $id: ID!, $why: String!) { ${mutation}(planId: $p, id: $id, reason: $why) { ...T } } ${TASK}`,
      { p: planId, id, ...(reason === undefined ? {} : { why: reason }) },
    );
  const setState = (who: SignedUp, planId: string, id: string, outcome?: string) =>
    as<Record<string, Runbook>>(
      who,
      outcome === undefined
        ? `mutation($p: ID!, $id: ID!) { startRunbook(planId: $p, id: $id) { ...R } } ${RUNBOOK}`
        : `mutation($p: ID!, $id: ID!) { endRunbook(planId: $p, id: $id, outcome: ${outcome}) { ...R } } ${RUNBOOK}`,
      { p: planId, id },
    );
  const vote = (who: SignedUp, planId: string, taskId: string, choice: string, comment?: string) =>
    as<{ vote: Runbook['votes'][number] & { at: string } }>(
      who,
      'mutation($p: ID!, $t: ID!, $v: GoNoGo!, $c: String) { vote(planId: $p, taskId: $t, vote: $v, comment: $c) { id taskId vote comment voterId voterName at } }',
      { p: planId, t: taskId, v: choice, c: comment ?? null },
    );

  beforeAll(async () => {
    testApp = await startTestApp();
    owner = await signUp(testApp.baseUrl);
    [editor, approver, taskOwner, viewer] = await Promise.all(
      ['MEMBER', 'MEMBER', 'MEMBER', 'MEMBER'].map(() =>
        addMember(testApp.baseUrl, owner.tokens.accessToken, 'MEMBER'),
      ),
    );
    outsider = await signUp(testApp.baseUrl);
  });

  afterEach(async () => {
    for (const subscription of open.splice(0)) await subscription.close();
  });

  afterAll(() => testApp.close());

  it('seeds a runbook from a template in the plan’s language, templates listed in the caller’s, suited first', async () => {
    const { createPlanFromTemplate } = await must<{ createPlanFromTemplate: { id: string } }>(
      owner,
      'mutation { createPlanFromTemplate(input: { templateId: "m365-to-bleu", title: "Messagerie vers Bleu", startDate: "2027-01-04" }) { id } }',
    );
    const planId = createPlanFromTemplate.id;
    await must(
      owner,
      'mutation($p: ID!, $u: ID!) { setPlanMemberRole(planId: $p, userId: $u, role: EDITOR) { role } }',
      {
        p: planId,
        u: editor.userId,
      },
    );
    const inEnglish = <T>(who: SignedUp, query: string, variables?: Record<string, unknown>) =>
      graphql<T>(testApp.baseUrl, query, variables, { ...bearer(who.tokens.accessToken), 'accept-language': 'en' });

    const listed = await inEnglish<{
      runbookTemplates: { id: string; title: string; suited: boolean; taskCount: number; decisionCount: number }[];
    }>(editor, 'query($p: ID) { runbookTemplates(planId: $p) { id title suited taskCount decisionCount } }', {
      p: planId,
    });
    expect(listed.errors).toBeUndefined();
    const [first, ...others] = listed.data!.runbookTemplates;
    expect(first).toMatchObject({
      id: 'm365-mailbox-wave',
      title: 'Wave of Exchange Online mailboxes to Bleu',
      suited: true,
    });
    expect(first!.decisionCount).toBeGreaterThan(0);
    expect(others.length).toBeGreaterThan(0);
    expect(others.every((template) => !template.suited)).toBe(true);

    const t0 = '2027-06-12T20:00:00.000Z';
    const created = await inEnglish<{ createRunbook: Runbook }>(
      editor,
      `mutation($p: ID!) { createRunbook(planId: $p, input: { title: "Vague 1", t0: "${t0}", templateId: "m365-mailbox-wave" }) { ...R } } ${RUNBOOK}`,
      { p: planId },
    );
    expect(created.errors).toBeUndefined();
    const runbook = created.data!.createRunbook;
    expect(runbook).toMatchObject({ title: 'Vague 1', kind: 'LIVE', state: 'PLANNING', t0, delayMinutes: 0 });
    expect(runbook.tasks).toHaveLength(first!.taskCount + first!.decisionCount);
    // The plan is French: the template's texts are written in French whatever the request's language.
    expect(runbook.tasks[0]).toMatchObject({
      title: 'Informer les utilisateurs de la vague',
      stage: 'FREEZE',
      plannedStartOffset: -7200,
      plannedStart: new Date(Date.parse(t0) - 7200 * MINUTE).toISOString(),
      status: 'PENDING',
      canStart: false,
    });
    expect(runbook.tasks[0]!.instructions).toContain('Envoyer aux utilisateurs');
    expect(runbook.tasks[0]!.blockers).toEqual([{ code: 'RUNBOOK_NOT_RUNNING', taskIds: [] }]);
    expect(runbook.tasks.filter((task) => task.kind === 'DECISION')).toHaveLength(first!.decisionCount);
    expect(runbook.tasks.some((task) => task.rollbackTaskId !== null)).toBe(true);
    expect(runbook.plannedEnd).not.toBeNull();
    expect(runbook.criticalPath.length).toBeGreaterThan(1);

    const unknown = await as(
      editor,
      'mutation($p: ID!) { createRunbook(planId: $p, input: { title: "X", templateId: "nope" }) { id } }',
      {
        p: planId,
      },
    );
    expect(refusal(unknown).code).toBe('NOT_FOUND');
  });

  it('runs a runbook live: late tasks, start rules and stamps, a no-go stopping the next stage, the rollback', async () => {
    const planId = await newPlan();
    const t0 = new Date(Date.now() - 120 * MINUTE).toISOString();
    const runbook = await newRunbook(planId, { title: 'Vague 1', t0 });
    const freeze = await newTask(planId, runbook.id, {
      title: 'Geler les changements',
      stage: 'FREEZE',
      startOffset: 0,
      duration: 30,
    });
    const backup = await newTask(planId, runbook.id, {
      title: 'Sauvegarder les boîtes',
      stage: 'BACKUP',
      duration: 60,
      dependsOn: [freeze.id],
      ownerId: taskOwner.userId,
    });
    const decision = await newTask(planId, runbook.id, {
      title: 'Go / no-go',
      kind: 'DECISION',
      stage: 'VALIDATE',
      dependsOn: [backup.id],
      approverIds: [approver.userId],
    });
    const restore = await newTask(planId, runbook.id, { title: 'Rétablir les MX', stage: 'ROLLBACK', duration: 15 });
    const switchOver = await newTask(planId, runbook.id, {
      title: 'Basculer les MX',
      stage: 'SWITCH',
      duration: 15,
      dependsOn: [decision.id],
      rollbackTaskId: restore.id,
    });

    expect(refusal(await act(editor, 'startTask', planId, freeze.id))).toEqual({
      code: 'CONFLICT',
      rule: 'TASK_ORDER',
    });
    expect(refusal(await setState(viewer, planId, runbook.id)).code).toBe('FORBIDDEN');
    expect(refusal(await setState(approver, planId, runbook.id))).toEqual({ code: 'FORBIDDEN', rule: 'TASK_ACTOR' });
    const started = (await setState(editor, planId, runbook.id)).data!.startRunbook!;
    expect(started.state).toBe('RUNNING');
    expect(Date.now() - Date.parse(started.startedAt!)).toBeLessThan(60_000);

    // T0 was two hours ago: the first task is late by as much, and so is the forecast end.
    let live = await readRunbook(editor, planId, runbook.id);
    expect(taskIn(live, freeze.id)).toMatchObject({ late: true, critical: true, canStart: true });
    expect(taskIn(live, freeze.id).lateMinutes).toBeGreaterThanOrEqual(119);
    expect(taskIn(live, freeze.id).lateMinutes).toBeLessThanOrEqual(122);
    expect(live.delayMinutes).toBeGreaterThanOrEqual(119);
    expect(Date.parse(live.forecastEnd!) - Date.parse(live.plannedEnd!)).toBeGreaterThanOrEqual(119 * MINUTE);
    expect(live.criticalPath).toEqual([freeze.id, backup.id, decision.id, switchOver.id]);
    expect(taskIn(live, backup.id).blockers).toEqual([{ code: 'PREDECESSOR', taskIds: [freeze.id] }]);
    expect(taskIn(live, restore.id)).toMatchObject({ stopped: true, canStart: false });

    const tooSoon = await act(editor, 'startTask', planId, backup.id);
    expect(refusal(tooSoon)).toEqual({ code: 'CONFLICT', rule: 'TASK_ORDER' });
    expect(tooSoon.errors?.[0]?.extensions?.related).toEqual([freeze.id]);
    expect(refusal(await act(approver, 'startTask', planId, freeze.id))).toEqual({
      code: 'FORBIDDEN',
      rule: 'TASK_ACTOR',
    });

    const running = (await act(editor, 'startTask', planId, freeze.id)).data!.startTask!;
    expect(running).toMatchObject({ status: 'RUNNING', startedBy: nameOf(editor), canStart: false, endedAt: null });
    expect(Date.now() - Date.parse(running.startedAt!)).toBeLessThan(60_000);
    // Started two hours late and planned for 30 minutes: already late on its end.
    expect(running).toMatchObject({ late: true });
    const done = (await act(editor, 'finishTask', planId, freeze.id)).data!.finishTask!;
    expect(done).toMatchObject({ status: 'DONE', endedBy: nameOf(editor), late: false });
    expect(done.endedAt).not.toBeNull();

    // The backup is the task owner's: an approver may run the tasks they own.
    expect(taskIn(await readRunbook(taskOwner, planId, runbook.id), backup.id).canStart).toBe(true);
    expect((await act(taskOwner, 'startTask', planId, backup.id)).data!.startTask).toMatchObject({
      status: 'RUNNING',
      startedBy: nameOf(taskOwner),
    });
    await act(taskOwner, 'finishTask', planId, backup.id);

    // Only the named approver votes; a no-go stops what comes after and opens the rollback.
    expect(taskIn(await readRunbook(approver, planId, runbook.id), decision.id).canVote).toBe(true);
    expect(refusal(await vote(editor, planId, decision.id, 'GO'))).toEqual({ code: 'FORBIDDEN', rule: 'VOTE_REFUSED' });
    const noGo = await vote(approver, planId, decision.id, 'NO_GO', 'Les sauvegardes ne sont pas vérifiées');
    expect(noGo.errors).toBeUndefined();
    expect(noGo.data!.vote).toMatchObject({
      taskId: decision.id,
      vote: 'NO_GO',
      comment: 'Les sauvegardes ne sont pas vérifiées',
      voterId: approver.userId,
      voterName: nameOf(approver),
    });
    expect(Date.now() - Date.parse(noGo.data!.vote.at)).toBeLessThan(60_000);
    expect(refusal(await vote(approver, planId, decision.id, 'GO'))).toEqual({
      code: 'FORBIDDEN',
      rule: 'VOTE_REFUSED',
    });

    live = await readRunbook(editor, planId, runbook.id);
    expect(taskIn(live, decision.id)).toMatchObject({ decision: 'NO_GO', status: 'FAILED', canVote: false });
    expect(taskIn(live, switchOver.id)).toMatchObject({ stopped: true, canStart: false, late: false });
    expect(taskIn(live, switchOver.id).blockers).toContainEqual({ code: 'NO_GO', taskIds: [decision.id] });
    expect(live.rollbackOpen).toBe(true);
    expect(live.votes).toHaveLength(1);
    expect(taskIn(live, restore.id)).toMatchObject({ stopped: false, canStart: true });
    expect(refusal(await act(editor, 'startTask', planId, switchOver.id))).toEqual({
      code: 'CONFLICT',
      rule: 'TASK_ORDER',
    });

    // Rolling back: a failure needs a reason, a failed task may run again.
    await act(editor, 'startTask', planId, restore.id);
    expect(refusal(await act(editor, 'failTask', planId, restore.id, '  '))).toEqual({
      code: 'BAD_USER_INPUT',
      rule: 'REASON_REQUIRED',
    });
    expect((await act(editor, 'failTask', planId, restore.id, 'DNS injoignable')).data!.failTask).toMatchObject({
      status: 'FAILED',
      reason: 'DNS injoignable',
      canStart: true,
    });
    expect((await act(editor, 'startTask', planId, restore.id)).data!.startTask).toMatchObject({
      status: 'RUNNING',
      reason: null,
    });
    await act(editor, 'finishTask', planId, restore.id);

    const ended = (await setState(editor, planId, runbook.id, 'ABORTED')).data!.endRunbook!;
    expect(ended).toMatchObject({ state: 'ABORTED' });
    expect(ended.endedAt).not.toBeNull();
    expect(ended.stages.find((stage) => stage.stage === 'FREEZE')).toEqual({
      stage: 'FREEZE',
      tasks: 1,
      done: 1,
      plannedStartOffset: 0,
      plannedEndOffset: 30,
    });
  });

  it('refuses a GO while a gating checkpoint is open, and takes it once the checkpoint passed', async () => {
    const planId = await newPlan();
    const { createMilestone } = await must<{ createMilestone: { id: string } }>(
      owner,
      'mutation($p: ID!) { createMilestone(planId: $p, input: { title: "Bascule", kind: CUTOVER }) { id } }',
      { p: planId },
    );
    const { createCheckpoint } = await must<{ createCheckpoint: { id: string } }>(
      owner,
      'mutation($p: ID!, $m: ID!) { createCheckpoint(planId: $p, input: { title: "AIPD", framework: "GDPR", milestoneIds: [$m] }) { id } }',
      { p: planId, m: createMilestone.id },
    );
    const runbook = await newRunbook(planId, { title: 'Bascule', milestoneId: createMilestone.id });
    const decision = await newTask(planId, runbook.id, { title: 'Go final', kind: 'DECISION', stage: 'VALIDATE' });
    expect(decision.gates).toEqual([{ checkpointId: createCheckpoint.id, open: true }]);
    await setState(editor, planId, runbook.id);

    expect(taskIn(await readRunbook(approver, planId, runbook.id), decision.id).canVote).toBe(true);
    const blocked = await vote(approver, planId, decision.id, 'GO');
    expect(refusal(blocked)).toEqual({ code: 'CONFLICT', rule: 'GATE_BLOCKED' });
    expect(blocked.errors?.[0]?.message).toContain('AIPD');
    expect(blocked.errors?.[0]?.extensions?.related).toEqual([createCheckpoint.id]);
    expect((await readRunbook(editor, planId, runbook.id)).votes).toEqual([]);

    await must(
      owner,
      'mutation($p: ID!, $c: ID!) { updateCheckpoint(planId: $p, id: $c, input: { status: PASSED }) { id } }',
      {
        p: planId,
        c: createCheckpoint.id,
      },
    );
    expect((await vote(approver, planId, decision.id, 'GO')).errors).toBeUndefined();
    const after = await readRunbook(viewer, planId, runbook.id);
    expect(taskIn(after, decision.id)).toMatchObject({
      decision: 'GO',
      status: 'DONE',
      gates: [{ checkpointId: createCheckpoint.id, open: false }],
    });
    // Its only task decided: the runbook completed by itself.
    expect(after.state).toBe('COMPLETED');
  });

  it('lets viewers see and never act, approvers act on their own tasks only, other organizations nothing', async () => {
    const planId = await newPlan();
    const runbook = await newRunbook(planId, { title: 'Vague 2', t0: new Date().toISOString() });
    const mine = await newTask(planId, runbook.id, {
      title: 'Copier la base',
      ownerId: taskOwner.userId,
      duration: 10,
    });
    const theirs = await newTask(planId, runbook.id, { title: 'Vider les files', duration: 10 });
    await setState(editor, planId, runbook.id);

    const seen = await readRunbook(viewer, planId, runbook.id);
    expect(seen.tasks.map((task) => task.canStart)).toEqual([false, false]);
    expect(refusal(await act(viewer, 'startTask', planId, mine.id)).code).toBe('FORBIDDEN');
    expect(refusal(await vote(viewer, planId, mine.id, 'GO')).code).toBe('FORBIDDEN');

    expect(taskIn(await readRunbook(approver, planId, runbook.id), theirs.id).canStart).toBe(false);
    expect(refusal(await act(approver, 'startTask', planId, theirs.id))).toEqual({
      code: 'FORBIDDEN',
      rule: 'TASK_ACTOR',
    });
    expect(refusal(await act(taskOwner, 'startTask', planId, theirs.id))).toEqual({
      code: 'FORBIDDEN',
      rule: 'TASK_ACTOR',
    });
    const ownView = await readRunbook(taskOwner, planId, runbook.id);
    expect([taskIn(ownView, mine.id).canStart, taskIn(ownView, theirs.id).canStart]).toEqual([true, false]);
    expect((await act(taskOwner, 'startTask', planId, mine.id)).data!.startTask!.status).toBe('RUNNING');
    expect(taskIn(await readRunbook(editor, planId, runbook.id), theirs.id).canStart).toBe(true);

    for (const query of [
      `query($p: ID!, $id: ID!) { runbook(planId: $p, id: $id) { id title } }`,
      `mutation($p: ID!, $id: ID!) { startRunbook(planId: $p, id: $id) { id } }`,
    ])
      expect(refusal(await as(outsider, query, { p: planId, id: runbook.id })).code).toBe('NOT_FOUND');
    expect(refusal(await act(outsider, 'startTask', planId, theirs.id)).code).toBe('NOT_FOUND');
  });

  it('changes a task’s plan but not how it runs, and checks what it names', async () => {
    const planId = await newPlan();
    const runbook = await newRunbook(planId, { title: 'Vague 3' });
    const other = await newRunbook(planId, { title: 'Vague 4' });
    const [first, second, third] = [
      await newTask(planId, runbook.id, { title: 'Un' }),
      await newTask(planId, runbook.id, { title: 'Deux' }),
      await newTask(planId, runbook.id, { title: 'Trois' }),
    ];
    const elsewhere = await newTask(planId, other.id, { title: 'Ailleurs' });
    const update = (input: Record<string, unknown>, id = first!.id) =>
      as<{ updateRunbookTask: Task }>(
        editor,
        `mutation($p: ID!, $id: ID!, $i: RunbookTaskPatch!) { updateRunbookTask(planId: $p, id: $id, input: $i) { ...T } } ${TASK}`,
        { p: planId, id, i: input },
      );

    const execution = await update({ status: 'DONE' });
    expect(refusal(execution).code).toBe('BAD_USER_INPUT');
    expect(execution.errors?.[0]?.message).toContain('status');
    const crossed = await update({ dependsOn: [elsewhere.id] });
    expect(refusal(crossed).code).toBe('BAD_USER_INPUT');
    expect(crossed.errors?.[0]?.extensions?.field).toBe('dependsOn');
    const stranger = await update({ ownerId: outsider.userId });
    expect(stranger.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'ownerId' });
    expect(
      (await update({ duration: 45, ownerId: editor.userId, instructions: 'Ligne 1\nLigne 2' })).data!
        .updateRunbookTask,
    ).toMatchObject({
      duration: 45,
      ownerId: editor.userId,
      instructions: 'Ligne 1\nLigne 2',
    });
    const badInstant = await as(
      editor,
      'mutation($p: ID!, $id: ID!) { updateRunbook(planId: $p, id: $id, input: { t0: "not a date" }) { id } }',
      {
        p: planId,
        id: runbook.id,
      },
    );
    expect(badInstant.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 't0' });

    await must(editor, 'mutation($p: ID!, $id: ID!) { moveRunbookTask(planId: $p, id: $id, index: 0) { id } }', {
      p: planId,
      id: third!.id,
    });
    expect((await readRunbook(editor, planId, runbook.id)).tasks.map((task) => task.title)).toEqual([
      'Trois',
      'Un',
      'Deux',
    ]);
    const { deleteRunbookTask } = await must<{ deleteRunbookTask: Runbook }>(
      editor,
      `mutation($p: ID!, $id: ID!) { deleteRunbookTask(planId: $p, id: $id) { ...R } } ${RUNBOOK}`,
      { p: planId, id: second!.id },
    );
    expect(deleteRunbookTask.tasks.map((task) => task.title)).toEqual(['Trois', 'Un']);
    const { deleteRunbook } = await must<{ deleteRunbook: { runbooks: { id: string }[] } }>(
      editor,
      'mutation($p: ID!, $id: ID!) { deleteRunbook(planId: $p, id: $id) { runbooks { id } } }',
      { p: planId, id: other.id },
    );
    expect(deleteRunbook.runbooks).toEqual([{ id: runbook.id }]);
  });

  it('lists a plan’s runbooks on Plan, for a few plans at a time', async () => {
    const planId = await newPlan();
    const runbook = await newRunbook(planId, { title: 'Vague 9' });
    const { plan } = await must<{ plan: { runbooks: { id: string; title: string }[] } }>(
      viewer,
      'query($p: ID!) { plan(id: $p) { runbooks { id title } } }',
      { p: planId },
    );
    expect(plan.runbooks).toEqual([{ id: runbook.id, title: 'Vague 9' }]);
    for (let count = 0; count < 11; count += 1)
      await must(owner, 'mutation { createPlan(input: { title: "Une de plus" }) { id } }');
    // More than 10 plans are refused as they are read; a page of 500 before it runs, for its cost.
    const morePlans = await as(owner, '{ plans(first: 20) { edges { node { id runbooks { id } } } } }');
    expect(refusal(morePlans).code).toBe('BAD_USER_INPUT');
    const everyPlan = await as(owner, '{ plans(first: 500) { edges { node { id runbooks { id } } } } }');
    expect(refusal(everyPlan).code).toBe('QUERY_TOO_COMPLEX');
  });

  it('rehearses a runbook, compares planned with actual, and takes the rehearsal’s durations', async () => {
    const planId = await newPlan();
    const runbook = await newRunbook(planId, { title: 'Vague 5', t0: '2027-06-12T20:00:00.000Z' });
    const copy = await newTask(planId, runbook.id, { title: 'Copier', stage: 'MIGRATE', duration: 30 });
    const check = await newTask(planId, runbook.id, {
      title: 'Vérifier',
      stage: 'VALIDATE',
      duration: 60,
      dependsOn: [copy.id],
    });

    const { startRehearsal } = await must<{ startRehearsal: Runbook }>(
      editor,
      `mutation($p: ID!, $r: ID!) { startRehearsal(planId: $p, runbookId: $r) { ...R } } ${RUNBOOK}`,
      { p: planId, r: runbook.id },
    );
    expect(startRehearsal).toMatchObject({
      title: 'Répétition – Vague 5',
      kind: 'REHEARSAL',
      rehearsalOf: runbook.id,
      state: 'PLANNING',
    });
    // Its T0: when it was made, as its first task starts at T0.
    expect(Math.abs(Date.parse(startRehearsal.t0!) - Date.now())).toBeLessThan(60_000);
    const [copied, checked] = startRehearsal.tasks;
    expect(copied).toMatchObject({ title: 'Copier', sourceTaskId: copy.id, duration: 30, dependsOn: [] });
    expect(checked).toMatchObject({ title: 'Vérifier', sourceTaskId: check.id, dependsOn: [copied!.id] });

    await setState(editor, planId, startRehearsal.id);
    for (const task of [copied!, checked!]) {
      await act(editor, 'startTask', planId, task.id);
      expect((await act(editor, 'finishTask', planId, task.id)).errors).toBeUndefined();
    }
    const rehearsed = await readRunbook(editor, planId, startRehearsal.id);
    expect(rehearsed.state).toBe('COMPLETED');
    expect(rehearsed.comparison).toEqual({
      tasks: [
        { taskId: copied!.id, sourceTaskId: copy.id, plannedMinutes: 30, actualMinutes: 0, status: 'DONE' },
        { taskId: checked!.id, sourceTaskId: check.id, plannedMinutes: 60, actualMinutes: 0, status: 'DONE' },
      ],
      stages: [
        { stage: 'MIGRATE', plannedMinutes: 30, actualMinutes: 0 },
        { stage: 'VALIDATE', plannedMinutes: 60, actualMinutes: 0 },
      ],
    });
    expect((await readRunbook(editor, planId, runbook.id)).comparison).toBeNull();

    const apply = (id: string) =>
      as<{ applyRehearsalDurations: number }>(
        editor,
        'mutation($p: ID!, $r: ID!) { applyRehearsalDurations(planId: $p, rehearsalId: $r) }',
        { p: planId, r: id },
      );
    expect((await apply(startRehearsal.id)).data!.applyRehearsalDurations).toBe(2);
    expect((await readRunbook(editor, planId, runbook.id)).tasks.map((task) => task.duration)).toEqual([1, 1]);
    expect((await apply(startRehearsal.id)).data!.applyRehearsalDurations).toBe(0);
    expect(refusal(await apply(runbook.id)).code).toBe('BAD_USER_INPUT');
    const byViewer = await as(
      viewer,
      'mutation($p: ID!, $r: ID!) { applyRehearsalDurations(planId: $p, rehearsalId: $r) }',
      {
        p: planId,
        r: startRehearsal.id,
      },
    );
    expect(refusal(byViewer).code).toBe('FORBIDDEN');

    const englishPlan = await newPlan('Mail cutover', 'en');
    const englishRunbook = await newRunbook(englishPlan, { title: 'Wave 1' });
    const { startRehearsal: english } = await must<{ startRehearsal: { title: string } }>(
      editor,
      'mutation($p: ID!, $r: ID!) { startRehearsal(planId: $p, runbookId: $r, t0: "2027-06-01T08:00:00Z") { title t0 } }',
      { p: englishPlan, r: englishRunbook.id },
    );
    expect(english).toEqual({ title: 'Rehearsal – Wave 1', t0: '2027-06-01T08:00:00.000Z' });
  });

  it('sends a task each time it moves, whether the API or a Yjs client moved it', async () => {
    const planId = await newPlan();
    const runbook = await newRunbook(planId, { title: 'Vague 6', t0: new Date().toISOString() });
    const [viaApi, viaSocket] = [
      await newTask(planId, runbook.id, { title: 'Par l’API', duration: 10 }),
      await newTask(planId, runbook.id, { title: 'Par le socket', duration: 10 }),
    ];
    const other = await newRunbook(planId, { title: 'Vague 7' });
    await setState(editor, planId, runbook.id);
    await setState(editor, planId, other.id);
    const watch = (runbookId: string | null) => {
      const subscription = subscribe<{ runbookTaskChanged: Task }>(
        testApp.baseUrl,
        { authorization: `Bearer ${viewer.tokens.accessToken}` },
        runbookId === null
          ? `subscription($p: ID!) { runbookTaskChanged(planId: $p) { ...T } } ${TASK}`
          : `subscription($p: ID!, $r: ID) { runbookTaskChanged(planId: $p, runbookId: $r) { ...T } } ${TASK}`,
        { p: planId, ...(runbookId === null ? {} : { r: runbookId }) },
      );
      open.push(subscription as Subscription<unknown>);
      return subscription;
    };
    const live = watch(null);
    const onlyOther = watch(other.id);
    await Promise.all([live.connected, onlyOther.connected]);
    // A subscription is registered once the server has run its resolver: move throwaway tasks until both are.
    await eventually(async () => {
      for (const id of [runbook.id, other.id]) {
        const warmUp = await newTask(planId, id, { title: 'Échauffement' });
        await act(editor, 'skipTask', planId, warmUp.id, 'échauffement');
      }
      expect([live.results.length > 0, onlyOther.results.length > 0]).toEqual([true, true]);
    });

    await act(editor, 'startTask', planId, viaApi.id);
    await eventually(() =>
      expect(live.results.map((result) => result.data?.runbookTaskChanged)).toContainEqual(
        expect.objectContaining({ id: viaApi.id, status: 'RUNNING', startedBy: nameOf(editor), canStart: false }),
      ),
    );

    const client = connectClient(testApp.baseUrl, planId, editor.tokens.accessToken);
    try {
      await synced(client);
      client.doc.getMap<Y.Map<unknown>>('runbookTasks').get(viaSocket.id)!.set('status', 'RUNNING');
      // The socket's change, then the server's stamps on it: the last one carries them.
      await eventually(() =>
        expect(live.results.map((result) => result.data?.runbookTaskChanged)).toContainEqual(
          expect.objectContaining({ id: viaSocket.id, status: 'RUNNING', startedBy: nameOf(editor) }),
        ),
      );
    } finally {
      client.destroy();
    }
    expect(live.results.every((result) => result.errors === undefined)).toBe(true);
    expect(new Set(onlyOther.results.map((result) => result.data?.runbookTaskChanged.runbookId))).toEqual(
      new Set([other.id]),
    );

    const spy = subscribe(
      testApp.baseUrl,
      { authorization: `Bearer ${outsider.tokens.accessToken}` },
      'subscription($p: ID!) { runbookTaskChanged(planId: $p) { id } }',
      { p: planId },
    );
    open.push(spy);
    await eventually(() => expect(spy.ended.done || spy.results.length > 0).toBe(true));
    expect(JSON.stringify(spy.ended.error ?? spy.results)).toContain('NOT_FOUND');
  });

  it('does not send a start the rules refused, only the task as the server put it back', async () => {
    const planId = await newPlan();
    const runbook = await newRunbook(planId, { title: 'Vague 9', t0: new Date().toISOString() });
    const freeze = await newTask(planId, runbook.id, { title: 'Geler', duration: 10 });
    const copy = await newTask(planId, runbook.id, { title: 'Copier', duration: 10, dependsOn: [freeze.id] });
    await setState(editor, planId, runbook.id);
    const live = subscribe<{ runbookTaskChanged: Task }>(
      testApp.baseUrl,
      { authorization: `Bearer ${viewer.tokens.accessToken}` },
      `subscription($p: ID!) { runbookTaskChanged(planId: $p) { ...T } } ${TASK}`,
      { p: planId },
    );
    open.push(live as Subscription<unknown>);
    await live.connected;
    await eventually(async () => {
      const warmUp = await newTask(planId, runbook.id, { title: 'Échauffement' });
      await act(editor, 'skipTask', planId, warmUp.id, 'échauffement');
      expect(live.results.length).toBeGreaterThan(0);
    });
    const sent = (id: string) =>
      live.results.map((result) => result.data?.runbookTaskChanged).filter((task) => task?.id === id);

    // The copy started over a socket before the freeze is done: refused, put back to PENDING.
    const client = connectClient(testApp.baseUrl, planId, editor.tokens.accessToken);
    try {
      await synced(client);
      client.doc.getMap<Y.Map<unknown>>('runbookTasks').get(copy.id)!.set('status', 'RUNNING');
      await eventually(() => expect(sent(copy.id)).toContainEqual(expect.objectContaining({ status: 'PENDING' })));
    } finally {
      client.destroy();
    }
    // Whatever comes after it (the freeze's start) comes after anything sent of the refused start.
    await act(editor, 'startTask', planId, freeze.id);
    await eventually(() => expect(sent(freeze.id)).toContainEqual(expect.objectContaining({ status: 'RUNNING' })));
    expect(sent(copy.id).map((task) => [task?.status, task?.startedAt])).toEqual([['PENDING', null]]);
  });

  const withRedis = process.env.REDIS_URL ? it : it.skip;
  withRedis('sends a task a Yjs client moved on one instance to subscribers on another (Redis)', async () => {
    const planId = await newPlan();
    const runbook = await newRunbook(planId, { title: 'Vague 8', t0: new Date().toISOString() });
    const task = await newTask(planId, runbook.id, { title: 'Ailleurs', duration: 10 });
    await setState(editor, planId, runbook.id);
    const other = await createApp(
      testConfig({ DATABASE_URL: testApp.database.url, BASCULE_ROLES: 'api' }),
      captureLogs().logger,
    );
    const live = subscribe<{ runbookTaskChanged: Task }>(
      await listen(other),
      { authorization: `Bearer ${viewer.tokens.accessToken}` },
      `subscription($p: ID!) { runbookTaskChanged(planId: $p) { ...T } } ${TASK}`,
      { p: planId },
    );
    const client = connectClient(testApp.baseUrl, planId, editor.tokens.accessToken);
    try {
      await live.connected;
      await eventually(async () => {
        const warmUp = await newTask(planId, runbook.id, { title: 'Échauffement' });
        await act(editor, 'skipTask', planId, warmUp.id, 'échauffement');
        expect(live.results.length).toBeGreaterThan(0);
      });
      await synced(client);
      client.doc.getMap<Y.Map<unknown>>('runbookTasks').get(task.id)!.set('status', 'RUNNING');
      await eventually(() =>
        expect(live.results.map((result) => result.data?.runbookTaskChanged)).toContainEqual(
          expect.objectContaining({ id: task.id, status: 'RUNNING', startedBy: nameOf(editor), canStart: false }),
        ),
      );
    } finally {
      client.destroy();
      await live.close();
      await other.close();
    }
  });
});
