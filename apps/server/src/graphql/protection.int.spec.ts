import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startTestApp, type TestApp } from '../../../../test/support/app.js';
import { eventually } from '../../../../test/support/collab.js';
import { codeOf, graphqlAs, type SignedUp, signUp } from '../../../../test/support/identity.js';
import { subscribe } from '../../../../test/support/subscriptions.js';
import { OPERATION_LIMITS } from './protection.js';

describe('operation limits', () => {
  let testApp: TestApp;
  let owner: SignedUp;
  const ask = (query: string) => graphqlAs(testApp.baseUrl, owner.tokens.accessToken, query);

  beforeAll(async () => {
    testApp = await startTestApp();
    owner = await signUp(testApp.baseUrl);
  });

  afterAll(() => testApp.close());

  it('answers a reasonable query', async () => {
    const response = await ask(
      '{ plans(first: 10) { edges { node { title milestones(first: 5) { edges { node { title dependsOn } } } } } } }',
    );
    expect(response.errors).toBeUndefined();
  });

  it('refuses a query nested too deep, with too many aliases, or too long, before running it', async () => {
    const nested = '{ portfolio { topRisks { plan { targetOffer { name } milestones { edges { node { id } } } } } } }';
    expect((await ask(nested)).errors).toBeUndefined();
    let deep = 'id';
    for (let level = 0; level < OPERATION_LIMITS.maxDepth; level += 1) deep = `plan { ${deep} }`;
    const tooDeep = await ask(`{ portfolio { topRisks { ${deep} } } }`);
    expect(codeOf(tooDeep)).toBe('BAD_USER_INPUT');
    expect(tooDeep.errors?.[0]?.message).toMatch(/depth/i);

    const aliases = Array.from({ length: OPERATION_LIMITS.maxAliases + 1 }, (_, i) => `a${i}: templates { id }`).join(
      ' ',
    );
    const tooManyAliases = await ask(`{ ${aliases} }`);
    expect(codeOf(tooManyAliases)).toBe('BAD_USER_INPUT');
    expect(tooManyAliases.errors?.[0]?.message).toMatch(/alias/i);

    const tooLong = await ask(`{ ${'templates { id name } '.repeat(OPERATION_LIMITS.maxTokens / 4)} }`);
    expect(tooLong.status).toBe(400);
    expect(codeOf(tooLong)).toBe('BAD_USER_INPUT');
    expect(tooLong.errors?.[0]?.message).toMatch(/token/i);
  });

  it('answers a plan read whole at 500 per list, and 100 plans with their next milestone', async () => {
    const created = await ask('mutation { createPlan(input: { title: "Bascule CMDB" }) { id } }');
    const planId = (created.data as { createPlan: { id: string } }).createPlan.id;
    const list = (name: string, fields: string) => `${name}(first: 500) { totalCount edges { node { ${fields} } } }`;
    const wholePlan = await graphqlAs(
      testApp.baseUrl,
      owner.tokens.accessToken,
      `query($id: ID!) { plan(id: $id) { id title
        ${list('milestones', 'id position title kind status owner startDate dueDate completedOn dependsOn')}
        ${list('risks', 'id title category likelihood impact status owner mitigation score')}
        ${list('checkpoints', 'id title framework requirement status evidence milestoneIds approvedBy')}
        ${list('workloads', 'id name criticality dataClassification strategy targetOfferId owner wave')}
        validationIssues { path message } } }`,
      { id: planId },
    );
    expect(wholePlan.errors).toBeUndefined();
    const portfolio = await ask(
      '{ plans(first: 100) { edges { node { id title nextMilestone { id title dueDate } } } } }',
    );
    expect(portfolio.errors).toBeUndefined();
  });

  it('refuses plans of entries before running them, with the cost and the limit, counting first as sent', async () => {
    const plansOfEntries =
      'query($n: Int) { plans(first: 100) { edges { node { milestones(first: $n) { edges { node { id title } } } } } } }';
    const few = await graphqlAs(testApp.baseUrl, owner.tokens.accessToken, plansOfEntries, { n: 5 });
    expect(few.errors).toBeUndefined();

    const refused = await graphqlAs(testApp.baseUrl, owner.tokens.accessToken, plansOfEntries, { n: 500 });
    expect(refused.status).toBe(400);
    expect(refused.data).toBeUndefined();
    expect(refused.errors).toEqual([
      {
        message:
          'This query may read about 50,201 rows (cost), more than the 50,000 allowed: ask for fewer items per list (first) or split it.',
        extensions: { code: 'QUERY_TOO_COMPLEX', cost: 50_201, limit: OPERATION_LIMITS.maxCost },
      },
    ]);

    const overdue = (alias: string) =>
      `${alias}: overdueMilestones { plan { milestones(first: 500) { edges { node { id title } } } } }`;
    const aliased = await ask(`{ portfolio { ${['a', 'b', 'c', 'd', 'e'].map(overdue).join(' ')} } }`);
    expect(codeOf(aliased)).toBe('QUERY_TOO_COMPLEX');
    expect(aliased.errors?.[0]?.extensions).toMatchObject({ cost: 50_801, limit: OPERATION_LIMITS.maxCost });
    expect(aliased.errors?.[0]?.message).not.toMatch(/syntax/i);
  });

  it('applies the same limits to subscriptions', async () => {
    const aliases = Array.from({ length: OPERATION_LIMITS.maxAliases + 1 }, (_, i) => `a${i}: planCount`).join(' ');
    const subscription = subscribe(
      testApp.baseUrl,
      { authorization: `Bearer ${owner.tokens.accessToken}` },
      `subscription { portfolioChanged { ${aliases} } }`,
    );
    try {
      await eventually(() => expect(subscription.ended.done).toBe(true));
      expect(JSON.stringify(subscription.ended.error)).toMatch(/alias/i);
    } finally {
      await subscription.close();
    }
    const overdue = (alias: string) =>
      `${alias}: overdueMilestones { plan { milestones(first: $n) { edges { node { id } } } } }`;
    const costly = subscribe(
      testApp.baseUrl,
      { authorization: `Bearer ${owner.tokens.accessToken}` },
      `subscription($n: Int) { portfolioChanged { ${['a', 'b', 'c', 'd', 'e'].map(overdue).join(' ')} } }`,
      { n: 500 },
    );
    try {
      await eventually(() => expect(costly.ended.done).toBe(true));
      expect(costly.ended.error).toEqual([
        {
          message: expect.stringMatching(/^This query may read about 50,801 rows/),
          extensions: { code: 'QUERY_TOO_COMPLEX', cost: 50_801, limit: OPERATION_LIMITS.maxCost },
        },
      ]);
    } finally {
      await costly.close();
    }
  });
});
