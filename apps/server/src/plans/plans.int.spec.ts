import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startTestApp, type TestApp } from '../../../../test/support/app.js';
import { createPlan } from '../../../../test/support/collab.js';
import { addMember, codeOf, graphqlAs, type SignedUp, signUp } from '../../../../test/support/identity.js';

const PLANS =
  'query($first: Int, $after: String) { plans(first: $first, after: $after) { edges { node { title viewerRole } } pageInfo { endCursor } } }';
const titles = (data: unknown) =>
  (data as { plans: { edges: { node: unknown }[] } }).plans.edges.map((edge) => edge.node);

describe('plan registry', () => {
  let testApp: TestApp;
  let owner: SignedUp;
  let member: SignedUp;

  beforeAll(async () => {
    testApp = await startTestApp();
    owner = await signUp(testApp.baseUrl);
    member = await addMember(testApp.baseUrl, owner.tokens.accessToken, 'MEMBER');
  });

  afterAll(() => testApp.close());

  it('shows each member the plans shared with them, with their role, newest first and paged', async () => {
    await createPlan(testApp.baseUrl, owner.tokens.accessToken, 'Shared with all', 'VIEWER');
    const hidden = await createPlan(testApp.baseUrl, owner.tokens.accessToken, 'Not shared', null);
    await createPlan(testApp.baseUrl, owner.tokens.accessToken, 'Editable by all', 'EDITOR');

    const asMember = await graphqlAs(testApp.baseUrl, member.tokens.accessToken, PLANS);
    expect(titles(asMember.data)).toEqual([
      { title: 'Editable by all', viewerRole: 'EDITOR' },
      { title: 'Shared with all', viewerRole: 'VIEWER' },
    ]);
    const asOwner = await graphqlAs(testApp.baseUrl, owner.tokens.accessToken, PLANS);
    expect(titles(asOwner.data)).toHaveLength(3);

    const granted = await graphqlAs(
      testApp.baseUrl,
      owner.tokens.accessToken,
      'mutation($p: ID!, $u: ID!) { setPlanMemberRole(planId: $p, userId: $u, role: APPROVER) { role } }',
      { p: hidden, u: member.userId },
    );
    expect(granted.data).toEqual({ setPlanMemberRole: { role: 'APPROVER' } });
    const first = await graphqlAs<{ plans: { pageInfo: { endCursor: string } } }>(
      testApp.baseUrl,
      member.tokens.accessToken,
      PLANS,
      { first: 1 },
    );
    const paged = await graphqlAs(testApp.baseUrl, member.tokens.accessToken, PLANS, {
      first: 1,
      after: first.data!.plans.pageInfo.endCursor,
    });
    expect(titles(paged.data)).toEqual([{ title: 'Not shared', viewerRole: 'APPROVER' }]);
  });

  it('lets only a plan owner share it, and refuses bad page sizes', async () => {
    const planId = await createPlan(testApp.baseUrl, owner.tokens.accessToken, 'Owned', 'EDITOR');
    const attempt = await graphqlAs(
      testApp.baseUrl,
      member.tokens.accessToken,
      'mutation($p: ID!, $u: ID!) { setPlanMemberRole(planId: $p, userId: $u, role: OWNER) { role } }',
      { p: planId, u: member.userId },
    );
    expect(codeOf(attempt)).toBe('FORBIDDEN');
    expect(codeOf(await graphqlAs(testApp.baseUrl, member.tokens.accessToken, PLANS, { first: 501 }))).toBe(
      'BAD_USER_INPUT',
    );
    for (const after of ['garbage', Buffer.from(JSON.stringify([{ not: 'a value' }, 'x'])).toString('base64url')])
      expect(codeOf(await graphqlAs(testApp.baseUrl, member.tokens.accessToken, PLANS, { after }))).toBe(
        'BAD_USER_INPUT',
      );
  });

  it('lists who a plan is shared with, and lets its owner change what every member may do', async () => {
    const planId = await createPlan(testApp.baseUrl, owner.tokens.accessToken, 'Sharing', null);
    const sharing = (token: string) =>
      graphqlAs<{ plan: { defaultMemberRole: string | null; members: { role: string; user: { id: string } }[] } }>(
        testApp.baseUrl,
        token,
        'query($p: ID!) { plan(id: $p) { defaultMemberRole members { role user { id } } } }',
        { p: planId },
      );
    expect((await sharing(owner.tokens.accessToken)).data?.plan).toEqual({
      defaultMemberRole: null,
      members: [{ role: 'OWNER', user: { id: owner.userId } }],
    });
    expect(codeOf(await sharing(member.tokens.accessToken))).toBe('FORBIDDEN');

    const setDefault = (token: string, role: string | null) =>
      graphqlAs<{ setPlanDefaultRole: { defaultMemberRole: string | null; viewerRole: string } }>(
        testApp.baseUrl,
        token,
        'mutation($p: ID!, $r: PlanRole) { setPlanDefaultRole(planId: $p, role: $r) { defaultMemberRole viewerRole } }',
        { p: planId, r: role },
      );
    expect((await setDefault(owner.tokens.accessToken, 'VIEWER')).data?.setPlanDefaultRole.defaultMemberRole).toBe(
      'VIEWER',
    );
    // Every member now sees it, as a viewer, and may not change the sharing.
    expect((await sharing(member.tokens.accessToken)).data?.plan.defaultMemberRole).toBe('VIEWER');
    expect(codeOf(await setDefault(member.tokens.accessToken, 'EDITOR'))).toBe('FORBIDDEN');
    expect((await setDefault(owner.tokens.accessToken, null)).data?.setPlanDefaultRole.defaultMemberRole).toBeNull();
    expect(codeOf(await sharing(member.tokens.accessToken))).toBe('FORBIDDEN');
  });
});
