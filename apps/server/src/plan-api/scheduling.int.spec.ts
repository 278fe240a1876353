import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startTestApp, type TestApp } from '../../../../test/support/app.js';
import { createPlan } from '../../../../test/support/collab.js';
import { codeOf, graphqlAs, type SignedUp, signUp } from '../../../../test/support/identity.js';

describe('plan API: waves, critical path and slip preview', () => {
  let testApp: TestApp;
  let owner: SignedUp;
  let planId: string;
  const ids = new Map<string, string>();

  beforeAll(async () => {
    testApp = await startTestApp();
    owner = await signUp(testApp.baseUrl);
    planId = await createPlan(testApp.baseUrl, owner.tokens.accessToken, 'Hôpital vers SecNumCloud');
    const create = async (kind: 'Workload' | 'Milestone', key: string, input: Record<string, unknown>) => {
      const response = await graphqlAs<Record<string, { id: string }>>(
        testApp.baseUrl,
        owner.tokens.accessToken,
        `mutation($p: ID!, $i: ${kind}Input!) { create${kind}(planId: $p, input: $i) { id } }`,
        { p: planId, i: input },
      );
      expect(response.errors).toBeUndefined();
      ids.set(key, response.data![`create${kind}`]!.id);
    };
    await create('Workload', 'directory', { name: 'Annuaire' });
    await create('Workload', 'dpi', { name: 'Dossier patient', dependsOn: [ids.get('directory')] });
    await create('Workload', 'lab', { name: 'Laboratoire', dependsOn: [ids.get('directory')] });
    await create('Workload', 'portal', { name: 'Portail', dependsOn: [ids.get('dpi'), ids.get('lab')] });
    await create('Workload', 'imaging', { name: 'Imagerie', dataClassification: 'HEALTH', targetOfferId: 'bleu' });
    await create('Milestone', 'landing', { title: 'Landing zone', startDate: '2027-02-01', dueDate: '2027-03-12' });
    await create('Milestone', 'training', { title: 'Formation', startDate: '2027-02-01', dueDate: '2027-02-26' });
    await create('Milestone', 'pilot', {
      title: 'Pilote',
      startDate: '2027-03-15',
      dueDate: '2027-04-09',
      dependsOn: [ids.get('landing'), ids.get('training')],
    });
    await create('Milestone', 'cutover', {
      title: 'Bascule',
      startDate: '2027-04-12',
      dueDate: '2027-04-16',
      dependsOn: [ids.get('pilot')],
    });
  });

  afterAll(() => testApp.close());

  /** Asks for `fields` of the plan; $m (a milestone), $d (a date) and $c (a capacity) as they are used. */
  const ask = <T>(fields: string, variables: Record<string, unknown> = {}) => {
    const declared = { m: 'ID!', d: 'String!', c: 'Int' } as const;
    const used = Object.entries(declared).filter(([name]) => fields.includes(`$${name}`));
    const values = { m: ids.get('landing'), d: '2027-03-19', c: null, ...variables } as Record<string, unknown>;
    return graphqlAs<{ plan: T }>(
      testApp.baseUrl,
      owner.tokens.accessToken,
      `query($p: ID!${used.map(([name, type]) => `, $${name}: ${type}`).join('')}) { plan(id: $p) { ${fields} } }`,
      { p: planId, ...Object.fromEntries(used.map(([name]) => [name, values[name]])) },
    );
  };

  it('computes the waves from the workload dependencies, with a capacity when asked', async () => {
    const names = (waves: { workloads: { name: string }[] }[]) =>
      waves.map((wave) => wave.workloads.map((w) => w.name));
    type Waves = {
      waves: { capacity: number | null; waves: { number: number; workloads: { name: string }[] }[]; cycles: unknown[] };
    };
    const free = await ask<Waves>(
      'waves(capacity: $c) { capacity cycles { workloads { id } } waves { number workloads { name } } }',
    );
    expect(free.errors).toBeUndefined();
    expect(names(free.data!.plan.waves.waves)).toEqual([
      ['Annuaire', 'Imagerie'],
      ['Dossier patient', 'Laboratoire'],
      ['Portail'],
    ]);
    expect(free.data!.plan.waves.cycles).toEqual([]);
    const capped = await ask<Waves>(
      'waves(capacity: $c) { capacity waves { number workloads { name } } cycles { workloads { id } } }',
      { c: 1 },
    );
    expect(names(capped.data!.plan.waves.waves)).toEqual([
      ['Annuaire'],
      ['Dossier patient'],
      ['Laboratoire'],
      ['Portail'],
      ['Imagerie'],
    ]);
    expect(codeOf(await ask('waves(capacity: $c) { capacity }', { c: 0 }))).toBe('BAD_USER_INPUT');
  });

  it("checks each workload's data against its target offer", async () => {
    const checked = await ask<{ inventoryEligibility: { workload: { name: string }; code: string }[] }>(
      'inventoryEligibility { workload { name } code }',
    );
    expect(checked.errors).toBeUndefined();
    expect(checked.data!.plan.inventoryEligibility).toEqual([
      { workload: { name: 'Imagerie' }, code: 'NOT_QUALIFIED_BY_CUTOVER' },
      { workload: { name: 'Imagerie' }, code: 'HDS_MISSING' },
    ]);
  });

  it('follows the critical path and previews what a later date would move', async () => {
    const path = await ask<{ criticalPath: { finish: string; milestones: { title: string }[]; conflicts: unknown[] } }>(
      'criticalPath { finish milestones { title } conflicts { days } }',
    );
    expect(path.data!.plan.criticalPath).toEqual({
      finish: '2027-04-16',
      milestones: [{ title: 'Landing zone' }, { title: 'Pilote' }, { title: 'Bascule' }],
      conflicts: [],
    });
    const slip = await ask<{ slipPreview: { milestone: { title: string }; days: number; dueDate: string }[] }>(
      'slipPreview(milestoneId: $m, dueDate: $d) { milestone { title } days dueDate }',
    );
    expect(slip.data!.plan.slipPreview).toEqual([
      { milestone: { title: 'Landing zone' }, days: 7, dueDate: '2027-03-19' },
      { milestone: { title: 'Pilote' }, days: 4, dueDate: '2027-04-13' },
      { milestone: { title: 'Bascule' }, days: 1, dueDate: '2027-04-17' },
    ]);
    expect(codeOf(await ask('slipPreview(milestoneId: $m, dueDate: $d) { days }', { d: '2027-02-30' }))).toBe(
      'BAD_USER_INPUT',
    );
    expect(codeOf(await ask('slipPreview(milestoneId: $m, dueDate: $d) { days }', { m: planId }))).toBe('NOT_FOUND');
    // A preview changes nothing.
    const after = await ask<{ milestones: { edges: { node: { title: string; dueDate: string } }[] } }>(
      'milestones { edges { node { title dueDate } } }',
    );
    expect(after.data!.plan.milestones.edges.map((edge) => edge.node.dueDate)).toEqual([
      '2027-03-12',
      '2027-02-26',
      '2027-04-09',
      '2027-04-16',
    ]);
  });
});
