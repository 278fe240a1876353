import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startTestApp, type TestApp } from '../../../../test/support/app.js';
import { createPlan, eventually } from '../../../../test/support/collab.js';
import { addMember, codeOf, graphqlAs, type SignedUp, signUp } from '../../../../test/support/identity.js';
import { ChangeLog } from '../changes/change-log.js';

const PLAN_BASELINES =
  'query($p: ID!) { plan(id: $p) { baselines { id name reason milestoneId createdBy { kind id } } } }';

describe('baselines: save, compare, restore, and one at each completed milestone', () => {
  let testApp: TestApp;
  let owner: SignedUp;
  let editor: SignedUp;
  let planId: string;
  let pilotId: string;
  let cutoverId: string;

  beforeAll(async () => {
    testApp = await startTestApp();
    owner = await signUp(testApp.baseUrl);
    editor = await addMember(testApp.baseUrl, owner.tokens.accessToken);
    planId = await createPlan(testApp.baseUrl, owner.tokens.accessToken, 'Baselines', 'EDITOR');
    const create = async (title: string, dueDate: string) =>
      (
        await as<{ createMilestone: { id: string } }>(
          owner,
          'mutation($p: ID!, $i: MilestoneInput!) { createMilestone(planId: $p, input: $i) { id } }',
          { p: planId, i: { title, dueDate } },
        )
      ).data!.createMilestone.id;
    pilotId = await create('Pilote', '2027-03-01');
    cutoverId = await create('Bascule', '2027-05-01');
  });

  afterAll(() => testApp.close());

  const as = <T = Record<string, unknown>>(user: SignedUp, query: string, variables?: Record<string, unknown>) =>
    graphqlAs<T>(testApp.baseUrl, user.tokens.accessToken, query, variables);
  const setMilestone = (user: SignedUp, id: string, input: Record<string, unknown>) =>
    as(
      user,
      'mutation($p: ID!, $id: ID!, $i: MilestonePatch!) { updateMilestone(planId: $p, id: $id, input: $i) { id } }',
      {
        p: planId,
        id,
        i: input,
      },
    );

  it('saves a baseline and compares it with the plan as it is now, slips in days', async () => {
    const saved = await as<{ createBaseline: { id: string; name: string; reason: string } }>(
      editor,
      'mutation($p: ID!) { createBaseline(planId: $p, name: "Comité du 2 décembre") { id name reason } }',
      { p: planId },
    );
    expect(saved.data?.createBaseline).toMatchObject({ name: 'Comité du 2 décembre', reason: 'MANUAL' });
    await setMilestone(editor, cutoverId, { dueDate: '2027-05-22', owner: 'DSI' });
    await as(
      editor,
      'mutation($p: ID!) { createRisk(planId: $p, input: { title: "Retard fournisseur", likelihood: 3, impact: 4 }) { id } }',
      {
        p: planId,
      },
    );
    const compared = await as<{
      compareBaselines: {
        milestones: {
          changed: { title: string; slipDays: number; fields: { field: string; before: string; after: string }[] }[];
        };
        risks: { added: { title: string }[] };
      };
    }>(
      editor,
      `query($p: ID!, $f: ID!) { compareBaselines(planId: $p, fromId: $f) {
        milestones { changed { title slipDays fields { field before after } } } risks { added { title } } } }`,
      { p: planId, f: saved.data!.createBaseline.id },
    );
    expect(compared.errors).toBeUndefined();
    expect(compared.data!.compareBaselines.milestones.changed).toEqual([
      {
        title: 'Bascule',
        slipDays: 21,
        fields: [
          { field: 'owner', before: 'null', after: '"DSI"' },
          { field: 'dueDate', before: '"2027-05-01"', after: '"2027-05-22"' },
        ],
      },
    ]);
    expect(compared.data!.compareBaselines.risks.added).toEqual([{ title: 'Retard fournisseur' }]);
    expect(
      codeOf(await as(editor, 'mutation($p: ID!) { createBaseline(planId: $p, name: "  ") { id } }', { p: planId })),
    ).toBe('BAD_USER_INPUT');
  });

  it('saves one when a milestone is completed, by whoever completed it', async () => {
    await setMilestone(editor, pilotId, { status: 'DONE' });
    const listed = await eventually(async () => {
      const response = await as<{
        plan: { baselines: { name: string; reason: string; milestoneId: string; createdBy: { id: string } }[] };
      }>(owner, PLAN_BASELINES, { p: planId });
      const automatic = response.data!.plan.baselines.filter((baseline) => baseline.reason === 'MILESTONE_COMPLETED');
      expect(automatic).toHaveLength(1);
      return automatic[0]!;
    });
    expect(listed).toMatchObject({ name: 'Pilote completed', milestoneId: pilotId, createdBy: { id: editor.userId } });
  });

  it('restores a baseline as one change on top, for plan owners, keeping what was there as a baseline', async () => {
    const list = await as<{ plan: { baselines: { id: string; name: string; reason: string }[] } }>(
      owner,
      PLAN_BASELINES,
      {
        p: planId,
      },
    );
    const committee = list.data!.plan.baselines.find((baseline) => baseline.reason === 'MANUAL')!;
    const restore = 'mutation($p: ID!, $b: ID!) { restoreBaseline(planId: $p, baselineId: $b) { id riskCount } }';
    expect(codeOf(await as(editor, restore, { p: planId, b: committee.id }))).toBe('FORBIDDEN');
    const restored = await as<{ restoreBaseline: { riskCount: number } }>(owner, restore, {
      p: planId,
      b: committee.id,
    });
    expect(restored.errors).toBeUndefined();
    expect(restored.data!.restoreBaseline.riskCount).toBe(0);
    const milestones = await as<{
      plan: {
        milestones: { edges: { node: { title: string; dueDate: string; status: string; owner: string | null } }[] };
      };
    }>(owner, 'query($p: ID!) { plan(id: $p) { milestones { edges { node { title dueDate status owner } } } } }', {
      p: planId,
    });
    expect(milestones.data!.plan.milestones.edges.map((edge) => edge.node)).toEqual([
      { title: 'Pilote', dueDate: '2027-03-01', status: 'NOT_STARTED', owner: null },
      { title: 'Bascule', dueDate: '2027-05-01', status: 'NOT_STARTED', owner: null },
    ]);
    const after = await as<{ plan: { baselines: { name: string; reason: string }[] } }>(owner, PLAN_BASELINES, {
      p: planId,
    });
    expect(after.data!.plan.baselines[0]).toMatchObject({
      reason: 'BEFORE_RESTORE',
      name: 'Before restoring “Comité du 2 décembre”',
    });
    expect(codeOf(await as(owner, restore, { p: planId, b: planId }))).toBe('NOT_FOUND');

    // Two baselines compared with each other: the one kept before restoring, and the committee's.
    const kept = (after.data!.plan.baselines[0] as unknown as { id: string }).id;
    const between = await as<{
      compareBaselines: {
        milestones: { changed: { title: string; slipDays: number }[] };
        risks: { removed: { title: string }[] };
      };
    }>(
      owner,
      `query($p: ID!, $f: ID!, $t: ID) { compareBaselines(planId: $p, fromId: $f, toId: $t) {
        milestones { changed { title slipDays } } risks { removed { title } } } }`,
      { p: planId, f: kept, t: committee.id },
    );
    expect(between.errors).toBeUndefined();
    expect(between.data!.compareBaselines.milestones.changed).toContainEqual({ title: 'Bascule', slipDays: -21 });
    expect(between.data!.compareBaselines.risks.removed).toEqual([{ title: 'Retard fournisseur' }]);

    // The restore is in the trail as the owner's own change, field by field.
    await testApp.app.get(ChangeLog).drain();
    const trail = await as<{
      auditEvents: { edges: { node: { action: string; entity: string; field: string | null } }[] };
    }>(
      owner,
      `query($p: ID!, $a: ID!) { auditEvents(filter: { planId: $p, actorId: $a }, first: 200) {
        edges { node { action entity field } } } }`,
      { p: planId, a: owner.userId },
    );
    expect(trail.errors).toBeUndefined();
    expect(trail.data!.auditEvents.edges.map((edge) => [edge.node.action, edge.node.entity, edge.node.field])).toEqual(
      expect.arrayContaining([
        ['deleted', 'risks', null],
        ['updated', 'milestones', 'dueDate'],
        ['updated', 'milestones', 'owner'],
      ]),
    );
  });
});
