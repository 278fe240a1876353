import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { SYSTEM_AUTHOR } from '@bascule/collab';
import { createEntry, readPlan, updateEntry } from '@bascule/plan-model';
import fc from 'fast-check';
import { DataSource } from 'typeorm';
import * as Y from 'yjs';
import { startTestApp, type TestApp } from '../../../../test/support/app.js';
import { captureLogs, testConfig } from '../../../../test/support/config.js';
import { listen } from '../../../../test/support/http.js';
import { createApp } from '../app.factory.js';
import { type CollabClient, connectClient, createPlan, eventually, synced } from '../../../../test/support/collab.js';
import {
  APPROVER_NAME,
  applyRaw,
  brokenRules,
  rawTransactions,
  seedGovernedPlan,
} from '../../../../test/support/governance-properties.js';
import { addMember, bearer, codeOf, graphqlAs, type SignedUp, signUp } from '../../../../test/support/identity.js';
import { ChangeLog } from './change-log.js';
import { STAMP_WAIT_MS } from './change-watcher.js';
import { ChangeRecovery } from './change-recovery.js';
import { SqlDocumentStore } from '../collab/document.store.js';
import { PlanDocumentService } from '../collab/plan-document.service.js';

/** How long a plan loaded from storage may take to put right what lacks its stamps. */
const LOAD_CORRECTION_MS = process.env.REDIS_URL ? STAMP_WAIT_MS + 5000 : 5000;

const UPDATE_CHECKPOINT = `mutation($plan: ID!, $id: ID!, $input: CheckpointPatch!) {
  updateCheckpoint(planId: $plan, id: $id, input: $input) { id status approvedBy approvedAt } }`;
const UPDATE_MILESTONE = `mutation($plan: ID!, $id: ID!, $input: MilestonePatch!) {
  updateMilestone(planId: $plan, id: $id, input: $input) { id status } }`;
const AUDIT = `query($filter: AuditEventFilter, $first: Int, $after: String) {
  auditEvents(filter: $filter, first: $first, after: $after) {
    totalCount pageInfo { hasNextPage endCursor }
    edges { node { seq action entity entityId field before after details actor { kind id name } } } } }`;

interface AuditNode {
  seq: number;
  action: string;
  entity: string;
  entityId: string | null;
  field: string | null;
  before: string | null;
  after: string | null;
  details: string | null;
  actor: { kind: string; id: string | null; name: string };
}

