import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startTestApp, type TestApp } from '../../../../test/support/app.js';
import { createPlan } from '../../../../test/support/collab.js';
import { addMember, graphqlAs, type SignedUp, signUp } from '../../../../test/support/identity.js';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { PlanEntity } from '../plans/entities.js';
import { PlanOrganizations } from '../changes/plan-organizations.js';
import { ChangeLog } from '../changes/change-log.js';
import { AuditTrailService } from '../audit/audit-trail.service.js';

const AUDIT = `query($filter: AuditEventFilter, $first: Int, $after: String) {
  auditEvents(filter: $filter, first: $first, after: $after) {
    totalCount pageInfo { hasNextPage endCursor }
    edges { node { seq occurredAt action entity entityId field after actor { kind id name } } } } }`;

interface Page {
  totalCount: number;
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
  edges: {
    node: {
      seq: number;
      occurredAt: string;
      action: string;
      entity: string;
      entityId: string | null;
      field: string | null;
      after: string | null;
      actor: { kind: string; id: string | null; name: string };
    };
  }[];
}

describe('the audit trail through GraphQL: pages, filters and who acted', () => {
  let testApp: TestApp;
  let owner: SignedUp;
  let member: SignedUp;
  let planId: string;
  let tokenId: string;
  let tokenSecret: string;
  const milestoneIds: string[] = [];

  const as = <T = Record<string, unknown>>(token: string, query: string, variables?: Record<string, unknown>) =>
    graphqlAs<T>(testApp.baseUrl, token, query, variables);
  const audit = async (token: string, variables: Record<string, unknown>) => {
    await testApp.app.get(ChangeLog).drain();
    await testApp.app.get(AuditTrailService).drain();
    return as<{ auditEvents: Page }>(token, AUDIT, variables);
  };

  beforeAll(async () => {
    testApp = await startTestApp();
    owner = await signUp(testApp.baseUrl);
    member = await addMember(testApp.baseUrl, owner.tokens.accessToken);
    planId = await createPlan(testApp.baseUrl, owner.tokens.accessToken, 'Messagerie vers Bleu', null);
    for (const title of ['Pilote', 'Vague 1', 'Vague 2', 'Vague 3', 'Bascule']) {
      const created = await as<{ createMilestone: { id: string } }>(
        owner.tokens.accessToken,
        'mutation($p: ID!, $t: String!) { createMilestone(planId: $p, input: { title: $t }) { id } }',
        { p: planId, t: title },
      );
      expect(created.errors).toBeUndefined();
      milestoneIds.push(created.data!.createMilestone.id);
    }
    const token = await as<{ createApiToken: { apiToken: { id: string }; secret: string } }>(
      owner.tokens.accessToken,
      'mutation { createApiToken(input: { name: "CMDB sync", scopes: [READ, WRITE] }) { apiToken { id } secret } }',
    );
    expect(token.errors).toBeUndefined();
    tokenId = token.data!.createApiToken.apiToken.id;
    tokenSecret = token.data!.createApiToken.secret;
  });

  afterAll(() => testApp.close());

  it('pages through a plan’s trail, newest first, without gaps or repeats', async () => {
    const seen: number[] = [];
    let after: string | null = null;
    let pages = 0;
    let total: number;
    do {
      const response = await audit(owner.tokens.accessToken, { filter: { planId }, first: 2, after });
      expect(response.errors).toBeUndefined();
      const page: Page = response.data!.auditEvents;
      total = page.totalCount;
      expect(page.edges.length).toBeLessThanOrEqual(2);
      seen.push(...page.edges.map((edge) => edge.node.seq));
      after = page.pageInfo.hasNextPage ? page.pageInfo.endCursor : null;
      pages += 1;
    } while (after !== null && pages < 50);
    // The plan's creation and its five milestones at least, each once, newest first.
    expect(total).toBeGreaterThanOrEqual(6);
    expect(seen).toHaveLength(total);
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen).toEqual([...seen].sort((a, b) => b - a));
    expect(pages).toBe(Math.ceil(total / 2));
  });

  it('filters by entity, entry, action, actor and time', async () => {
    const created = await audit(owner.tokens.accessToken, {
      filter: { planId, entity: 'milestones', action: 'created' },
      first: 50,
    });
    expect(created.data!.auditEvents.edges.map((edge) => edge.node.entityId).sort()).toEqual([...milestoneIds].sort());

    const one = await audit(owner.tokens.accessToken, { filter: { planId, entityId: milestoneIds[2] }, first: 50 });
    expect(one.data!.auditEvents.edges.every((edge) => edge.node.entityId === milestoneIds[2])).toBe(true);
    expect(one.data!.auditEvents.totalCount).toBeGreaterThanOrEqual(1);

    const byOwner = await audit(owner.tokens.accessToken, { filter: { planId, actorId: owner.userId }, first: 50 });
    const byMember = await audit(owner.tokens.accessToken, { filter: { planId, actorId: member.userId }, first: 50 });
    expect(byOwner.data!.auditEvents.totalCount).toBeGreaterThanOrEqual(6);
    expect(byMember.data!.auditEvents.totalCount).toBe(0);

    const all = (await audit(owner.tokens.accessToken, { filter: { planId }, first: 500 })).data!.auditEvents.edges;
    const newest = all[0]!.node.occurredAt;
    const future = new Date(Date.parse(newest) + 60_000).toISOString();
    expect(
      (await audit(owner.tokens.accessToken, { filter: { planId, since: future }, first: 50 })).data!.auditEvents
        .totalCount,
    ).toBe(0);
    expect(
      (await audit(owner.tokens.accessToken, { filter: { planId, until: future }, first: 50 })).data!.auditEvents
        .totalCount,
    ).toBe(all.length);
  });

  it('names an API token, never a claimed identity, as the author of what it changed', async () => {
    const renamed = await as(
      tokenSecret,
      'mutation($p: ID!, $m: ID!) { updateMilestone(planId: $p, id: $m, input: { title: "Vague 1 (CMDB)" }) { id } }',
      { p: planId, m: milestoneIds[1] },
    );
    expect(renamed.errors).toBeUndefined();
    const response = await audit(owner.tokens.accessToken, { filter: { planId, actorId: tokenId }, first: 50 });
    expect(response.data!.auditEvents.edges.map((edge) => edge.node)).toEqual([
      expect.objectContaining({
        action: 'updated',
        entity: 'milestones',
        entityId: milestoneIds[1],
        field: 'title',
        after: '"Vague 1 (CMDB)"',
        actor: { kind: 'apiToken', id: tokenId, name: expect.stringMatching(/ \(API token “CMDB sync”\)$/) },
      }),
    ]);
  });

  it('refuses bad paging and keeps the organization-wide trail to admins', async () => {
    for (const first of [0, 501]) {
      const response = await audit(owner.tokens.accessToken, { filter: { planId }, first });
      expect(response.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    }
    const garbled = await audit(owner.tokens.accessToken, { filter: { planId }, first: 5, after: 'not-a-cursor' });
    expect(garbled.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    const organization = await audit(member.tokens.accessToken, { first: 5 });
    expect(organization.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    // A member who may not see the plan does not see its trail either.
    const plan = await audit(member.tokens.accessToken, { filter: { planId }, first: 5 });
    expect(plan.errors?.[0]?.extensions?.code).toMatch(/FORBIDDEN|NOT_FOUND/);
  });

  it('finds a plan created after it was first asked about (a change recorded while its creation commits)', async () => {
    const organizations = new PlanOrganizations(testApp.app.get(DataSource));
    const id = randomUUID();
    expect(await organizations.of(id)).toBeNull();
    await testApp.app.get(DataSource).getRepository(PlanEntity).insert({
      id,
      organizationId: owner.organizationId,
      title: 'Late',
      defaultMemberRole: null,
      createdBy: owner.userId,
      createdAt: new Date(),
    });
    expect(await organizations.of(id)).toBe(owner.organizationId);
  });
});
