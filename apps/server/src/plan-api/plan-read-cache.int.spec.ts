import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { INestApplication } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { startTestApp, type TestApp } from '../../../../test/support/app.js';
import { captureLogs, testConfig } from '../../../../test/support/config.js';
import { suiteDialect } from '../../../../test/support/database.js';
import { listen } from '../../../../test/support/http.js';
import { addMember, graphqlAs, type SignedUp, signUp } from '../../../../test/support/identity.js';
import { createApp } from '../app.factory.js';
import { PlanEvents } from '../events/plan-events.js';

interface Dashboard {
  portfolio: {
    planCount: number;
    riskExposure: number;
    topRisks: { plan: { title: string }; risk: { title: string } }[];
  };
  plans: {
    totalCount: number;
    edges: {
      node: {
        id: string;
        title: string;
        viewerRole: string;
        targetOffer: { name: string } | null;
        nextMilestone: { title: string } | null;
      };
    }[];
  };
}

/** A manager's dashboard: what PlanReadCache keeps (plan lists, the portfolio, offers, next milestones). */
const DASHBOARD = `{
  portfolio { planCount riskExposure topRisks { plan { title } risk { title } } }
  plans(first: 50, orderBy: { field: TITLE, direction: ASC }) {
    totalCount
    edges { node { id title viewerRole targetOffer { name } nextMilestone { title } } }
  }
}`;

