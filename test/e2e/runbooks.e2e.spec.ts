import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { createEntry } from '@bascule/plan-model';
import * as Y from 'yjs';
import { type CollabClient, connectClient, createPlan, eventually, synced } from '../support/collab.js';
import { serverEnvironment, type ServerEnvironment, suiteDialect } from '../support/database.js';
import { addMember, graphqlAs, type SignedUp, signUp } from '../support/identity.js';
import { type ServerProcess, startServer } from '../support/server-process.js';

interface TrailNode {
  action: string;
  entity: string;
  entityId: string | null;
  details: string | null;
  actor: { kind: string; id: string | null };
}

/**
 * A cutover runbook driven by raw Yjs clients (y-websocket's own provider), as a third-party tool
 * following docs/plan-document.md would: the server judges each execution change, stamps what it
 * accepts and puts back what it refuses, for everyone, and records the refusals.
 */
describe(`runbooks over raw Yjs sockets (${suiteDialect()})`, () => {
  let server: ServerProcess;
  let environment: ServerEnvironment;
  let owner: SignedUp;
  let editor: SignedUp;
  let approver: SignedUp;
  let viewer: SignedUp;
  const clients: CollabClient[] = [];

  const as = <T = Record<string, unknown>>(user: SignedUp, query: string, variables?: Record<string, unknown>) =>
    graphqlAs<T>(server.baseUrl, user.tokens.accessToken, query, variables);

  beforeAll(async () => {
    environment = await serverEnvironment();
    server = await startServer(environment.env);
    owner = await signUp(server.baseUrl, { displayName: 'Claire Lemoine' });
    editor = await addMember(server.baseUrl, owner.tokens.accessToken);
    approver = await addMember(server.baseUrl, owner.tokens.accessToken);
    viewer = await addMember(server.baseUrl, owner.tokens.accessToken);
  }, 60_000);

  afterEach(() => {
    for (const client of clients.splice(0)) client.destroy();
  });

  afterAll(async () => {
    await server?.stop();
    await environment?.drop();
  });

  const connect = async (user: SignedUp, planId: string) => {
    const client = connectClient(server.baseUrl, planId, user.tokens.accessToken);
    clients.push(client);
    await synced(client);
    return client;
  };
  const task = (doc: Y.Doc, id: string) => doc.getMap<Y.Map<unknown>>('runbookTasks').get(id)!;
  const trail = async (planId: string) =>
    (
      await as<{ auditEvents: { edges: { node: TrailNode }[] } }>(
        owner,
        `query($p: ID!) { auditEvents(filter: { planId: $p }, first: 500) {
          edges { node { action entity entityId details actor { kind id } } } } }`,
        { p: planId },
      )
    ).data!.auditEvents.edges.map((edge) => edge.node);

  it('stamps what each role may do, reverts what it may not, for everyone, and records it', async () => {
    const planId = await createPlan(server.baseUrl, owner.tokens.accessToken, 'Base patients vers Outscale', null);
    for (const [member, role] of [
      [editor, 'EDITOR'],
      [approver, 'APPROVER'],
      [viewer, 'VIEWER'],
    ] as const) {
      const set = await as(
        owner,
        'mutation($p: ID!, $u: ID!, $r: PlanRole) { setPlanMemberRole(planId: $p, userId: $u, role: $r) { role } }',
        { p: planId, u: member.userId, r: role },
      );
      expect(set.errors).toBeUndefined();
    }
    const lead = await connect(owner, planId);
    // The owner writes a runbook as the contract says: T0 now, a freeze owned by the approver, a
    // go / no-go voted by the approver after it, the copy in the next stage (so it follows the
    // go / no-go), the cutover milestone gated by a checkpoint.
    let ids!: { runbook: string; freeze: string; backup: string; go: string };
    lead.doc.transact(() => {
      const milestone = createEntry(lead.doc, 'milestones', { title: 'Bascule', kind: 'CUTOVER' });
      createEntry(lead.doc, 'checkpoints', { title: 'Contrat HDS', framework: 'HDS', milestoneIds: [milestone] });
      const runbook = createEntry(lead.doc, 'runbooks', {
        title: 'Nuit de bascule',
        t0: new Date().toISOString(),
        milestoneId: milestone,
      });
      const freeze = createEntry(lead.doc, 'runbookTasks', {
        runbookId: runbook,
        title: 'Geler les écritures',
        stage: 'FREEZE',
        duration: 30,
        ownerId: approver.userId,
      });
      const backup = createEntry(lead.doc, 'runbookTasks', {
        runbookId: runbook,
        title: 'Copier la base',
        stage: 'MIGRATE',
        duration: 60,
        dependsOn: [freeze],
      });
      const go = createEntry(lead.doc, 'runbookTasks', {
        runbookId: runbook,
        title: 'Go / no-go',
        kind: 'DECISION',
        stage: 'BACKUP',
        dependsOn: [freeze],
        approverIds: [approver.userId],
      });
      ids = { runbook, freeze, backup, go };
    });
    const [byEditor, byApprover, byViewer] = await Promise.all([
      connect(editor, planId),
      connect(approver, planId),
      connect(viewer, planId),
    ]);
    await eventually(() => expect(task(byApprover.doc, ids.freeze)).toBeDefined());

    // Starting the runbook: the owner may, and the server says when.
    lead.doc.getMap<Y.Map<unknown>>('runbooks').get(ids.runbook)!.set('state', 'RUNNING');
    await eventually(() =>
      expect(byViewer.doc.getMap<Y.Map<unknown>>('runbooks').get(ids.runbook)!.get('startedAt')).toEqual(
        expect.any(String),
      ),
    );

    // A viewer's write is dropped at the socket; the approver may not start a task it does not own.
    task(byViewer.doc, ids.freeze).set('status', 'RUNNING');
    task(byApprover.doc, ids.backup).set('status', 'RUNNING');
    for (const client of [lead, byApprover])
      await eventually(() => expect(task(client.doc, ids.backup).get('status')).toBe('PENDING'));
    expect(task(lead.doc, ids.freeze).get('status')).toBe('PENDING');

    // The approver starts the task it owns: stamped by the server, whatever time it wrote.
    byApprover.doc.transact(() => {
      task(byApprover.doc, ids.freeze).set('status', 'RUNNING');
      task(byApprover.doc, ids.freeze).set('startedAt', '2020-01-01T00:00:00.000Z');
    });
    for (const client of [lead, byEditor, byViewer])
      await eventually(() => {
        expect(task(client.doc, ids.freeze).get('status')).toBe('RUNNING');
        expect(task(client.doc, ids.freeze).get('startedAt')).not.toBe('2020-01-01T00:00:00.000Z');
        expect(task(client.doc, ids.freeze).get('startedAt')).toEqual(expect.any(String));
      });
    // Its successor cannot start before it is done.
    task(byEditor.doc, ids.backup).set('status', 'RUNNING');
    await eventually(() => expect(task(byEditor.doc, ids.backup).get('status')).toBe('PENDING'));
    task(byApprover.doc, ids.freeze).set('status', 'DONE');
    await eventually(() => expect(task(lead.doc, ids.freeze).get('endedAt')).toEqual(expect.any(String)));

    // A go while the HDS gate is open is taken out; a vote by someone else than the approver too.
    const vote = (client: CollabClient, value: 'GO' | 'NO_GO') => {
      const id = globalThis.crypto.randomUUID();
      client.doc.transact(() => {
        const entry = new Y.Map<unknown>();
        client.doc.getMap<Y.Map<unknown>>('runbookVotes').set(id, entry);
        entry.set('id', id);
        entry.set('position', 1);
        entry.set('taskId', ids.go);
        entry.set('vote', value);
      });
      return id;
    };
    const blocked = vote(byApprover, 'GO');
    const stranger = vote(byEditor, 'NO_GO');
    for (const client of [lead, byApprover])
      await eventually(() => {
        expect(client.doc.getMap('runbookVotes').has(blocked)).toBe(false);
        expect(client.doc.getMap('runbookVotes').has(stranger)).toBe(false);
      });
    // A no-go by the approver decides the point, and stops the copy that follows it.
    const noGo = vote(byApprover, 'NO_GO');
    await eventually(() => {
      expect(byViewer.doc.getMap<Y.Map<unknown>>('runbookVotes').get(noGo)?.get('voterId')).toBe(approver.userId);
      expect(task(byViewer.doc, ids.go).get('decision')).toBe('NO_GO');
    });
    task(byEditor.doc, ids.backup).set('status', 'RUNNING');
    await eventually(() => expect(task(byEditor.doc, ids.backup).get('status')).toBe('PENDING'));
    expect(task(lead.doc, ids.backup).get('startedAt')).toBeUndefined();

    await eventually(async () => {
      const refused = (await trail(planId))
        .filter((event) => event.action === 'refused')
        .map((event) => [event.actor.id, event.entity, (JSON.parse(event.details!) as { code: string }).code]);
      expect(refused).toEqual(
        expect.arrayContaining([
          [approver.userId, 'runbookTasks', 'TASK_ACTOR'],
          [approver.userId, 'runbookTasks', 'SERVER_FIELD'],
          [editor.userId, 'runbookTasks', 'TASK_ORDER'],
          [approver.userId, 'runbookVotes', 'GATE_BLOCKED'],
          [editor.userId, 'runbookVotes', 'VOTE_REFUSED'],
        ]),
      );
      expect(refused.some(([id]) => id === viewer.userId)).toBe(false);
    });
  });
});
