import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { CollabServer, type DocumentWatcher, replayStored } from '@bascule/collab';
import { DataSource } from 'typeorm';
import * as Y from 'yjs';
import { startTestApp, type TestApp } from '../../../../test/support/app.js';
import { type CollabClient, connectClient, createPlan, eventually, synced } from '../../../../test/support/collab.js';
import { graphqlAs, type SignedUp, signUp } from '../../../../test/support/identity.js';
import { AuditEventEntity } from '../audit/audit-event.entity.js';
import { SqlDocumentStore } from '../collab/document.store.js';
import { PlanDocumentService } from '../collab/plan-document.service.js';
import { WebhookDeliveryEntity, type WebhookEvent } from '../webhooks/webhook.entities.js';
import { RunbookLateness } from './runbook-lateness.js';

interface Delivered {
  readonly type: string;
  readonly planId: string;
  readonly data: Record<string, unknown>;
}

const MINUTE = 60_000;

/**
 * The runbook webhooks, as the outbox holds them: a task late (from the clock, once per episode),
 * a task failed, a go / no-go decided, each with what a receiver needs to act, and none for what
 * the server's own corrections put back.
 */
describe('runbook webhooks', () => {
  let testApp: TestApp;
  let owner: SignedUp;
  let planId: string;
  const clients: CollabClient[] = [];

  const as = <T = Record<string, unknown>>(query: string, variables: Record<string, unknown> = {}) =>
    graphqlAs<T>(testApp.baseUrl, owner.tokens.accessToken, query, { p: planId, ...variables });
  const ok = async <T>(response: Promise<{ data?: T | null; errors?: unknown }>): Promise<T> => {
    const { data, errors } = await response;
    expect(errors).toBeUndefined();
    return data as T;
  };
  const delivered = async (type: WebhookEvent, plan = planId): Promise<Delivered[]> =>
    (await testApp.app.get(DataSource).getRepository(WebhookDeliveryEntity).findBy({ event: type }))
      .map((delivery) => JSON.parse(delivery.payload) as Delivered)
      .filter((event) => event.planId === plan);
  const deliveredFor = async (type: WebhookEvent, taskId: string, plan = planId) =>
    (await delivered(type, plan)).filter((event) => event.data.taskId === taskId);

  const newRunbook = async (title: string, t0: string, plan = planId) =>
    (
      await ok(
        as<{ createRunbook: { id: string } }>(
          'mutation($p: ID!, $t: String!, $t0: DateTime) { createRunbook(planId: $p, input: { title: $t, t0: $t0 }) { id } }',
          { p: plan, t: title, t0 },
        ),
      )
    ).createRunbook.id;
  const newTask = async (runbookId: string, input: Record<string, unknown>, plan = planId) =>
    (
      await ok(
        as<{ createRunbookTask: { id: string } }>(
          'mutation($p: ID!, $r: ID!, $i: RunbookTaskInput!) { createRunbookTask(planId: $p, runbookId: $r, input: $i) { id } }',
          { p: plan, r: runbookId, i: input },
        ),
      )
    ).createRunbookTask.id;
  const startRunbook = (runbookId: string, plan = planId) =>
    ok(as('mutation($p: ID!, $r: ID!) { startRunbook(planId: $p, id: $r) { id } }', { p: plan, r: runbookId }));
  /** startTask or finishTask, or failTask and skipTask with a reason. */
  const act = (mutation: string, taskId: string, reason?: string) =>
    ok(
      as(
        reason === undefined
          ? `mutation($p: ID!, $t: ID!) { ${mutation}(planId: $p, id: $t) { id } }`
          : `mutation($p: ID!, $t: ID!, $why: String!) { ${mutation}(planId: $p, id: $t, reason: $why) { id } }`,
        { t: taskId, ...(reason === undefined ? {} : { why: reason }) },
      ),
    );
  const connect = async () => {
    const client = connectClient(testApp.baseUrl, planId, owner.tokens.accessToken);
    clients.push(client);
    await synced(client);
    return client;
  };
  const taskIn = (doc: Y.Doc, id: string) => doc.getMap<Y.Map<unknown>>('runbookTasks').get(id)!;
  /** Waits until the trail holds `count` changes of Bascule's own to a task's field: what they led to is in the outbox with them. */
  const correctedBySystem = (taskId: string, field: string, count: number) =>
    eventually(async () =>
      expect(
        await testApp.app
          .get(DataSource)
          .getRepository(AuditEventEntity)
          .countBy({ planId, actorKind: 'system', entity: 'runbookTasks', entityId: taskId, field }),
      ).toBe(count),
    );

  beforeAll(async () => {
    testApp = await startTestApp();
    owner = await signUp(testApp.baseUrl, { displayName: 'Claire Lemoine' });
    planId = await createPlan(testApp.baseUrl, owner.tokens.accessToken, 'Base patients vers Outscale');
    await ok(
      graphqlAs(
        testApp.baseUrl,
        owner.tokens.accessToken,
        'mutation($i: WebhookEndpointInput!) { createWebhookEndpoint(input: $i) { secret } }',
        {
          i: {
            url: 'https://receiver.example/hooks',
            events: ['runbook.task.late', 'runbook.task.failed', 'runbook.decision'],
          },
        },
      ),
    );
  });

  afterEach(() => {
    for (const client of clients.splice(0)) client.destroy();
  });

  afterAll(() => testApp.close());

  it('tells of a late task once per episode, a failed task with its reason, and a decision with its votes', async () => {
    // T0 two hours ago: the freeze (30 minutes from T0) should have started long ago.
    const t0 = new Date(Date.now() - 120 * 60_000).toISOString();
    const { createRunbook } = await ok(
      as<{ createRunbook: { id: string } }>(
        'mutation($p: ID!, $t0: DateTime) { createRunbook(planId: $p, input: { title: "Nuit de bascule", t0: $t0 }) { id } }',
        { t0 },
      ),
    );
    const task = async (input: Record<string, unknown>) =>
      (
        await ok(
          as<{ createRunbookTask: { id: string } }>(
            'mutation($p: ID!, $r: ID!, $i: RunbookTaskInput!) { createRunbookTask(planId: $p, runbookId: $r, input: $i) { id } }',
            { r: createRunbook.id, i: input },
          ),
        )
      ).createRunbookTask.id;
    const freeze = await task({ title: 'Geler les écritures', stage: 'FREEZE', startOffset: 0, duration: 30 });
    const go = await task({ title: 'Go / no-go copie', kind: 'DECISION', stage: 'BACKUP', dependsOn: [freeze] });
    await ok(as('mutation($p: ID!, $r: ID!) { startRunbook(planId: $p, id: $r) { id } }', { r: createRunbook.id }));

    const lateness = testApp.app.get(RunbookLateness);
    await lateness.round();
    await lateness.round();
    const late = await delivered('runbook.task.late');
    expect(late).toHaveLength(1);
    expect(late[0]!.data).toMatchObject({
      runbookId: createRunbook.id,
      runbookTitle: 'Nuit de bascule',
      rehearsal: false,
      taskId: freeze,
      title: 'Geler les écritures',
      stage: 'FREEZE',
      status: 'PENDING',
      plannedStart: t0,
    });
    expect(late[0]!.data.lateMinutes).toBeGreaterThanOrEqual(119);

    // Started now, it is not late for having started late; 31 minutes on, it runs a minute past its
    // own 30 minutes: late again, as a new episode, once.
    await ok(as('mutation($p: ID!, $t: ID!) { startTask(planId: $p, id: $t) { id } }', { t: freeze }));
    await lateness.round();
    expect(await delivered('runbook.task.late')).toHaveLength(1);
    await lateness.round(new Date(Date.now() + 31 * MINUTE));
    await lateness.round(new Date(Date.now() + 32 * MINUTE));
    const running = await delivered('runbook.task.late');
    expect(running.map((event) => event.data.status)).toEqual(['PENDING', 'RUNNING']);
    expect(running[1]!.data).toMatchObject({ taskId: freeze, rehearsal: false, lateMinutes: 1 });

    await ok(
      as('mutation($p: ID!, $t: ID!) { failTask(planId: $p, id: $t, reason: "Verrou non posé") { id } }', {
        t: freeze,
      }),
    );
    await eventually(async () =>
      expect((await delivered('runbook.task.failed')).map((event) => event.data)).toEqual([
        expect.objectContaining({
          taskId: freeze,
          reason: 'Verrou non posé',
          by: 'Claire Lemoine',
          stage: 'FREEZE',
          rehearsal: false,
        }),
      ]),
    );
    // A failed task is not late any more.
    await lateness.round();
    expect(await delivered('runbook.task.late')).toHaveLength(2);

    await ok(
      as('mutation($p: ID!, $t: ID!) { skipTask(planId: $p, id: $t, reason: "Fait à la main") { id } }', { t: freeze }),
    );
    await ok(
      as(
        'mutation($p: ID!, $t: ID!) { vote(planId: $p, taskId: $t, vote: NO_GO, comment: "Sauvegarde incomplète") { id } }',
        {
          t: go,
        },
      ),
    );
    await eventually(async () =>
      expect((await delivered('runbook.decision')).map((event) => event.data)).toEqual([
        expect.objectContaining({
          taskId: go,
          decision: 'NO_GO',
          rehearsal: false,
          votes: [
            expect.objectContaining({ voter: 'Claire Lemoine', vote: 'NO_GO', comment: 'Sauvegarde incomplète' }),
          ],
        }),
      ]),
    );
  });

  it('tells of a decision once: not again when the server puts back a decision written over a socket', async () => {
    const runbookId = await newRunbook('Bascule des boîtes', new Date().toISOString());
    const byApi = await newTask(runbookId, { title: 'Go / no-go par l’API', kind: 'DECISION', stage: 'FREEZE' });
    const bySocket = await newTask(runbookId, { title: 'Go / no-go par le socket', kind: 'DECISION', stage: 'FREEZE' });
    await startRunbook(runbookId);
    await ok(
      as('mutation($p: ID!, $t: ID!) { vote(planId: $p, taskId: $t, vote: NO_GO, comment: "Pas prêts") { id } }', {
        t: byApi,
      }),
    );
    await eventually(async () => expect(await deliveredFor('runbook.decision', byApi)).toHaveLength(1));

    // A vote over a socket: the server stamps it and decides the point in one correction, told of once.
    const client = await connect();
    const voteId = globalThis.crypto.randomUUID();
    client.doc.transact(() => {
      const entry = new Y.Map<unknown>();
      client.doc.getMap<Y.Map<unknown>>('runbookVotes').set(voteId, entry);
      entry.set('id', voteId);
      entry.set('position', 1);
      entry.set('taskId', bySocket);
      entry.set('vote', 'GO');
      entry.set('comment', 'Tout est vert');
    });
    await eventually(() => expect(taskIn(client.doc, bySocket).get('decision')).toBe('GO'));
    await eventually(async () =>
      expect((await deliveredFor('runbook.decision', bySocket)).map((event) => event.data)).toEqual([
        expect.objectContaining({
          decision: 'GO',
          votes: [expect.objectContaining({ voter: 'Claire Lemoine', vote: 'GO', comment: 'Tout est vert' })],
        }),
      ]),
    );

    // A client writes the decided point's decision (GO, then back to pending): the server puts NO_GO
    // back each time, and that is no new decision.
    taskIn(client.doc, byApi).set('decision', 'GO');
    await correctedBySystem(byApi, 'decision', 1);
    await eventually(() => expect(taskIn(client.doc, byApi).get('decision')).toBe('NO_GO'));
    taskIn(client.doc, byApi).set('decision', 'PENDING');
    await correctedBySystem(byApi, 'decision', 2);
    await eventually(() => expect(taskIn(client.doc, byApi).get('decision')).toBe('NO_GO'));
    expect(await deliveredFor('runbook.decision', byApi)).toHaveLength(1);
    expect(await deliveredFor('runbook.decision', bySocket)).toHaveLength(1);
  });

  it('tells of a failed task once: not again when the server puts back a refused retry', async () => {
    const runbookId = await newRunbook('Reprise', new Date().toISOString());
    const copy = await newTask(runbookId, { title: 'Copier les journaux', stage: 'BACKUP', duration: 10 });
    await newTask(runbookId, { title: 'Vérifier', stage: 'VALIDATE', duration: 10 });
    await startRunbook(runbookId);
    await act('startTask', copy);
    await act('failTask', copy, 'Disque plein');
    await eventually(async () => expect(await deliveredFor('runbook.task.failed', copy)).toHaveLength(1));
    await ok(
      as('mutation($p: ID!, $r: ID!) { endRunbook(planId: $p, id: $r, outcome: ABORTED) { id } }', { r: runbookId }),
    );

    // Tried again over a socket once the runbook is aborted: refused, put back to FAILED by Bascule.
    const client = await connect();
    taskIn(client.doc, copy).set('status', 'RUNNING');
    await correctedBySystem(copy, 'status', 1);
    await eventually(() => expect(taskIn(client.doc, copy).get('status')).toBe('FAILED'));
    expect((await deliveredFor('runbook.task.failed', copy)).map((event) => event.data.by)).toEqual(['Claire Lemoine']);
  });

  it('tells of a running task late by its own overrun, not for having started late behind a late one', async () => {
    // T0 two hours ago: the freeze (T0 to T0 + 30) and the copy after it (T0 + 30 to T0 + 90) both run late.
    const t0 = new Date(Date.now() - 120 * MINUTE).toISOString();
    const runbookId = await newRunbook('Nuit en retard', t0);
    const freeze = await newTask(runbookId, { title: 'Geler', stage: 'FREEZE', startOffset: 0, duration: 30 });
    const copy = await newTask(runbookId, { title: 'Copier', stage: 'MIGRATE', duration: 60, dependsOn: [freeze] });
    await startRunbook(runbookId);
    const lateness = testApp.app.get(RunbookLateness);
    await lateness.round();
    await act('startTask', freeze);
    await act('finishTask', freeze);
    await act('startTask', copy);
    await lateness.round();
    // The freeze was late to start; the copy, started now for its 60 minutes, is not late yet.
    expect((await deliveredFor('runbook.task.late', freeze)).map((event) => event.data.status)).toEqual(['PENDING']);
    expect(await deliveredFor('runbook.task.late', copy)).toEqual([]);

    // 55 minutes from now it still has time; 70 minutes from now it runs ten minutes past its own
    // end (not 100 past the plan's T0 + 90), and is told of once.
    await lateness.round(new Date(Date.now() + 55 * MINUTE));
    expect(await deliveredFor('runbook.task.late', copy)).toEqual([]);
    await lateness.round(new Date(Date.now() + 70 * MINUTE));
    await lateness.round(new Date(Date.now() + 75 * MINUTE));
    const late = await deliveredFor('runbook.task.late', copy);
    expect(late.map((event) => event.data)).toEqual([
      expect.objectContaining({
        status: 'RUNNING',
        plannedEnd: new Date(Date.parse(t0) + 90 * MINUTE).toISOString(),
      }),
    ]);
    expect(late[0]!.data.lateMinutes).toBeGreaterThanOrEqual(9);
    expect(late[0]!.data.lateMinutes).toBeLessThanOrEqual(11);
  });

  it('tells receivers which runbook events come from a rehearsal', async () => {
    const source = await newRunbook('Vague 2', new Date().toISOString());
    await newTask(source, { title: 'Geler', stage: 'FREEZE', startOffset: 0, duration: 30 });
    await newTask(source, { title: 'Go / no-go', kind: 'DECISION', stage: 'BACKUP' });
    const { startRehearsal } = await ok(
      as<{ startRehearsal: { id: string; tasks: { id: string; kind: string }[] } }>(
        'mutation($p: ID!, $r: ID!, $t0: DateTime) { startRehearsal(planId: $p, runbookId: $r, t0: $t0) { id tasks { id kind } } }',
        { r: source, t0: new Date(Date.now() - 120 * MINUTE).toISOString() },
      ),
    );
    const freeze = startRehearsal.tasks.find((task) => task.kind === 'TASK')!.id;
    const go = startRehearsal.tasks.find((task) => task.kind === 'DECISION')!.id;
    await startRunbook(startRehearsal.id);
    await testApp.app.get(RunbookLateness).round();
    await act('startTask', freeze);
    await act('failTask', freeze, 'Répétition : verrou');
    await act('skipTask', freeze, 'Fait à la main');
    await ok(as('mutation($p: ID!, $t: ID!) { vote(planId: $p, taskId: $t, vote: GO) { id } }', { t: go }));
    await eventually(async () => {
      for (const [type, taskId] of [
        ['runbook.task.late', freeze],
        ['runbook.task.failed', freeze],
        ['runbook.decision', go],
      ] as const)
        expect((await deliveredFor(type, taskId)).map((event) => [event.data.runbookId, event.data.rehearsal])).toEqual(
          [[startRehearsal.id, true]],
        );
    });
  });

  it('looks for late tasks in the plans as stored, without loading their documents', async () => {
    const plan = await createPlan(testApp.baseUrl, owner.tokens.accessToken, 'Messagerie vers Bleu');
    const runbookId = await newRunbook('Vague 3', new Date(Date.now() - 120 * MINUTE).toISOString(), plan);
    const freeze = await newTask(runbookId, { title: 'Geler', stage: 'FREEZE', startOffset: 0, duration: 30 }, plan);
    const mailboxes = await newTask(
      runbookId,
      { title: 'Boîtes', stage: 'MIGRATE', startOffset: 0, duration: 30 },
      plan,
    );
    await startRunbook(runbookId, plan);
    const collab = testApp.app.get(CollabServer);
    await eventually(() => expect(collab.isLoaded(plan)).toBe(false), 15_000);

    // Another instance stored a client's start of the mailboxes, not stamped by the server yet.
    const store = testApp.app.get(SqlDocumentStore);
    const stored = async () => {
      const doc = new Y.Doc();
      await replayStored(doc, await store.load(plan));
      return doc;
    };
    const doc = await stored();
    const before = Y.encodeStateVector(doc);
    taskIn(doc, mailboxes).set('status', 'RUNNING');
    await store.append([
      {
        documentName: plan,
        update: Y.encodeStateAsUpdate(doc, before),
        author: { kind: 'user', userId: owner.userId, apiTokenId: null, name: 'Claire Lemoine', role: 'OWNER' },
      },
    ]);

    const loaded: string[] = [];
    const watcher: DocumentWatcher = {
      watch: (name) => {
        loaded.push(name);
        return { close: () => undefined };
      },
    };
    const unwatch = testApp.app.get(PlanDocumentService).watch(watcher);
    try {
      await testApp.app.get(RunbookLateness).round();
    } finally {
      unwatch();
    }
    expect(loaded).not.toContain(plan);
    // The freeze is told of; the mailboxes' start is left to the server's verdict, which was not forced.
    expect((await delivered('runbook.task.late', plan)).map((event) => event.data.taskId)).toEqual([freeze]);
    expect(taskIn(await stored(), mailboxes).get('status')).toBe('RUNNING');
  });
});
