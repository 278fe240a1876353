import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { DataSource } from 'typeorm';
import * as Y from 'yjs';
import { startTestApp, type TestApp } from '../../../../test/support/app.js';
import { type CollabClient, connectClient, createPlan, eventually, synced } from '../../../../test/support/collab.js';
import { addMember, bearer, codeOf, graphqlAs, type SignedUp, signUp } from '../../../../test/support/identity.js';
import { AuditTrailService } from '../audit/audit-trail.service.js';
import { ChangeRecovery } from '../collab/change-recovery.js';
import { SqlDocumentStore } from '../collab/document.store.js';
import { PlanDocumentService } from '../collab/plan-document.service.js';

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
    await testApp.app.get(AuditTrailService).drain();
    const response = await as<{ auditEvents: { edges: { node: AuditNode }[] } }>(owner, AUDIT, {
      filter: { planId },
      first: 500,
    });
    expect(response.errors).toBeUndefined();
    return response.data!.auditEvents.edges.map((edge) => edge.node);
  }

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

  it('finds at load what a crash left between a change and its reversal, corrects it, and records the change', async () => {
    const { planId, cutoverId, hds } = await gatedPlan();
    const editorAuthor = {
      kind: 'user',
      userId: editor.userId,
      apiTokenId: null,
      name: 'Eddie',
      planRole: 'EDITOR',
    } as const;
    // As if the server stored an editor's update, then died before reverting it: the update is in
    // the log, the reversal is not.
    const stored = await testApp.app.get(PlanDocumentService).read(planId);
    const before = Y.encodeStateVector(stored);
    stored.transact(() => {
      stored.getMap<Y.Map<unknown>>('checkpoints').get(hds)!.set('status', 'PASSED');
      stored.getMap<Y.Map<unknown>>('milestones').get(cutoverId)!.set('status', 'DONE');
    });
    await testApp.app
      .get(SqlDocumentStore)
      .append([{ planId, update: Y.encodeStateAsUpdate(stored, before), author: editorAuthor }]);

    // The next load (a client opening the plan) finds it and puts it right, as Bascule.
    const reader = connectClient(testApp.baseUrl, planId, owner.tokens.accessToken);
    clients.push(reader);
    await synced(reader);
    const entry = (collection: string, id: string) => reader.doc.getMap<Y.Map<unknown>>(collection).get(id)!;
    await eventually(() => {
      expect(entry('checkpoints', hds).get('status')).toBe('IN_REVIEW');
      expect(entry('milestones', cutoverId).get('status')).toBe('IN_PROGRESS');
    });
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
