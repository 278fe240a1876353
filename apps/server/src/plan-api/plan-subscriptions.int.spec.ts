import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { startTestApp, type TestApp } from '../../../../test/support/app.js';
import { eventually } from '../../../../test/support/collab.js';
import { suiteDialect } from '../../../../test/support/database.js';
import { addMember, graphqlAs, type SignedUp, signUp } from '../../../../test/support/identity.js';
import { type Subscription, subscribe } from '../../../../test/support/subscriptions.js';

const PLAN_CHANGED = 'subscription($id: ID!) { planChanged(id: $id) { id title riskExposure } }';

describe(`GraphQL subscriptions on ${suiteDialect()}`, () => {
  let testApp: TestApp;
  let owner: SignedUp;
  let outsider: SignedUp;
  const open: Subscription<unknown>[] = [];

  const as = (who: SignedUp, query: string, variables?: Record<string, unknown>) =>
    graphqlAs<Record<string, { id: string }>>(testApp.baseUrl, who.tokens.accessToken, query, variables);
  function watch<T>(who: SignedUp | null, query: string, variables?: Record<string, unknown>) {
    const params = who === null ? {} : { authorization: `Bearer ${who.tokens.accessToken}` };
    const subscription = subscribe<T>(testApp.baseUrl, params, query, variables);
    open.push(subscription as Subscription<unknown>);
    return subscription;
  }
  async function createPlan(defaultMemberRole: string | null = 'VIEWER'): Promise<string> {
    const response = await as(
      owner,
      'mutation($r: PlanRole) { createPlan(input: { title: "Live", defaultMemberRole: $r }) { id } }',
      {
        r: defaultMemberRole,
      },
    );
    return response.data!.createPlan!.id;
  }

  beforeAll(async () => {
    testApp = await startTestApp();
    owner = await signUp(testApp.baseUrl);
    outsider = await signUp(testApp.baseUrl);
  });

  afterEach(async () => {
    for (const subscription of open.splice(0)) await subscription.close();
  });

  afterAll(() => testApp.close());

  it('sends the projected plan each time it changes', async () => {
    const planId = await createPlan();
    const live = watch<{ planChanged: { title: string; riskExposure: number } }>(owner, PLAN_CHANGED, { id: planId });
    await live.connected;
    // The subscription is registered once the server has run its resolver; give a change until it is.
    await eventually(async () => {
      await as(owner, 'mutation($p: ID!) { updatePlan(id: $p, input: { title: "Renamed live" }) { id } }', {
        p: planId,
      });
      expect(live.results.length).toBeGreaterThan(0);
    });
    expect(live.results.at(-1)).toEqual({
      data: { planChanged: { id: planId, title: 'Renamed live', riskExposure: 0 } },
    });
    await as(
      owner,
      'mutation($p: ID!) { createRisk(planId: $p, input: { title: "Skills", likelihood: 4, impact: 4 }) { id } }',
      {
        p: planId,
      },
    );
    await eventually(() => expect(live.results.at(-1)?.data?.planChanged.riskExposure).toBe(16));
  });

  it('sends the portfolio again when a plan of the organization changes, and only then', async () => {
    const planId = await createPlan();
    const portfolio = watch<{ portfolioChanged: { planCount: number } }>(
      owner,
      'subscription { portfolioChanged { planCount } }',
    );
    const theirs = watch(outsider, 'subscription { portfolioChanged { planCount } }');
    await Promise.all([portfolio.connected, theirs.connected]);
    await eventually(async () => {
      await as(owner, 'mutation($p: ID!) { updatePlan(id: $p, input: { status: ACTIVE }) { id } }', { p: planId });
      expect(portfolio.results.length).toBeGreaterThan(0);
    });
    expect(portfolio.results.at(-1)?.data?.portfolioChanged.planCount).toBeGreaterThan(0);
    expect(theirs.results).toEqual([]);
  });

  it('refuses a connection without a valid token, and another organization’s plan', async () => {
    const anonymous = watch(null, PLAN_CHANGED, { id: await createPlan() });
    await eventually(() => expect(anonymous.ended.done).toBe(true));
    expect((anonymous.ended.error as { code?: number }).code).toBe(4403);

    const spy = watch(outsider, PLAN_CHANGED, { id: await createPlan() });
    await eventually(() => expect(spy.ended.done).toBe(true));
    expect(JSON.stringify(spy.ended.error ?? spy.results)).toContain('NOT_FOUND');
  });

  it('ends a subscription once its subscriber is no longer a member', async () => {
    const leaving = await addMember(testApp.baseUrl, owner.tokens.accessToken, 'MEMBER');
    const planId = await createPlan('VIEWER');
    const live = watch<{ planChanged: { title: string } }>(leaving, PLAN_CHANGED, { id: planId });
    await live.connected;
    await eventually(async () => {
      await as(owner, 'mutation($p: ID!) { updatePlan(id: $p, input: { title: "Still shared" }) { id } }', {
        p: planId,
      });
      expect(live.results.length).toBeGreaterThan(0);
    });
    const removed = await as(owner, 'mutation($u: ID!) { removeMember(userId: $u) { user { id } } }', {
      u: leaving.userId,
    });
    expect(removed.errors).toBeUndefined();
    const seen = live.results.length;
    await as(owner, 'mutation($p: ID!) { updatePlan(id: $p, input: { title: "Not for former members" }) { id } }', {
      p: planId,
    });
    await eventually(() => expect(live.ended.done).toBe(true));
    expect(live.results.slice(seen).map((result) => result.data?.planChanged.title)).not.toContain(
      'Not for former members',
    );
    expect(JSON.stringify(live.ended.error ?? live.results.at(-1))).toMatch(/FORBIDDEN|NOT_FOUND|UNAUTHENTICATED/);
  });
});