describe('governance: gates, approvals and the audit trail on every write path', () => {
  let testApp: TestApp;
  let owner: SignedUp;
  let editor: SignedUp;
  let approver: SignedUp;
  const clients: CollabClient[] = [];

  beforeAll(async () => {
    testApp = await startTestApp();
    owner = await signUp(testApp.baseUrl);
    editor = await addMember(testApp.baseUrl, owner.tokens.accessToken);
    approver = await addMember(testApp.baseUrl, owner.tokens.accessToken);
  });

  afterEach(() => {
    for (const client of clients.splice(0)) client.destroy();
  });

  afterAll(() => testApp.close());

  const as = <T = Record<string, unknown>>(user: SignedUp, query: string, variables?: Record<string, unknown>) =>
    graphqlAs<T>(testApp.baseUrl, user.tokens.accessToken, query, variables);

  /** A plan with a cutover gated by two checkpoints; the editor is EDITOR and the approver APPROVER on it. */
  async function gatedPlan() {
    const planId = await createPlan(testApp.baseUrl, owner.tokens.accessToken, 'Portail patient', null);
    for (const [member, role] of [
      [editor, 'EDITOR'],
      [approver, 'APPROVER'],
    ] as const) {
      const set = await as(
        owner,
        'mutation($p: ID!, $u: ID!, $r: PlanRole) { setPlanMemberRole(planId: $p, userId: $u, role: $r) { role } }',
        {
          p: planId,
          u: member.userId,
          r: role,
        },
      );
      expect(set.errors).toBeUndefined();
    }
    const cutover = await as<{ createMilestone: { id: string } }>(
      owner,
      'mutation($p: ID!) { createMilestone(planId: $p, input: { title: "Cutover", kind: CUTOVER }) { id } }',
      { p: planId },
    );
    const cutoverId = cutover.data!.createMilestone.id;
    const gate = async (title: string, framework: string) =>
      (
        await as<{ createCheckpoint: { id: string } }>(
          owner,
          'mutation($p: ID!, $i: CheckpointInput!) { createCheckpoint(planId: $p, input: $i) { id } }',
          { p: planId, i: { title, framework, milestoneIds: [cutoverId] } },
        )
      ).data!.createCheckpoint.id;
    return { planId, cutoverId, hds: await gate('HDS contract signed', 'HDS'), dpia: await gate('DPIA done', 'GDPR') };
  }

  async function trail(planId: string): Promise<AuditNode[]> {
    await testApp.app.get(ChangeLog).drain();
    const response = await as<{ auditEvents: { edges: { node: AuditNode }[] } }>(owner, AUDIT, {
      filter: { planId },
      first: 500,
    });
    expect(response.errors).toBeUndefined();
    return response.data!.auditEvents.edges.map((edge) => edge.node);
  }

  /** Waits until `to` has what `from` wrote: the server has it, and its corrections are on their way. */
  const relayed = (from: CollabClient, to: CollabClient) => {
    const clock = (doc: Y.Doc) => Y.decodeStateVector(Y.encodeStateVector(doc)).get(from.doc.clientID) ?? 0;
    return eventually(() => expect(clock(to.doc)).toBeGreaterThanOrEqual(clock(from.doc)));
  };

  /** The refusals of a trail: who was refused what, on which entry. */
  const refusalsIn = (events: AuditNode[]) =>
    events
      .filter((event) => event.action === 'refused')
      .map((event) => [event.actor.id, event.entityId, JSON.parse(event.details!).code]);

  it('GraphQL: only approvers approve, a waiver needs a reason, a gated milestone waits for its checkpoints', async () => {
    const { planId, cutoverId, hds, dpia } = await gatedPlan();
    const approve = (user: SignedUp, id: string, input: Record<string, unknown>) =>
      as<{ updateCheckpoint: { status: string; approvedBy: string | null; approvedAt: string | null } }>(
        user,
        UPDATE_CHECKPOINT,
        { plan: planId, id, input },
      );
    const byEditor = await approve(editor, hds, { status: 'PASSED' });
    expect(codeOf(byEditor)).toBe('FORBIDDEN');
    expect(byEditor.errors?.[0]?.extensions?.rule).toBe('APPROVAL_REQUIRED');
    const close = await as(owner, UPDATE_MILESTONE, { plan: planId, id: cutoverId, input: { status: 'DONE' } });
    expect(codeOf(close)).toBe('CONFLICT');
    expect(close.errors?.[0]?.message).toContain('HDS contract signed');
    expect(codeOf(await approve(approver, dpia, { status: 'WAIVED' }))).toBe('BAD_USER_INPUT');

    const passed = await approve(approver, hds, { status: 'PASSED' });
    expect(passed.errors).toBeUndefined();
    expect(passed.data!.updateCheckpoint.approvedBy).toMatch(/^Test /);
    expect(Date.parse(passed.data!.updateCheckpoint.approvedAt!)).toBeGreaterThan(Date.now() - 60_000);
    const waived = await approve(approver, dpia, { status: 'WAIVED', justification: 'Covered by the 2025 DPIA' });
    expect(waived.errors).toBeUndefined();
    const done = await as<{ updateMilestone: { status: string } }>(editor, UPDATE_MILESTONE, {
      plan: planId,
      id: cutoverId,
      input: { status: 'DONE' },
    });
    expect(done.data?.updateMilestone.status).toBe('DONE');

    const events = await trail(planId);
    const refused = events.filter((event) => event.action === 'refused');
    expect(refused.map((event) => [event.actor.id, JSON.parse(event.details!).code])).toEqual(
      expect.arrayContaining([
        [editor.userId, 'APPROVAL_REQUIRED'],
        [owner.userId, 'GATE_BLOCKED'],
        [approver.userId, 'JUSTIFICATION_REQUIRED'],
      ]),
    );
    expect(events).toContainEqual(
      expect.objectContaining({
        action: 'updated',
        entity: 'checkpoints',
        entityId: hds,
        field: 'status',
        before: '"TODO"',
        after: '"PASSED"',
        actor: expect.objectContaining({ kind: 'user', id: approver.userId }),
      }),
    );
    expect(events).toContainEqual(
      expect.objectContaining({
        entity: 'milestones',
        field: 'status',
        after: '"DONE"',
        actor: expect.objectContaining({ id: editor.userId }),
      }),
    );
  });

  it('a raw Yjs client: an editor approving and closing the gated cutover is reverted by the server and recorded', async () => {
    const { planId, cutoverId, hds, dpia } = await gatedPlan();
    const raw = connectClient(testApp.baseUrl, planId, editor.tokens.accessToken);
    const watcher = connectClient(testApp.baseUrl, planId, owner.tokens.accessToken);
    clients.push(raw, watcher);
    await Promise.all([synced(raw), synced(watcher)]);
    const entry = (doc: Y.Doc, collection: string, id: string) => doc.getMap<Y.Map<unknown>>(collection).get(id)!;
    raw.doc.transact(() => {
      entry(raw.doc, 'checkpoints', hds).set('status', 'PASSED');
      entry(raw.doc, 'checkpoints', hds).set('approvedBy', 'Somebody Else');
      entry(raw.doc, 'checkpoints', dpia).set('status', 'WAIVED');
      entry(raw.doc, 'milestones', cutoverId).set('status', 'DONE');
    });
    // Every client ends up with the server's verdict: nothing approved, the cutover open.
    for (const client of [raw, watcher])
      await eventually(() => {
        expect(entry(client.doc, 'checkpoints', hds).get('status')).toBe('TODO');
        expect(entry(client.doc, 'checkpoints', hds).get('approvedBy')).toBeUndefined();
        expect(entry(client.doc, 'checkpoints', dpia).get('status')).toBe('TODO');
        expect(entry(client.doc, 'milestones', cutoverId).get('status')).toBe('NOT_STARTED');
      });
    const events = await trail(planId);
    expect(refusalsIn(events)).toEqual(
      expect.arrayContaining([
        [editor.userId, hds, 'APPROVAL_REQUIRED'],
        [editor.userId, dpia, 'APPROVAL_REQUIRED'],
        [editor.userId, cutoverId, 'GATE_BLOCKED'],
      ]),
    );
    // The attempt and the server's revert are both in the trail, each with its real author.
    expect(events).toContainEqual(
      expect.objectContaining({
        entityId: cutoverId,
        field: 'status',
        after: '"DONE"',
        actor: expect.objectContaining({ id: editor.userId }),
      }),
    );
    expect(events).toContainEqual(
      expect.objectContaining({
        entityId: cutoverId,
        field: 'status',
        before: '"DONE"',
        actor: expect.objectContaining({ kind: 'system' }),
      }),
    );

    // An approver's socket may approve; the stamp is the server's, with the approver's real name.
    const approving = connectClient(testApp.baseUrl, planId, approver.tokens.accessToken);
    clients.push(approving);
    await synced(approving);
    entry(approving.doc, 'checkpoints', hds).set('status', 'PASSED');
    await eventually(() => expect(entry(watcher.doc, 'checkpoints', hds).get('approvedBy')).toMatch(/^Test /));
    expect(entry(watcher.doc, 'checkpoints', hds).get('status')).toBe('PASSED');
  });

  it('a raw Yjs client: an editor deleting an open gate or unlinking it gets it back', async () => {
    const { planId, cutoverId, hds, dpia } = await gatedPlan();
    const raw = connectClient(testApp.baseUrl, planId, editor.tokens.accessToken);
    clients.push(raw);
    await synced(raw);
    const checkpoints = raw.doc.getMap<Y.Map<unknown>>('checkpoints');
    checkpoints.delete(hds);
    checkpoints.get(dpia)!.set('milestoneIds', Y.Array.from<string>([]));
    await eventually(() => {
      expect(checkpoints.get(hds)?.get('title')).toBe('HDS contract signed');
      expect((checkpoints.get(dpia)?.get('milestoneIds') as Y.Array<string> | undefined)?.toArray()).toEqual([
        cutoverId,
      ]);
    });
    expect(refusalsIn(await trail(planId))).toEqual(
      expect.arrayContaining([
        [editor.userId, hds, 'APPROVAL_REQUIRED'],
        [editor.userId, dpia, 'APPROVAL_REQUIRED'],
      ]),
    );
  });

  it('a raw Yjs client: every governed field of new and existing entries of every kind is put right', async () => {
    const { planId, cutoverId, hds, dpia } = await gatedPlan();
    const created = await as<{ createMilestone: { id: string }; createRisk: { id: string } }>(
      owner,
      `mutation($p: ID!) {
        createMilestone(planId: $p, input: { title: "Pilote", startDate: "2027-02-01", dueDate: "2027-03-01" }) { id }
        createRisk(planId: $p, input: { title: "Compétences Kubernetes", category: SKILLS }) { id }
        updatePlan(id: $p, input: { startDate: "2027-01-01", targetDate: "2027-06-30" }) { id } }`,
      { p: planId },
    );
    expect(created.errors).toBeUndefined();
    const pilot = created.data!.createMilestone.id;
    const risk = created.data!.createRisk.id;
    const raw = connectClient(testApp.baseUrl, planId, editor.tokens.accessToken);
    const watcher = connectClient(testApp.baseUrl, planId, owner.tokens.accessToken);
    clients.push(raw, watcher);
    await Promise.all([synced(raw), synced(watcher)]);
    const map = (doc: Y.Doc, collection: string) => doc.getMap<Y.Map<unknown>>(collection);
    const put = (collection: string, id: string, values: Record<string, unknown>) => {
      const entry = new Y.Map<unknown>();
      map(raw.doc, collection).set(id, entry);
      entry.set('id', id);
      entry.set('position', 99);
      for (const [key, value] of Object.entries(values)) entry.set(key, value);
    };
    const stamp = { approvedBy: 'Somebody Else', approvedAt: '2026-12-01T09:00:00.000Z' };
    const workloads = Array.from({ length: 102 }, (_, index) => `w-${index}`);
    raw.doc.transact(() => {
      // New entries.
      put('milestones', 'm-finale', { title: 'Bascule finale', status: 'NOT_STARTED' });
      put('checkpoints', 'c-passed', {
        title: 'Hébergement HDS',
        framework: 'HDS',
        status: 'PASSED',
        ...stamp,
        milestoneIds: Y.Array.from(['m-finale']),
      });
      put('checkpoints', 'c-waived', {
        title: 'AIPD',
        framework: 'GDPR',
        status: 'WAIVED',
        justification: new Y.Text('Déjà couverte'),
        milestoneIds: Y.Array.from([cutoverId]),
        evidence: Y.Array.from(Array.from({ length: 51 }, (_, index) => `https://ged.example.fr/${index}`)),
      });
      put('risks', 'r-forged', { title: 'Loi extraterritoriale', automatic: 'eligibility:NOT_QUALIFIED' });
      put('milestones', 'm-dates', { title: 'Recette', startDate: '2027-05-01', dueDate: '2027-04-01' });
      put('milestones', 'm-free', { title: 'Formation', status: 'DONE' });
      for (const id of workloads) put('workloads', id, { name: `Application ${id}` });
      map(raw.doc, 'workloads')
        .get('w-0')!
        .set('dependsOn', Y.Array.from(workloads.slice(1)));
      // Existing entries and the header.
      map(raw.doc, 'checkpoints').get(hds)!.set('approvedBy', 'Somebody Else');
      map(raw.doc, 'checkpoints').get(dpia)!.set('status', 'WAIVED');
      map(raw.doc, 'checkpoints').get(dpia)!.set('justification', new Y.Text('Hors périmètre'));
      map(raw.doc, 'risks').get(risk)!.set('automatic', 'eligibility:NOT_QUALIFIED');
      map(raw.doc, 'milestones').get(pilot)!.set('dueDate', '2027-01-15');
      raw.doc.getMap('plan').set('targetDate', '2026-12-31');
    });
    const today = new Date().toISOString().slice(0, 10);
    for (const client of [raw, watcher])
      await eventually(() => {
        const plan = readPlan(client.doc);
        const checkpoint = (id: string) => plan.checkpoints.find((entry) => entry.id === id)!;
        const milestone = (id: string) => plan.milestones.find((entry) => entry.id === id)!;
        for (const id of ['c-passed', 'c-waived', dpia])
          expect(checkpoint(id)).toMatchObject({ status: 'TODO', approvedBy: null, approvedAt: null });
        expect(checkpoint(hds)).toMatchObject({ status: 'TODO', approvedBy: null });
        expect(plan.risks.find((entry) => entry.id === 'r-forged')).toMatchObject({ automatic: null, status: 'OPEN' });
        expect(plan.risks.find((entry) => entry.id === risk)).toMatchObject({ automatic: null, status: 'OPEN' });
        expect(milestone(pilot)).toMatchObject({ startDate: '2027-02-01', dueDate: '2027-03-01' });
        expect(milestone('m-dates')).toMatchObject({ startDate: '2027-05-01', dueDate: null });
        expect(milestone('m-free')).toMatchObject({ status: 'DONE', completedOn: today });
        expect(plan.meta).toMatchObject({ startDate: '2027-01-01', targetDate: '2027-06-30' });
      });
    // The gated milestones cannot complete: neither the new one nor the cutover.
    raw.doc.transact(() => {
      map(raw.doc, 'milestones').get('m-finale')!.set('status', 'DONE');
      map(raw.doc, 'milestones').get(cutoverId)!.set('status', 'DONE');
    });
    await relayed(raw, watcher);
    await eventually(() => {
      const plan = readPlan(watcher.doc);
      for (const id of ['m-finale', cutoverId])
        expect(plan.milestones.find((entry) => entry.id === id)).toMatchObject({
          status: 'NOT_STARTED',
          completedOn: null,
        });
    });
    const refused = refusalsIn(await trail(planId)).filter(([actor]) => actor === editor.userId);
    expect(refused.map(([, entry, code]) => `${entry} ${code}`).sort()).toEqual(
      [
        `c-passed APPROVAL_REQUIRED`,
        `c-waived APPROVAL_REQUIRED`,
        `${dpia} APPROVAL_REQUIRED`,
        `${hds} APPROVAL_FORGED`,
        `r-forged SERVER_FIELD`,
        `${risk} SERVER_FIELD`,
        `${pilot} DATE_ORDER`,
        `m-dates DATE_ORDER`,
        `null DATE_ORDER`,
        `m-finale GATE_BLOCKED`,
        `${cutoverId} GATE_BLOCKED`,
      ].sort(),
    );
    // The read model agrees, and says what it had to cut.
    await eventually(async () => {
      const read = await as<{
        plan: {
          readinessByFramework: { framework: string; readiness: number }[];
          validationIssues: { path: string; message: string }[];
        };
      }>(
        owner,
        'query($p: ID!) { plan(id: $p) { readinessByFramework { framework readiness } validationIssues { path message } } }',
        {
          p: planId,
        },
      );
      expect(read.errors).toBeUndefined();
      expect(read.data!.plan.readinessByFramework.every((entry) => entry.readiness === 0)).toBe(true);
      expect(read.data!.plan.validationIssues).toEqual(
        expect.arrayContaining([
          { path: 'workloads/w-0/dependsOn', message: 'holds 101 items, more than 100: the first 100 kept' },
          { path: 'checkpoints/c-waived/evidence', message: 'holds 51 items, more than 50: the first 50 kept' },
        ]),
      );
    });
  });

  it('a raw Yjs client: generated changes by editors and approvers always end within the rules GraphQL enforces', async () => {
    const runs = Number(process.env.BASCULE_GOVERNANCE_SOCKET_RUNS ?? 15);
    const approverName = `Test ${approver.email.split('@')[0]}`;
    const approvers = new Set([APPROVER_NAME, approverName]);
    await fc.assert(
      fc.asyncProperty(rawTransactions(4), async (transactions) => {
        const { planId } = await gatedPlan();
        // The plan every run starts from, written by the server (its stamps and its risk marker).
        await testApp.app
          .get(PlanDocumentService)
          .change(planId, SYSTEM_AUTHOR, (doc) => seedGovernedPlan(doc, '2026-11-15T10:00:00.000Z'));
        const sockets = {
          EDITOR: connectClient(testApp.baseUrl, planId, editor.tokens.accessToken),
          APPROVER: connectClient(testApp.baseUrl, planId, approver.tokens.accessToken),
        };
        const watcher = connectClient(testApp.baseUrl, planId, owner.tokens.accessToken);
        clients.push(sockets.EDITOR, sockets.APPROVER, watcher);
        await Promise.all([synced(sockets.EDITOR), synced(sockets.APPROVER), synced(watcher)]);
        for (const transaction of transactions) {
          const socket = sockets[transaction.role];
          // Each client acts on the plan as the server left it after the previous transaction.
          await eventually(() => expect(Y.encodeStateVector(socket.doc)).toEqual(Y.encodeStateVector(watcher.doc)));
          const before = readPlan(watcher.doc);
          applyRaw(socket.doc, transaction);
          await relayed(socket, watcher);
          const options = { approvers, before: transaction.role === 'EDITOR' ? before : undefined };
          await eventually(() => expect(brokenRules(readPlan(watcher.doc), options)).toEqual([]), 10_000);
        }
        // What the server holds (and stores) is within the rules too.
        const stored = await testApp.app.get(PlanDocumentService).read(planId);
        expect(brokenRules(readPlan(stored), { approvers })).toEqual([]);
        for (const client of clients.splice(0)) client.destroy();
      }),
      { numRuns: runs, seed: 20261206 },
    );
  }, 300_000);

  /**
   * Stores a change of the editor's (Eddie) straight into the plan's log, as the collab server
   * stores a socket's update before it judges or stamps it, and nothing after it.
   */
  async function storeAsEditor<T>(planId: string, change: (doc: Y.Doc) => T): Promise<T> {
    const stored = await testApp.app.get(PlanDocumentService).read(planId);
    const before = Y.encodeStateVector(stored);
    let result: T | undefined;
    stored.transact(() => (result = change(stored)));
    const author = { kind: 'user', userId: editor.userId, apiTokenId: null, name: 'Eddie', role: 'EDITOR' } as const;
    await testApp.app
      .get(SqlDocumentStore)
      .append([{ documentName: planId, update: Y.encodeStateAsUpdate(stored, before), author }]);
    return result as T;
  }

  it('finds at load what a crash left between a change and its reversal, corrects it, and records the change', async () => {
    const { planId, cutoverId, hds } = await gatedPlan();
    // As if the server stored an editor's update, then died before reverting it: the update is in
    // the log, the reversal is not.
    await storeAsEditor(planId, (stored) => {
      stored.getMap<Y.Map<unknown>>('checkpoints').get(hds)!.set('status', 'PASSED');
      stored.getMap<Y.Map<unknown>>('milestones').get(cutoverId)!.set('status', 'DONE');
    });

    // The next load (a client opening the plan) finds it and puts it right, as Bascule (once no
    // stamp can be on its way from another instance, where instances share the plans).
    const reader = connectClient(testApp.baseUrl, planId, owner.tokens.accessToken);
    clients.push(reader);
    await synced(reader);
    const entry = (collection: string, id: string) => reader.doc.getMap<Y.Map<unknown>>(collection).get(id)!;
    await eventually(() => {
      expect(entry('checkpoints', hds).get('status')).toBe('IN_REVIEW');
      expect(entry('milestones', cutoverId).get('status')).toBe('IN_PROGRESS');
    }, LOAD_CORRECTION_MS);
    const corrected = (await trail(planId)).filter(
      (event) => event.action === 'refused' && event.actor.kind === 'system',
    );
    expect(corrected.map((event) => [event.entityId, JSON.parse(event.details!).code]).sort()).toEqual(
      [
        [cutoverId, 'GATE_BLOCKED'],
        [hds, 'APPROVAL_REQUIRED'],
      ].sort(),
    );

    // The crash also kept the editor's change out of the trail: recovery records it from the log,
    // attributed to the author stored with the update, with what the rules refused of it; once.
    expect((await trail(planId)).filter((event) => event.actor.id === editor.userId)).toEqual([]);
    const recovery = testApp.app.get(ChangeRecovery);
    expect(await recovery.recoverRound(new Date(Date.now() + 1000))).toBe(1);
    expect(await recovery.recoverRound(new Date(Date.now() + 1000))).toBe(0);
    const recovered = (await trail(planId)).filter((event) => event.actor.id === editor.userId);
    expect(recovered.map((event) => [event.action, event.entityId, event.field, event.actor.name]).sort()).toEqual(
      [
        ['updated', hds, 'status', 'Eddie'],
        ['updated', cutoverId, 'status', 'Eddie'],
        ['refused', hds, null, 'Eddie'],
        ['refused', cutoverId, null, 'Eddie'],
      ].sort(),
    );
  });

  const withRedis = process.env.REDIS_URL ? it : it.skip;
  withRedis(
    'waits for a stamp on its way from another instance, and takes out what stays unstamped',
    async () => {
      const other = await createApp(
        testConfig({ DATABASE_URL: testApp.database.url, BASCULE_ROLES: 'api,collab' }),
        captureLogs().logger,
      );
      try {
        const otherUrl = await listen(other);
        // Two plans, each with an editor's comment stored and not stamped yet, as on an instance that
        // took the comment and is about to stamp it (the first), or that died before it could (the second).
        const comments: { planId: string; commentId: string }[] = [];
        for (const title of ['Stamp on its way', 'Stamp never coming']) {
          const planId = await createPlan(testApp.baseUrl, owner.tokens.accessToken, title, 'EDITOR');
          const commentId = await storeAsEditor(planId, (stored) =>
            createEntry(stored, 'comments', { subject: 'plan', body: 'Sur le fil' }, { trusted: true }),
          );
          comments.push({ planId, commentId });
        }
        const [onItsWay, neverComing] = comments as [(typeof comments)[0], (typeof comments)[0]];
        // A third, never stamped either, that the other instance only reads for a moment (its room
        // unloads at once): its comment is taken out at its next load once the wait has passed.
        const readOnly = await createPlan(testApp.baseUrl, owner.tokens.accessToken, 'Read for a moment', 'EDITOR');
        const readOnlyComment = await storeAsEditor(readOnly, (stored) =>
          createEntry(stored, 'comments', { subject: 'plan', body: 'Jamais vu' }, { trusted: true }),
        );
        const threads = await graphqlAs<{ plan: { commentThreads: { id: string }[] } }>(
          otherUrl,
          owner.tokens.accessToken,
          'query($p: ID!) { plan(id: $p) { commentThreads { id } } }',
          { p: readOnly },
        );
        expect(threads.data?.plan.commentThreads.map((thread) => thread.id)).toEqual([readOnlyComment]);
        // The other instance loads both from storage: it takes neither comment out at once.
        const readers = comments.map(({ planId }) => connectClient(otherUrl, planId, owner.tokens.accessToken));
        clients.push(...readers);
        await Promise.all(readers.map((reader) => synced(reader)));
        const commentIn = (reader: CollabClient, id: string) => reader.doc.getMap<Y.Map<unknown>>('comments').get(id);
        expect(commentIn(readers[0]!, onItsWay.commentId)).toBeDefined();
        expect(commentIn(readers[1]!, neverComing.commentId)).toBeDefined();
        // The first instance stamps the first comment; the other receives the stamp through Redis.
        await testApp.app
          .get(PlanDocumentService)
          .change(onItsWay.planId, SYSTEM_AUTHOR, (doc) =>
            updateEntry(
              doc,
              'comments',
              onItsWay.commentId,
              { authorId: editor.userId, authorName: 'Eddie', createdAt: new Date().toISOString() },
              { trusted: true },
            ),
          );
        // Once no stamp can still come, the one that never came is taken out; the stamped one stays.
        await eventually(
          () => expect(commentIn(readers[1]!, neverComing.commentId)).toBeUndefined(),
          STAMP_WAIT_MS + 5000,
          100,
        );
        expect(commentIn(readers[0]!, onItsWay.commentId)?.get('authorName')).toBe('Eddie');
        // The plan read for a moment, opened now: its comment goes at once, not after another wait.
        const late = connectClient(otherUrl, readOnly, owner.tokens.accessToken);
        clients.push(late);
        await synced(late);
        await eventually(() => expect(commentIn(late, readOnlyComment)).toBeUndefined(), 3000);
        // The trail says so, as Bascule's correction (written just after it).
        await eventually(async () => {
          const refused = (await trail(neverComing.planId)).filter(
            (event) => event.action === 'refused' && event.actor.kind === 'system',
          );
          expect(refused.map((event) => [event.entityId, JSON.parse(event.details!).code])).toEqual([
            [neverComing.commentId, 'SERVER_FIELD'],
          ]);
        });
        expect(
          (await trail(onItsWay.planId)).filter((event) => event.action === 'refused' && event.actor.kind === 'system'),
        ).toEqual([]);
      } finally {
        for (const client of clients.splice(0)) client.destroy();
        await other.close();
      }
    },
    60_000,
  );

  it('keeps one hash chain per organization that verifies, that an alteration breaks, and exports it as CSV', async () => {
    const { planId } = await gatedPlan();
    await trail(planId);
    const check = await as<{ auditTrailCheck: { valid: boolean; events: number } }>(
      owner,
      '{ auditTrailCheck { valid events } }',
    );
    expect(check.data?.auditTrailCheck.valid).toBe(true);
    expect(check.data!.auditTrailCheck.events).toBeGreaterThan(20);
    // Sign-ups, invitations and sign-ins are in the organization's trail too, with their actor.
    const auth = await as<{ auditEvents: { edges: { node: AuditNode }[] } }>(owner, AUDIT, {
      filter: { entity: 'auth' },
      first: 100,
    });
    const actions = auth.data!.auditEvents.edges.map((edge) => [edge.node.action, edge.node.actor.id]);
    expect(actions).toEqual(
      expect.arrayContaining([
        ['SIGN_UP', owner.userId],
        ['MEMBER_INVITED', owner.userId],
        ['INVITATION_ACCEPTED', editor.userId],
      ]),
    );
    // Admin acts too: sharing a plan is in the trail, with who shared it.
    const shared = await as<{ auditEvents: { totalCount: number; edges: { node: AuditNode }[] } }>(owner, AUDIT, {
      filter: { action: 'PLAN_ROLE_CHANGED' },
    });
    expect(shared.data!.auditEvents.totalCount).toBeGreaterThanOrEqual(2);
    expect(shared.data!.auditEvents.edges[0]!.node).toMatchObject({ entity: 'plan', actor: { id: owner.userId } });
    // The whole organization's trail is for admins; a plan's is for whoever sees the plan.
    expect(codeOf(await as(editor, AUDIT, {}))).toBe('FORBIDDEN');
    expect(codeOf(await as(editor, AUDIT, { filter: { planId } }))).toBeUndefined();

    const csv = await fetch(`${testApp.baseUrl}/audit/events.csv?planId=${planId}`, {
      headers: bearer(owner.tokens.accessToken),
    });
    expect(csv.status).toBe(200);
    expect(csv.headers.get('content-type')).toContain('text/csv');
    const lines = (await csv.text()).trim().split('\n');
    expect(lines[0]).toBe(
      'seq,occurred_at,plan_id,actor_kind,actor_id,actor_name,action,entity,entity_id,field,before,after,details,hash',
    );
    // The plan's title, its sharing with two members, its milestone and its two checkpoints, in the
    // order they were written: admin acts at once, plan changes within the second.
    const rows = lines.slice(1).map((line) => line.split(','));
    const seqs = rows.map((row) => Number(row[0]));
    expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
    expect(rows.map((row) => row.slice(6, 8).join(' ')).sort()).toEqual(
      [
        'updated plan',
        'PLAN_ROLE_CHANGED plan',
        'PLAN_ROLE_CHANGED plan',
        'created milestones',
        'created checkpoints',
        'created checkpoints',
      ].sort(),
    );
    expect(
      (await fetch(`${testApp.baseUrl}/audit/events.csv`, { headers: bearer(editor.tokens.accessToken) })).status,
    ).toBe(403);

    // The database refuses to change the trail; one who gets past that is caught by the chain.
    const dataSource = testApp.app.get(DataSource);
    const postgres = dataSource.options.type === 'postgres';
    await expect(dataSource.query("UPDATE audit_events SET actor_name = 'x'")).rejects.toThrow(/append-only/);
    if (postgres) await dataSource.query('ALTER TABLE audit_events DISABLE TRIGGER audit_events_append_only');
    else await dataSource.query('DROP TRIGGER audit_events_no_update');
    const [victim] = (await dataSource.query(
      `SELECT seq FROM audit_events WHERE organization_id = ${postgres ? '$1' : '?'} ORDER BY seq LIMIT 1 OFFSET 2`,
      [owner.organizationId],
    )) as { seq: number }[];
    await dataSource.query(
      `UPDATE audit_events SET after = '"forged"' WHERE organization_id = ${postgres ? '$1' : '?'} AND seq = ${postgres ? '$2' : '?'}`,
      [owner.organizationId, victim!.seq],
    );
    const broken = await as<{ auditTrailCheck: { valid: boolean; brokenAt: number; problem: string } }>(
      owner,
      '{ auditTrailCheck { valid brokenAt problem } }',
    );
    expect(broken.data?.auditTrailCheck).toEqual({
      valid: false,
      brokenAt: victim!.seq,
      problem: `event ${victim!.seq} was altered`,
    });
  });
});
