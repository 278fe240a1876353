import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import type * as Y from 'yjs';
import { type CollabClient, connectClient, createPlan, eventually, synced } from '../support/collab.js';
import { serverEnvironment, type ServerEnvironment, suiteDialect } from '../support/database.js';
import { addMember, codeOf, graphqlAs, type SignedUp, signUp } from '../support/identity.js';
import { runToExit, SERVER_CLI, type ServerProcess, startServer } from '../support/server-process.js';

interface TrailNode {
  action: string;
  entityId: string | null;
  field: string | null;
  after: string | null;
  details: string | null;
  actor: { kind: string; id: string | null };
}

/**
 * The governance rules against the server as a process, on every write path: GraphQL, and a raw
 * Yjs client (y-websocket's own provider) trying what its role may not. Then the trail verifies.
 */
describe(`governance end to end: gates and approvals on every path, a trail that verifies (${suiteDialect()})`, () => {
  let server: ServerProcess;
  let environment: ServerEnvironment;
  let owner: SignedUp;
  let editor: SignedUp;
  let approver: SignedUp;
  const clients: CollabClient[] = [];

  const as = <T = Record<string, unknown>>(user: SignedUp, query: string, variables?: Record<string, unknown>) =>
    graphqlAs<T>(server.baseUrl, user.tokens.accessToken, query, variables);

  beforeAll(async () => {
    environment = await serverEnvironment();
    server = await startServer(environment.env);
    owner = await signUp(server.baseUrl);
    editor = await addMember(server.baseUrl, owner.tokens.accessToken);
    approver = await addMember(server.baseUrl, owner.tokens.accessToken);
  }, 60_000);

  afterEach(() => {
    for (const client of clients.splice(0)) client.destroy();
  });

  afterAll(async () => {
    await server?.stop();
    await environment?.drop();
  });

  async function gatedPlan() {
    const planId = await createPlan(server.baseUrl, owner.tokens.accessToken, 'Dossier patient', null);
    for (const [member, role] of [
      [editor, 'EDITOR'],
      [approver, 'APPROVER'],
    ] as const) {
      const set = await as(
        owner,
        'mutation($p: ID!, $u: ID!, $r: PlanRole) { setPlanMemberRole(planId: $p, userId: $u, role: $r) { role } }',
        { p: planId, u: member.userId, r: role },
      );
      expect(set.errors).toBeUndefined();
    }
    const cutover = await as<{ createMilestone: { id: string } }>(
      owner,
      'mutation($p: ID!) { createMilestone(planId: $p, input: { title: "Bascule", kind: CUTOVER }) { id } }',
      { p: planId },
    );
    const cutoverId = cutover.data!.createMilestone.id;
    const hds = await as<{ createCheckpoint: { id: string } }>(
      owner,
      'mutation($p: ID!, $i: CheckpointInput!) { createCheckpoint(planId: $p, input: $i) { id } }',
      { p: planId, i: { title: 'Contrat HDS signé', framework: 'HDS', milestoneIds: [cutoverId] } },
    );
    return { planId, cutoverId, hds: hds.data!.createCheckpoint.id };
  }

  const trail = async (planId: string) =>
    (
      await as<{ auditEvents: { edges: { node: TrailNode }[] } }>(
        owner,
        `query($p: ID!) { auditEvents(filter: { planId: $p }, first: 500) {
          edges { node { action entityId field after details actor { kind id } } } } }`,
        { p: planId },
      )
    ).data!.auditEvents.edges.map((edge) => edge.node);
  const refusals = (events: TrailNode[]) =>
    events
      .filter((event) => event.action === 'refused')
      .map((event) => [event.actor.id, event.entityId, (JSON.parse(event.details!) as { code: string }).code]);

  it('GraphQL: an editor may not approve, nobody closes the cutover before its gate, an approver may', async () => {
    const { planId, cutoverId, hds } = await gatedPlan();
    const update = (user: SignedUp, kind: 'Checkpoint' | 'Milestone', id: string, input: Record<string, unknown>) =>
      as(
        user,
        `mutation($p: ID!, $id: ID!, $i: ${kind}Patch!) { update${kind}(planId: $p, id: $id, input: $i) { id status } }`,
        { p: planId, id, i: input },
      );
    expect(codeOf(await update(editor, 'Checkpoint', hds, { status: 'PASSED' }))).toBe('FORBIDDEN');
    expect(codeOf(await update(owner, 'Milestone', cutoverId, { status: 'DONE' }))).toBe('CONFLICT');
    expect((await update(approver, 'Checkpoint', hds, { status: 'PASSED' })).errors).toBeUndefined();
    expect((await update(editor, 'Milestone', cutoverId, { status: 'DONE' })).errors).toBeUndefined();
    await eventually(async () =>
      expect(refusals(await trail(planId))).toEqual(
        expect.arrayContaining([
          [editor.userId, hds, 'APPROVAL_REQUIRED'],
          [owner.userId, cutoverId, 'GATE_BLOCKED'],
        ]),
      ),
    );
  });

  it('a raw Yjs client: an editor approving and closing the cutover is reverted for everyone and recorded', async () => {
    const { planId, cutoverId, hds } = await gatedPlan();
    const raw = connectClient(server.baseUrl, planId, editor.tokens.accessToken);
    const witness = connectClient(server.baseUrl, planId, owner.tokens.accessToken);
    clients.push(raw, witness);
    await Promise.all([synced(raw), synced(witness)]);
    const entry = (doc: Y.Doc, collection: string, id: string) => doc.getMap<Y.Map<unknown>>(collection).get(id)!;
    raw.doc.transact(() => {
      entry(raw.doc, 'checkpoints', hds).set('status', 'PASSED');
      entry(raw.doc, 'milestones', cutoverId).set('status', 'DONE');
    });
    for (const client of [raw, witness])
      await eventually(() => {
        expect(entry(client.doc, 'checkpoints', hds).get('status')).toBe('TODO');
        expect(entry(client.doc, 'milestones', cutoverId).get('status')).toBe('NOT_STARTED');
      });
    await eventually(async () => {
      const events = await trail(planId);
      expect(refusals(events)).toEqual(
        expect.arrayContaining([
          [editor.userId, hds, 'APPROVAL_REQUIRED'],
          [editor.userId, cutoverId, 'GATE_BLOCKED'],
        ]),
      );
      // The attempt under the editor's authenticated id, the revert under Bascule's.
      expect(events).toContainEqual(
        expect.objectContaining({ entityId: cutoverId, after: '"DONE"', actor: { kind: 'user', id: editor.userId } }),
      );
      expect(events).toContainEqual(
        expect.objectContaining({ entityId: cutoverId, after: '"NOT_STARTED"', actor: { kind: 'system', id: null } }),
      );
    });
    // GraphQL sees the server's verdict too.
    const plan = await as<{ plan: { milestones: { edges: { node: { id: string; status: string } }[] } } }>(
      owner,
      'query($p: ID!) { plan(id: $p) { milestones { edges { node { id status } } } } }',
      { p: planId },
    );
    expect(plan.data!.plan.milestones.edges.map((edge) => edge.node)).toContainEqual({
      id: cutoverId,
      status: 'NOT_STARTED',
    });
  });

  it('leaves a trail whose every chain verifies once the server has stopped', async () => {
    await server.stop();
    const verified = await runToExit(environment.env, SERVER_CLI, ['audit', 'verify']);
    expect(verified.code).toBe(0);
    expect(verified.stdout).toMatch(/: \d+ events, chain verifies/);
    server = await startServer(environment.env);
  }, 60_000);
});
