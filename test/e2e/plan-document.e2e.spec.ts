import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import Sqlite from 'better-sqlite3';
import pg from 'pg';
import * as Y from 'yjs';
import { type CollabClient, connectClient, eventually, synced } from '../support/collab.js';
import { serverEnvironment, type ServerEnvironment, suiteDialect } from '../support/database.js';
import { graphqlAs, type SignedUp, signUp } from '../support/identity.js';
import { runToExit, SERVER_CLI, type ServerProcess, startServer } from '../support/server-process.js';
import { subscribe } from '../support/subscriptions.js';

/**
 * A third-party Yjs client that knows only docs/plan-document.md, against the server as a process:
 * its edits reach GraphQL, and GraphQL's edits reach it.
 */
describe(`the plan document contract, end to end (${suiteDialect()})`, () => {
  let server: ServerProcess;
  let environment: ServerEnvironment;
  let owner: SignedUp;
  const clients: CollabClient[] = [];

  const query = <T>(text: string, variables?: Record<string, unknown>) =>
    graphqlAs<T>(server.baseUrl, owner.tokens.accessToken, text, variables);

  beforeAll(async () => {
    environment = await serverEnvironment();
    server = await startServer(environment.env);
    owner = await signUp(server.baseUrl);
  });

  afterEach(() => {
    for (const client of clients.splice(0)) client.destroy();
  });

  afterAll(async () => {
    await server.stop();
    await environment?.drop();
  });

  async function planFromTemplate(): Promise<string> {
    const created = await query<{ createPlanFromTemplate: { id: string } }>(
      'mutation { createPlanFromTemplate(input: { templateId: "iaas-lift-and-shift", title: "Contrat", startDate: "2027-01-04" }) { id } }',
    );
    expect(created.errors).toBeUndefined();
    return created.data!.createPlanFromTemplate.id;
  }

  it('a client that follows the contract edits the plan, and GraphQL shows it', async () => {
    const planId = await planFromTemplate();
    const client = connectClient(server.baseUrl, planId, owner.tokens.accessToken);
    clients.push(client);
    await synced(client);
    const { doc } = client;
    const milestones = doc.getMap<Y.Map<unknown>>('milestones');
    const last = Math.max(...[...milestones.values()].map((entry) => entry.get('position') as number));
    const cutover = [...milestones.values()].find((entry) => entry.get('kind') === 'CUTOVER')!;
    const id = '7f6e1a52-3c1b-4f5e-9a7d-2b8c4d6e8f01';
    doc.transact(() => {
      const entry = new Y.Map<unknown>();
      milestones.set(id, entry);
      entry.set('id', id);
      entry.set('position', last + 1);
      entry.set('title', 'Archive the old backups');
      entry.set('kind', 'DECOMMISSION');
      entry.set('status', 'NOT_STARTED');
      entry.set('dueDate', '2027-12-15');
      entry.set('dependsOn', Y.Array.from([cutover.get('id') as string]));
      doc.getMap('plan').set('title', 'Contrat, revu par un outil tiers');
    });

    const seen = await eventually(async () => {
      const response = await query<{
        plan: { title: string; milestoneCount: number; milestones: { edges: { node: Record<string, unknown> }[] } };
      }>(
        'query($p: ID!) { plan(id: $p) { title milestoneCount milestones(filter: { kind: [DECOMMISSION] }) { edges { node { id title dueDate dependsOn position } } } } }',
        {
          p: planId,
        },
      );
      expect(response.data!.plan.title).toBe('Contrat, revu par un outil tiers');
      return response.data!.plan;
    });
    expect(seen.milestoneCount).toBe(7);
    expect(seen.milestones.edges.map((edge) => edge.node)).toContainEqual({
      id,
      title: 'Archive the old backups',
      dueDate: '2027-12-15',
      dependsOn: [cutover.get('id')],
      position: 6,
    });
  });

  it('a GraphQL mutation reaches an open client at once, and bad content becomes validation issues', async () => {
    const planId = await planFromTemplate();
    const client = connectClient(server.baseUrl, planId, owner.tokens.accessToken);
    clients.push(client);
    await synced(client);
    const risks = client.doc.getMap<Y.Map<unknown>>('risks');
    const riskId = [...risks.keys()][0]!;

    const updated = await query(
      'mutation($p: ID!, $r: ID!) { updateRisk(planId: $p, id: $r, input: { likelihood: 5, mitigation: "Rehearse twice" }) { score } }',
      { p: planId, r: riskId },
    );
    expect(updated.errors).toBeUndefined();
    await eventually(() => {
      expect(risks.get(riskId)!.get('likelihood')).toBe(5);
      expect((risks.get(riskId)!.get('mitigation') as Y.Text).toString()).toBe('Rehearse twice');
    });

    risks.get(riskId)!.set('impact', 9);
    const issues = await eventually(async () => {
      const response = await query<{ plan: { validationIssues: { path: string; message: string }[] } }>(
        'query($p: ID!) { plan(id: $p) { validationIssues { path message } } }',
        { p: planId },
      );
      expect(response.data!.plan.validationIssues).not.toEqual([]);
      return response.data!.plan.validationIssues;
    });
    expect(issues).toEqual([{ path: `risks/${riskId}/impact`, message: 'not a whole number from 1 to 5: 3 used' }]);
  });

  it('rebuilds a lost read model from the stored documents with cli.js project', async () => {
    const planId = await planFromTemplate();
    await runSql(`DELETE FROM plan_summaries WHERE plan_id = '${planId}'`);
    const lost = await query('query($p: ID!) { plan(id: $p) { title } }', { p: planId });
    expect(lost.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');

    const exit = await runToExit(environment.env, SERVER_CLI, ['project']);
    expect(exit.code).toBe(0);
    expect(exit.stdout).toMatch(/projected (\d+)\/\1 plans/);
    expect(exit.stdout).toContain('every plan projected');
    const rebuilt = await query<{ plan: { title: string; milestoneCount: number } }>(
      'query($p: ID!) { plan(id: $p) { title milestoneCount } }',
      { p: planId },
    );
    expect(rebuilt.data?.plan).toEqual({ title: 'Contrat', milestoneCount: 6 });
  });

  /** Runs one statement on the server's database, behind its back. */
  async function runSql(statement: string): Promise<void> {
    const url = environment.databaseUrl;
    if (!url.startsWith('sqlite:')) {
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      try {
        await client.query(statement);
      } finally {
        await client.end();
      }
      return;
    }
    const sqlite = new Sqlite(url.slice('sqlite:'.length));
    try {
      sqlite.exec(statement);
    } finally {
      sqlite.close();
    }
  }

  (process.env.REDIS_URL ? it : it.skip)(
    'tells a subscriber on another instance about an edit made through a Yjs client (needs REDIS_URL)',
    async () => {
      const planId = await planFromTemplate();
      const second = await startServer(environment.env);
      const live = subscribe<{ planChanged: { title: string } }>(
        second.baseUrl,
        { authorization: `Bearer ${owner.tokens.accessToken}` },
        'subscription($p: ID!) { planChanged(id: $p) { title } }',
        { p: planId },
      );
      try {
        await live.connected;
        const client = connectClient(server.baseUrl, planId, owner.tokens.accessToken);
        clients.push(client);
        await synced(client);
        await eventually(
          () => {
            client.doc.getMap('plan').set('title', `Edited on instance one ${Date.now()}`);
            expect(live.results.at(-1)?.data?.planChanged.title).toMatch(/^Edited on instance one/);
          },
          10_000,
          300,
        );
      } finally {
        await live.close();
        await second.stop();
      }
    },
  );
});