describe(`dashboard reads kept in memory on ${suiteDialect()}`, () => {
  let testApp: TestApp;
  let owner: SignedUp;
  let member: SignedUp;
  let stranger: SignedUp;
  let planId: string;

  const as = async <T = Record<string, unknown>>(
    who: SignedUp,
    query: string,
    variables?: Record<string, unknown>,
    baseUrl = testApp.baseUrl,
  ) => {
    const response = await graphqlAs<T>(baseUrl, who.tokens.accessToken, query, variables);
    expect(response.errors).toBeUndefined();
    return response.data!;
  };
  const dashboard = (who: SignedUp, baseUrl?: string) => as<Dashboard>(who, DASHBOARD, undefined, baseUrl);
  const titles = (board: Dashboard) => board.plans.edges.map((edge) => edge.node.title);

  async function createPlan(who: SignedUp, title: string, defaultMemberRole: string | null = null) {
    const created = await as<{ createPlan: { id: string } }>(
      who,
      'mutation($i: CreatePlanInput!) { createPlan(input: $i) { id } }',
      { i: { title, targetOfferId: 'bleu', defaultMemberRole } },
    );
    return created.createPlan.id;
  }

  beforeAll(async () => {
    testApp = await startTestApp();
    owner = await signUp(testApp.baseUrl);
    member = await addMember(testApp.baseUrl, owner.tokens.accessToken, 'MEMBER');
    stranger = await signUp(testApp.baseUrl);
    planId = await createPlan(owner, 'Messagerie vers Bleu');
    await createPlan(stranger, 'Plan of another organization', 'VIEWER');
  });

  afterAll(() => testApp.close());

  it('keeps a read until a change is announced: a row changed behind its back is not seen, the next change is', async () => {
    expect(titles(await dashboard(owner))).toEqual(['Messagerie vers Bleu']);
    // Written straight into the read model, as nothing in Bascule does: no event, so the memory holds.
    await testApp.app
      .get(DataSource)
      .query(`UPDATE plan_summaries SET title = 'Changed behind the cache' WHERE plan_id = '${planId}'`);
    expect(titles(await dashboard(owner))).toEqual(['Messagerie vers Bleu']);

    await as(owner, 'mutation($id: ID!) { updatePlan(id: $id, input: { description: "Lot 1" }) { id } }', {
      id: planId,
    });
    // The projection rewrote the summary from the document and announced it: read again.
    expect(titles(await dashboard(owner))).toEqual(['Messagerie vers Bleu']);
    const description = await as<{ plan: { description: string } }>(
      owner,
      '{ plan(id: "' + planId + '") { description } }',
    );
    expect(description.plan.description).toBe('Lot 1');
  });

  it("never shows a plan to someone who may not see it, even when another's read of it is in memory", async () => {
    for (let round = 0; round < 2; round += 1) {
      expect(titles(await dashboard(owner))).toEqual(['Messagerie vers Bleu']);
      expect(titles(await dashboard(stranger))).toEqual(['Plan of another organization']);
      expect((await dashboard(member)).plans.totalCount).toBe(0);
      expect((await dashboard(member)).portfolio.planCount).toBe(0);
    }
  });

  it('shows every write to the one who made it on their very next read: content, risks, roles, the catalog', async () => {
    await dashboard(owner);
    await as(
      owner,
      'mutation($id: ID!) { updatePlan(id: $id, input: { title: "Messagerie et Teams vers Bleu" }) { id } }',
      {
        id: planId,
      },
    );
    expect(titles(await dashboard(owner))).toEqual(['Messagerie et Teams vers Bleu']);

    await as(
      owner,
      'mutation($p: ID!) { createRisk(planId: $p, input: { title: "Réversibilité non contractualisée", likelihood: 4, impact: 5 }) { id } }',
      { p: planId },
    );
    const withRisk = await dashboard(owner);
    expect(withRisk.portfolio.riskExposure).toBe(20);
    expect(withRisk.portfolio.topRisks).toEqual([
      { plan: { title: 'Messagerie et Teams vers Bleu' }, risk: { title: 'Réversibilité non contractualisée' } },
    ]);

    await as(
      owner,
      'mutation($p: ID!) { createMilestone(planId: $p, input: { title: "Bascule des boîtes", dueDate: "2031-03-01" }) { id } }',
      { p: planId },
    );
    expect((await dashboard(owner)).plans.edges[0]?.node.nextMilestone).toEqual({ title: 'Bascule des boîtes' });

    expect((await dashboard(member)).plans.totalCount).toBe(0);
    await as(owner, 'mutation($p: ID!, $u: ID!) { setPlanMemberRole(planId: $p, userId: $u, role: EDITOR) { role } }', {
      p: planId,
      u: member.userId,
    });
    const granted = await dashboard(member);
    expect(granted.plans.edges.map((edge) => [edge.node.title, edge.node.viewerRole])).toEqual([
      ['Messagerie et Teams vers Bleu', 'EDITOR'],
    ]);

    expect((await dashboard(owner)).plans.edges[0]?.node.targetOffer).toEqual({ name: 'Bleu (Azure, Microsoft 365)' });
    await as(
      owner,
      'mutation { saveTargetOffer(input: { id: "bleu", provider: "Bleu", name: "Bleu (offre interne)", secNumCloudStatus: QUALIFIED, hds: true }) { id } }',
    );
    expect((await dashboard(owner)).plans.edges[0]?.node.targetOffer).toEqual({ name: 'Bleu (offre interne)' });
    // The other organization's catalog is its own.
    expect((await dashboard(stranger)).plans.edges[0]?.node.targetOffer).toEqual({
      name: 'Bleu (Azure, Microsoft 365)',
    });
  });

  const withRedis = process.env.REDIS_URL ? it : it.skip;
  withRedis('shows a write made on another instance on the next read there (Redis)', async () => {
    let other: INestApplication | undefined;
    try {
      other = await createApp(
        testConfig({ DATABASE_URL: testApp.database.url, BASCULE_ROLES: 'api' }),
        captureLogs().logger,
      );
      const otherUrl = await listen(other);
      for (let round = 0; round < 5; round += 1) {
        await dashboard(owner, otherUrl);
        const title = `Messagerie vers Bleu, lot ${round}`;
        await as(owner, 'mutation($id: ID!, $t: String!) { updatePlan(id: $id, input: { title: $t }) { id } }', {
          id: planId,
          t: title,
        });
        expect(titles(await dashboard(owner, otherUrl))).toEqual([title]);
      }
      // What decides it: a role change publishes no plan event, so only the counter in Redis can tell
      // the other instance, and it has moved there by the time the write answers.
      const here = testApp.app.get(PlanEvents);
      const there = other.get(PlanEvents);
      const before = await there.generation(owner.organizationId);
      await here.invalidate(owner.organizationId);
      const after = await there.generation(owner.organizationId);
      expect(before).not.toBeNull();
      expect(after).not.toBe(before);
    } finally {
      await other?.close();
    }
  });
});
