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

  it('refuses a query whose cost is too high even within the other limits', async () => {
    const fragment =
      'fragment M on Milestone { id position title kind status owner startDate dueDate completedOn dependsOn slipDays overdue }';
    const spreads = '...M '.repeat(1000);
    const costly = await ask(
      `{ plans { edges { node { milestones { edges { node { ${spreads} } } } } } } } ${fragment}`,
    );
    expect(codeOf(costly)).toBe('BAD_USER_INPUT');
    expect(costly.errors?.[0]?.message).toMatch(/cost/i);
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
  });
});
