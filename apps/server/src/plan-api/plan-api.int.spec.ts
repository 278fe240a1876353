import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { DataSource, type Logger as OrmLogger } from 'typeorm';
import { startTestApp, type TestApp } from '../../../../test/support/app.js';
import { suiteDialect } from '../../../../test/support/database.js';
import { ChangeLog } from '../changes/change-log.js';
import { ProjectionService } from '../projection/projection.service.js';
import { addMember, bearer, codeOf, graphqlAs, type SignedUp, signUp } from '../../../../test/support/identity.js';
import { graphql } from '../../../../test/support/http.js';

interface Edge<T> {
  node: T;
}
const nodes = <T>(connection: { edges: Edge<T>[] }) => connection.edges.map((edge) => edge.node);

describe(`plan API on ${suiteDialect()}`, () => {
  let testApp: TestApp;
  let owner: SignedUp;
  let viewer: SignedUp;
  let admin: SignedUp;

  const as = <T = Record<string, unknown>>(who: SignedUp, query: string, variables?: Record<string, unknown>) =>
    graphqlAs<T>(testApp.baseUrl, who.tokens.accessToken, query, variables);

  async function planFromTemplate(title: string, templateId = 'm365-to-bleu', startDate = '2027-01-04') {
    const response = await as<{ createPlanFromTemplate: { id: string } }>(
      owner,
      'mutation($i: CreatePlanFromTemplateInput!) { createPlanFromTemplate(input: $i) { id } }',
      { i: { templateId, title, startDate } },
    );
    expect(response.errors).toBeUndefined();
    return response.data!.createPlanFromTemplate.id;
  }

  beforeAll(async () => {
    testApp = await startTestApp();
    owner = await signUp(testApp.baseUrl);
    viewer = await addMember(testApp.baseUrl, owner.tokens.accessToken, 'MEMBER');
    admin = await addMember(testApp.baseUrl, owner.tokens.accessToken, 'ADMIN');
  });

  afterAll(() => testApp.close());

  it('creates a plan with its header and returns it projected', async () => {
    const response = await as(
      owner,
      `mutation($i: CreatePlanInput!) {
        createPlan(input: $i) { title status sourcePlatform targetOfferId dataSensitivity startDate targetDate
          description progress rag schemaVersion viewerRole targetOffer { name secNumCloudStatus } eligibility { code } }
      }`,
      {
        i: {
          title: 'Dossier patient vers un IaaS qualifié',
          status: 'ACTIVE',
          sourcePlatform: 'VMware sur site',
          targetOfferId: 'outscale-iaas',
          dataSensitivity: 'HEALTH',
          startDate: '2027-01-04',
          targetDate: '2027-09-30',
          description: 'Hébergement HDS obligatoire.',
        },
      },
    );
    expect(response.errors).toBeUndefined();
    expect(response.data!.createPlan).toEqual({
      title: 'Dossier patient vers un IaaS qualifié',
      status: 'ACTIVE',
      sourcePlatform: 'VMware sur site',
      targetOfferId: 'outscale-iaas',
      dataSensitivity: 'HEALTH',
      startDate: '2027-01-04',
      targetDate: '2027-09-30',
      description: 'Hébergement HDS obligatoire.',
      progress: 0,
      rag: 'GREEN',
      schemaVersion: 3,
      viewerRole: 'OWNER',
      targetOffer: { name: 'Outscale IaaS', secNumCloudStatus: 'QUALIFIED' },
      eligibility: [],
    });
  });

  it('creates a plan from a template, with the cutover gated and the eligibility risk raised', async () => {
    const planId = await planFromTemplate('Messagerie vers Bleu', 'm365-to-bleu', '2026-01-05');
    const { data } = await as<{
      plan: {
        milestoneCount: number;
        eligibility: { code: string }[];
        milestones: { edges: Edge<{ id: string; kind: string }>[] };
        checkpoints: { edges: Edge<{ milestoneIds: string[]; framework: string }>[] };
        risks: { edges: Edge<{ title: string; automatic: string | null; score: number }>[] };
      };
    }>(
      owner,
      `query($p: ID!) { plan(id: $p) {
        milestoneCount eligibility { code }
        milestones { edges { node { id kind } } }
        checkpoints { edges { node { milestoneIds framework } } }
        risks(first: 50) { edges { node { title automatic score } } }
      } }`,
      { p: planId },
    );
    const plan = data!.plan;
    expect(plan.milestoneCount).toBe(8);
    const cutover = nodes(plan.milestones).find((milestone) => milestone.kind === 'CUTOVER')!;
    expect(
      nodes(plan.checkpoints).filter((checkpoint) => checkpoint.milestoneIds.includes(cutover.id)).length,
    ).toBeGreaterThan(3);
    // Bleu expects its qualification by 2026-06-30; this plan's cutover is in September 2026.
    expect(plan.eligibility).toEqual([{ code: 'QUALIFICATION_PENDING' }]);
    expect(nodes(plan.risks).filter((risk) => risk.automatic !== null)).toEqual([
      {
        // In French: the request named no language, and French is the default.
        title: 'Qualification de l’offre Bleu (Azure, Microsoft 365) toujours en attente',
        automatic: 'eligibility:QUALIFICATION_PENDING',
        score: 12,
      },
    ]);
  });

  it('writes in the language of whoever creates: templates, plans, automatic risks and the catalog', async () => {
    const inEnglish = (query: string, variables?: Record<string, unknown>) =>
      graphql<Record<string, never>>(testApp.baseUrl, query, variables, {
        ...bearer(owner.tokens.accessToken),
        'accept-language': 'en-GB,en;q=0.9,fr;q=0.5',
      });
    const TEMPLATES = '{ templates { id name } catalog { frameworks { id name } } }';
    const french = (await as<{ templates: { id: string; name: string }[] }>(owner, TEMPLATES)).data!;
    const english = (await inEnglish(TEMPLATES)).data as unknown as typeof french & {
      catalog: { frameworks: { id: string; name: string }[] };
    };
    expect(french.templates.find((template) => template.id === 'm365-to-bleu')?.name).toBe('Microsoft 365 vers Bleu');
    expect(english.templates.find((template) => template.id === 'm365-to-bleu')?.name).toBe('Microsoft 365 to Bleu');
    expect(english.catalog.frameworks.find((framework) => framework.id === 'HDS')?.name).toBe(
      'Health data hosting (HDS)',
    );

    const created = (await inEnglish(
      'mutation { createPlanFromTemplate(input: { templateId: "m365-to-bleu", title: "Mail to Bleu", startDate: "2026-01-05" }) { id } }',
    )) as unknown as { data: { createPlanFromTemplate: { id: string } } };
    const planId = created.data.createPlanFromTemplate.id;
    // Read by a French reader: what the plan holds stays in the language it was written in.
    const { data } = await as<{
      plan: {
        workloads: { edges: Edge<{ name: string }>[] };
        risks: { edges: Edge<{ title: string; automatic: string | null }>[] };
      };
    }>(
      owner,
      'query($p: ID!) { plan(id: $p) { workloads { edges { node { name } } } risks(first: 50) { edges { node { title automatic } } } } }',
      {
        p: planId,
      },
    );
    expect(nodes(data!.plan.workloads).map((workload) => workload.name)).toContain('Exchange Online mailboxes');
    expect(nodes(data!.plan.risks).filter((risk) => risk.automatic !== null)).toEqual([
      {
        title: 'Bleu (Azure, Microsoft 365) qualification still pending',
        automatic: 'eligibility:QUALIFICATION_PENDING',
      },
    ]);
    // An explicit language wins over the request's (French here, by default).
    const explicit = await as<{ createPlanFromTemplate: { id: string } }>(
      owner,
      'mutation { createPlanFromTemplate(input: { templateId: "iaas-lift-and-shift", title: "IaaS", startDate: "2027-01-04", language: en }) { id } }',
    );
    const workloads = await as<{ plan: { workloads: { edges: Edge<{ name: string }>[] } } }>(
      owner,
      'query($p: ID!) { plan(id: $p) { workloads { edges { node { name } } } } }',
      { p: explicit.data!.createPlanFromTemplate.id },
    );
    expect(nodes(workloads.data!.plan.workloads).map((workload) => workload.name)).toContain('Finance ERP');

    // A plan made from nothing keeps the request's language for the risks the server raises later.
    const bare = (await inEnglish(
      'mutation { createPlan(input: { title: "Old apps", targetOfferId: "anthos-ovhcloud" }) { id } }',
    )) as unknown as { data: { createPlan: { id: string } } };
    const raised = await as<{ plan: { risks: { edges: Edge<{ title: string; automatic: string | null }>[] } } }>(
      owner,
      'query($p: ID!) { plan(id: $p) { risks { edges { node { title automatic } } } } }',
      { p: bare.data.createPlan.id },
    );
    expect(nodes(raised.data!.plan.risks)).toContainEqual({
      title: 'Target offer Google Anthos on OVHcloud is discontinued',
      automatic: 'eligibility:TARGET_DISCONTINUED',
    });
  });

  it('edits every kind of entry through the document and answers with the projected result', async () => {
    const planId = await planFromTemplate('Edits');
    const created = await as<{ createMilestone: { id: string; position: number; status: string } }>(
      owner,
      'mutation($p: ID!) { createMilestone(planId: $p, input: { title: "Go/no-go", kind: CUTOVER, dueDate: "2027-10-01" }) { id position status } }',
      { p: planId },
    );
    const milestoneId = created.data!.createMilestone.id;
    expect(created.data!.createMilestone).toMatchObject({ position: 8, status: 'NOT_STARTED' });

    const done = await as(
      owner,
      'mutation($p: ID!, $id: ID!) { updateMilestone(planId: $p, id: $id, input: { status: DONE, owner: "RSSI" }) { status owner completedOn } }',
      { p: planId, id: milestoneId },
    );
    expect(done.data!.updateMilestone).toEqual({
      status: 'DONE',
      owner: 'RSSI',
      completedOn: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/),
    });

    const moved = await as(
      owner,
      'mutation($p: ID!, $id: ID!) { moveMilestone(planId: $p, id: $id, index: 0) { position } }',
      {
        p: planId,
        id: milestoneId,
      },
    );
    expect(moved.data!.moveMilestone).toEqual({ position: 0 });

    const risk = await as<{ createRisk: { id: string; score: number } }>(
      owner,
      'mutation($p: ID!) { createRisk(planId: $p, input: { title: "Skills", likelihood: 4, impact: 5, mitigation: "Train" }) { id score } }',
      { p: planId },
    );
    expect(risk.data!.createRisk.score).toBe(20);
    // The milestone is done: only a passed checkpoint may gate it now (the plan's owner approves).
    const checkpoint = await as<{ createCheckpoint: { id: string; milestoneIds: string[]; approvedBy: string } }>(
      owner,
      `mutation($p: ID!, $m: ID!) { createCheckpoint(planId: $p, input: { title: "Go/no-go signed", framework: "NIS2",
        status: PASSED, evidence: ["https://intranet.example/go"], milestoneIds: [$m] }) { id milestoneIds approvedBy } }`,
      { p: planId, m: milestoneId },
    );
    expect(checkpoint.data!.createCheckpoint.milestoneIds).toEqual([milestoneId]);
    expect(checkpoint.data!.createCheckpoint.approvedBy).toMatch(/^Test /);
    const workload = await as(
      owner,
      'mutation($p: ID!) { createWorkload(planId: $p, input: { name: "Archive", strategy: RETIRE, wave: 3 }) { name strategy wave } }',
      { p: planId },
    );
    expect(workload.data!.createWorkload).toEqual({ name: 'Archive', strategy: 'RETIRE', wave: 3 });

    const afterDelete = await as<{
      deleteMilestone: {
        milestoneCount: number;
        checkpoints: { edges: Edge<{ id: string; milestoneIds: string[] }>[] };
      };
    }>(
      owner,
      'mutation($p: ID!, $id: ID!) { deleteMilestone(planId: $p, id: $id) { milestoneCount checkpoints(first: 100) { edges { node { id milestoneIds } } } } }',
      { p: planId, id: milestoneId },
    );
    expect(afterDelete.data!.deleteMilestone.milestoneCount).toBe(8);
    const gate = nodes(afterDelete.data!.deleteMilestone.checkpoints).find(
      (node) => node.id === checkpoint.data!.createCheckpoint.id,
    );
    expect(gate?.milestoneIds).toEqual([]);
  });

  it('refuses bad input with a clear error and writes nothing', async () => {
    const planId = await planFromTemplate('Bad input');
    const other = await planFromTemplate('Another plan');
    await testApp.app.get(ProjectionService).idle();
    const before = await as(
      owner,
      'query($p: ID!) { plan(id: $p) { riskExposure milestoneCount checkpointCount projectedAt } }',
      { p: planId },
    );
    const { data: ids } = await as<{
      plan: { milestones: { edges: Edge<{ id: string }>[] }; risks: { edges: Edge<{ id: string }>[] } };
    }>(
      owner,
      'query($p: ID!) { plan(id: $p) { milestones { edges { node { id } } } risks { edges { node { id } } } } }',
      { p: planId },
    );
    const [first, second] = nodes(ids!.plan.milestones);
    const { data: foreign } = await as<{ plan: { milestones: { edges: Edge<{ id: string }>[] } } }>(
      owner,
      'query($p: ID!) { plan(id: $p) { milestones { edges { node { id } } } } }',
      { p: other },
    );
    const attempts: [string, string, Record<string, unknown>, string, string][] = [
      [
        'score above 5',
        'mutation($p: ID!, $id: ID!) { updateRisk(planId: $p, id: $id, input: { likelihood: 6 }) { id } }',
        { id: nodes(ids!.plan.risks)[0]!.id },
        'BAD_USER_INPUT',
        'likelihood',
      ],
      [
        'impossible date',
        'mutation($p: ID!) { createMilestone(planId: $p, input: { title: "x", dueDate: "2027-02-30" }) { id } }',
        {},
        'BAD_USER_INPUT',
        'dueDate',
      ],
      [
        'due before start',
        'mutation($p: ID!) { createMilestone(planId: $p, input: { title: "x", startDate: "2027-03-01", dueDate: "2027-02-01" }) { id } }',
        {},
        'BAD_USER_INPUT',
        'dueDate',
      ],
      [
        'unknown id',
        'mutation($p: ID!) { updateRisk(planId: $p, id: "nope", input: { impact: 2 }) { id } }',
        {},
        'NOT_FOUND',
        '',
      ],
      [
        'dependency cycle',
        'mutation($p: ID!, $id: ID!, $d: ID!) { updateMilestone(planId: $p, id: $id, input: { dependsOn: [$d] }) { id } }',
        { id: first!.id, d: second!.id },
        'BAD_USER_INPUT',
        'dependsOn',
      ],
      [
        "another plan's milestone",
        'mutation($p: ID!, $m: ID!) { createCheckpoint(planId: $p, input: { title: "x", framework: "GDPR", milestoneIds: [$m] }) { id } }',
        { m: nodes(foreign!.plan.milestones)[0]!.id },
        'BAD_USER_INPUT',
        'milestoneIds',
      ],
      [
        'unknown framework',
        'mutation($p: ID!) { createCheckpoint(planId: $p, input: { title: "x", framework: "ISO_27001" }) { id } }',
        {},
        'BAD_USER_INPUT',
        'framework',
      ],
      [
        'unknown offer',
        'mutation($p: ID!) { updatePlan(id: $p, input: { targetOfferId: "nowhere" }) { id } }',
        {},
        'BAD_USER_INPUT',
        'targetOfferId',
      ],
      [
        'empty title',
        'mutation($p: ID!) { updatePlan(id: $p, input: { title: "  " }) { id } }',
        {},
        'BAD_USER_INPUT',
        'title',
      ],
      [
        'javascript link',
        'mutation($p: ID!) { createCheckpoint(planId: $p, input: { title: "x", framework: "GDPR", evidence: ["javascript:alert(1)"] }) { id } }',
        {},
        'BAD_USER_INPUT',
        'evidence',
      ],
    ];
    for (const [label, query, variables, code, field] of attempts) {
      const response = await as(owner, query, { p: planId, ...variables });
      expect({ label, code: codeOf(response) }).toEqual({ label, code });
      if (field !== '') expect({ label, field: response.errors?.[0]?.extensions?.field }).toEqual({ label, field });
      expect(response.errors?.[0]?.message.length).toBeGreaterThan(10);
    }
    await testApp.app.get(ProjectionService).idle();
    const after = await as(
      owner,
      'query($p: ID!) { plan(id: $p) { riskExposure milestoneCount checkpointCount projectedAt } }',
      { p: planId },
    );
    expect(after.data).toEqual(before.data);
  });

  it('stores nothing when a server-side change changes nothing (no echo loop)', async () => {
    const planId = await planFromTemplate('Quiet', 'm365-to-bleu', '2026-01-05');
    const projection = testApp.app.get(ProjectionService);
    await projection.idle();
    const dataSource = testApp.app.get(DataSource);
    const logRows = async () =>
      Number(
        (
          (await dataSource.query(
            `SELECT COUNT(*) AS n FROM plan_updates WHERE plan_id = ${suiteDialect() === 'postgres' ? '$1' : '?'}`,
            [planId],
          )) as { n: string | number }[]
        )[0]!.n,
      );
    const before = await logRows();
    await projection.projectNow(planId, true);
    await projection.idle();
    expect(await logRows()).toBe(before);
  });

  it('lets a viewer read but not change a plan, and a read-only API token neither', async () => {
    const planId = await planFromTemplate('Read only');
    expect((await as(viewer, 'query($p: ID!) { plan(id: $p) { viewerRole } }', { p: planId })).data).toEqual({
      plan: { viewerRole: 'VIEWER' },
    });
    const attempt = await as(viewer, 'mutation($p: ID!) { createRisk(planId: $p, input: { title: "x" }) { id } }', {
      p: planId,
    });
    expect(codeOf(attempt)).toBe('FORBIDDEN');
    const token = await as<{ createApiToken: { secret: string } }>(
      owner,
      'mutation { createApiToken(input: { name: "BI", scopes: [READ] }) { secret } }',
    );
    const secret = token.data!.createApiToken.secret;
    const readByToken = await graphqlAs(testApp.baseUrl, secret, 'query($p: ID!) { plan(id: $p) { title } }', {
      p: planId,
    });
    expect(readByToken.data).toEqual({ plan: { title: 'Read only' } });
    const writeByToken = await graphqlAs(
      testApp.baseUrl,
      secret,
      'mutation($p: ID!) { updatePlan(id: $p, input: { title: "x" }) { id } }',
      { p: planId },
    );
    expect(codeOf(writeByToken)).toBe('FORBIDDEN');
  });

  it('lists plans with filters, orders and cursors that visit every plan once', async () => {
    const marker = `Filter-${Date.now()}`;
    for (const [index, template] of [
      'gcp-to-s3ns',
      'iaas-lift-and-shift',
      'apps-to-anthos-ovhcloud',
      'm365-to-bleu',
      'gcp-to-s3ns',
    ].entries())
      await planFromTemplate(`${marker} ${String.fromCharCode(69 - index)}`, template);
    const LIST = `query($f: PlanFilter, $o: PlanOrder, $first: Int, $after: String) {
      plans(filter: $f, orderBy: $o, first: $first, after: $after) { totalCount pageInfo { hasNextPage endCursor } edges { node { title targetOfferId } } }
    }`;
    type List = {
      plans: {
        totalCount: number;
        pageInfo: { hasNextPage: boolean; endCursor: string | null };
        edges: Edge<{ title: string; targetOfferId: string }>[];
      };
    };
    const seen: string[] = [];
    let after: string | null = null;
    for (let page = 0; page < 5; page += 1) {
      const response: Awaited<ReturnType<typeof as<List>>> = await as<List>(owner, LIST, {
        f: { text: marker.toLowerCase() },
        o: { field: 'TITLE', direction: 'ASC' },
        first: 2,
        after,
      });
      expect(response.data!.plans.totalCount).toBe(5);
      seen.push(...nodes(response.data!.plans).map((node) => node.title));
      after = response.data!.plans.pageInfo.endCursor;
      if (!response.data!.plans.pageInfo.hasNextPage) break;
    }
    expect(seen).toEqual(['A', 'B', 'C', 'D', 'E'].map((letter) => `${marker} ${letter}`));
    const s3ns = await as<List>(owner, LIST, { f: { text: marker, targetOfferId: ['s3ns-premi3ns'] } });
    expect(nodes(s3ns.data!.plans).map((node) => node.title)).toEqual([`${marker} A`, `${marker} E`]);
    const red = await as<List>(owner, LIST, { f: { text: marker, rag: ['RED'] } });
    expect(nodes(red.data!.plans).map((node) => node.targetOfferId)).toEqual(['anthos-ovhcloud']);
    const descending = await as<List>(owner, LIST, {
      f: { text: marker },
      o: { field: 'TITLE', direction: 'DESC' },
      first: 2,
    });
    const next = await as<List>(owner, LIST, {
      f: { text: marker },
      o: { field: 'TITLE', direction: 'DESC' },
      first: 10,
      after: descending.data!.plans.pageInfo.endCursor,
    });
    expect(nodes(next.data!.plans).map((node) => node.title.slice(-1))).toEqual(['C', 'B', 'A']);
  });

  it('filters a plan’s entries, and pages them', async () => {
    const planId = await planFromTemplate('Entries');
    const { data } = await as<{
      plan: Record<
        string,
        { totalCount: number; pageInfo: { endCursor: string }; edges: Edge<Record<string, unknown>>[] }
      >;
    }>(
      owner,
      `query($p: ID!) { plan(id: $p) {
        cutovers: milestones(filter: { kind: [CUTOVER] }) { totalCount edges { node { title } } }
        cell: risks(filter: { likelihood: 4, impact: 3 }) { totalCount edges { node { title } } }
        gdpr: checkpoints(filter: { framework: ["GDPR"] }) { totalCount }
        firstTwo: workloads(first: 2) { totalCount pageInfo { endCursor } edges { node { name } } }
      } }`,
      { p: planId },
    );
    expect(data!.plan.cutovers!.totalCount).toBe(1);
    expect(nodes(data!.plan.cell!)).toEqual([
      { title: 'Fonctionnalités du service international absentes de Bleu (Copilot, certains connecteurs)' },
    ]);
    expect(data!.plan.gdpr!.totalCount).toBe(2);
    const rest = await as<{ plan: { workloads: { edges: Edge<{ name: string }>[] } } }>(
      owner,
      'query($p: ID!, $a: String) { plan(id: $p) { workloads(after: $a) { edges { node { name } } } } }',
      { p: planId, a: data!.plan.firstTwo!.pageInfo.endCursor },
    );
    expect([...nodes(data!.plan.firstTwo!), ...nodes(rest.data!.plan.workloads)].map((node) => node.name)).toEqual([
      'Boîtes aux lettres Exchange Online',
      'Teams',
      'Intranet SharePoint',
    ]);
  });

  it('sums the portfolio up', async () => {
    const response = await as<{
      portfolio: {
        planCount: number;
        byRag: { rag: string; count: number }[];
        topRisks: { plan: { title: string }; risk: { score: number } }[];
        readinessByFramework: { framework: string; total: number }[];
      };
    }>(
      owner,
      '{ portfolio { planCount byRag { rag count } topRisks { plan { title } risk { score } } readinessByFramework { framework total } } }',
    );
    const portfolio = response.data!.portfolio;
    const plans = await as<{ plans: { totalCount: number } }>(owner, '{ plans { totalCount } }');
    expect(portfolio.planCount).toBe(plans.data!.plans.totalCount);
    expect(portfolio.byRag.reduce((sum, entry) => sum + entry.count, 0)).toBe(portfolio.planCount);
    const scores = portfolio.topRisks.map((entry) => entry.risk.score);
    expect(scores).toEqual([...scores].sort((a, b) => b - a));
    expect(scores[0]).toBe(25);
    expect(portfolio.readinessByFramework.map((entry) => entry.framework)).toContain('SECNUMCLOUD_3_2');
  });

  it('lets an admin edit the catalog for the organization, and re-assesses the plans targeting the offer', async () => {
    const planId = await planFromTemplate('Catalog', 'm365-to-bleu', '2026-01-05');
    const member = await as(
      viewer,
      'mutation { saveTargetOffer(input: { id: "bleu", provider: "x", name: "x", secNumCloudStatus: QUALIFIED, hds: false }) { id } }',
    );
    expect(codeOf(member)).toBe('FORBIDDEN');
    const saved = await as(
      admin,
      `mutation { saveTargetOffer(input: { id: "bleu", provider: "Bleu", name: "Bleu (Azure, Microsoft 365)",
        secNumCloudStatus: QUALIFIED, secNumCloudMilestone: "J3", hds: false, asOf: "2026-10", sourceUrl: "https://cyber.gouv.fr/" }) { version builtIn secNumCloudStatus asOf } }`,
    );
    expect(saved.data).toEqual({
      // One above the built-in row's version (2).
      saveTargetOffer: { version: 3, builtIn: false, secNumCloudStatus: 'QUALIFIED', asOf: '2026-10' },
    });
    const plan = await as<{
      plan: { eligibility: unknown[]; risks: { edges: Edge<{ automatic: string | null; status: string }>[] } };
    }>(
      owner,
      'query($p: ID!) { plan(id: $p) { eligibility { code } risks(first: 50) { edges { node { automatic status } } } } }',
      { p: planId },
    );
    expect(plan.data!.plan.eligibility).toEqual([]);
    expect(nodes(plan.data!.plan.risks).filter((risk) => risk.automatic !== null)).toEqual([
      { automatic: 'eligibility:QUALIFICATION_PENDING', status: 'CLOSED' },
    ]);
    const badDate = await as(
      admin,
      'mutation { saveTargetOffer(input: { id: "x-1", provider: "x", name: "x", secNumCloudStatus: IN_PROGRESS, hds: false, expectedQualification: "soon" }) { id } }',
    );
    expect(codeOf(badDate)).toBe('BAD_USER_INPUT');
    const framework = await as(
      admin,
      'mutation { saveComplianceFramework(input: { id: "ISO_27001", name: "ISO/IEC 27001", requirements: [{ code: "A.5", title: "Policies" }] }) { id version requirements { code description } } }',
    );
    expect(framework.data).toEqual({
      saveComplianceFramework: { id: 'ISO_27001', version: 1, requirements: [{ code: 'A.5', description: '' }] },
    });
  });

  it('reads any number of plans with their entries in a constant number of SQL statements', async () => {
    const dataSource = testApp.app.get(DataSource);
    let statements = 0;
    const original = dataSource.logger;
    // The worker's own rounds (webhook deliveries, the runbook lateness watch, the trail's writes) run
    // meanwhile: they are not the query's statements, nor are their transactions' BEGIN and COMMIT
    // (the query opens none: it only reads).
    const background =
      /webhook_|audit_events|audit_pending|plan_baselines|plan_runbooks|runbook_alerts|^\s*(BEGIN|START TRANSACTION|COMMIT|ROLLBACK)/i;
    const counting: OrmLogger = {
      logQuery: (query) => void (background.test(query) ? undefined : (statements += 1)),
      logQueryError: () => undefined,
      logQuerySlow: () => undefined,
      logSchemaBuild: () => undefined,
      logMigration: () => undefined,
      log: () => undefined,
    };
    const QUERY = `{ plans(first: 500) { edges { node { title targetOffer { name } nextMilestone { title } heatMap
      milestones { totalCount } risks { totalCount } checkpoints { totalCount } workloads { totalCount } } } }
      portfolio { planCount topRisks { plan { title } } overdueMilestones { plan { title } } } }`;
    const count = async () => {
      await testApp.app.get(ProjectionService).idle();
      // The audit trail and webhook events are written in the background: done before counting.
      await testApp.app.get(ChangeLog).drain();
      Object.assign(dataSource, { logger: counting });
      statements = 0;
      try {
        const response = await as<{ plans: { edges: unknown[] } }>(owner, QUERY);
        expect(response.errors).toBeUndefined();
        return { plans: response.data!.plans.edges.length, statements };
      } finally {
        Object.assign(dataSource, { logger: original });
      }
    };
    const before = await count();
    await planFromTemplate('More 1');
    await planFromTemplate('More 2', 'iaas-lift-and-shift');
    await planFromTemplate('More 3', 'gcp-to-s3ns');
    const after = await count();
    expect(after.plans).toBe(before.plans + 3);
    expect(after.statements).toBe(before.statements);
  });
});
