import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import * as Y from 'yjs';
import { OrganizationArchive } from '../../apps/server/src/exchange/organization-archive.js';
import { connectClient, createPlan, synced } from '../support/collab.js';
import { tempDir } from '../support/config.js';
import { serverEnvironment, type ServerEnvironment, suiteDialect } from '../support/database.js';
import { addMember, graphqlAs, logIn, type SignedUp, signUp } from '../support/identity.js';
import { runToExit, SERVER_CLI, type ServerProcess, startServer } from '../support/server-process.js';

/** A plan document as plain data, to compare across instances. */
function contentOf(doc: Y.Doc): Record<string, unknown> {
  return Object.fromEntries([...doc.share.keys()].sort().map((name) => [name, doc.get(name).toJSON()]));
}

async function documentOf(baseUrl: string, planId: string, token: string): Promise<Record<string, unknown>> {
  const client = connectClient(baseUrl, planId, token);
  try {
    await synced(client);
    return contentOf(client.doc);
  } finally {
    client.destroy();
  }
}

const PLANS = `{ plans(first: 50) { edges { node { id title milestones { totalCount } risks { totalCount }
  checkpoints { totalCount } baselines { name } } } } }`;

/**
 * Leaving an instance: an organization exported from a SQLite instance (the embedded default) and
 * imported into another one (PostgreSQL when the suite runs on it), then compared.
 */
describe(`organization export and import, SQLite to ${suiteDialect()}`, () => {
  let target: ServerEnvironment;
  let source: ServerProcess;
  let sourceEnv: NodeJS.ProcessEnv;
  let owner: SignedUp;
  let member: SignedUp;
  const archive = join(tempDir(), 'organization.jsonl.gz');

  beforeAll(async () => {
    sourceEnv = { BASCULE_DATA_DIR: tempDir() };
    target = await serverEnvironment({}, { redis: false });
    source = await startServer(sourceEnv);
    owner = await signUp(source.baseUrl);
    member = await addMember(source.baseUrl, owner.tokens.accessToken);
  }, 60_000);

  afterAll(async () => {
    await source?.stop();
    await target?.drop();
  });

  it('moves members, plans with their documents, baselines, catalog edits and the audit trail, identical', async () => {
    const as = <T = Record<string, unknown>>(query: string, variables?: Record<string, unknown>) =>
      graphqlAs<T>(source.baseUrl, owner.tokens.accessToken, query, variables);
    const fromTemplate = await as<{ createPlanFromTemplate: { id: string } }>(
      'mutation { createPlanFromTemplate(input: { templateId: "iaas-lift-and-shift", title: "Vers Outscale", startDate: "2027-01-04" }) { id } }',
    );
    expect(fromTemplate.errors).toBeUndefined();
    const planId = fromTemplate.data!.createPlanFromTemplate.id;
    const second = await createPlan(source.baseUrl, owner.tokens.accessToken, 'Messagerie vers Bleu');
    await as('mutation($p: ID!) { createBaseline(planId: $p, name: "Comité de lancement") { id } }', { p: planId });
    await as('mutation($p: ID!, $u: ID!) { setPlanMemberRole(planId: $p, userId: $u, role: EDITOR) { role } }', {
      p: second,
      u: member.userId,
    });
    const framework = await as(
      'mutation { saveComplianceFramework(input: { id: "PGSSI_S", name: "PGSSI-S", requirements: [{ code: "R1", title: "Hébergement HDS" }] }) { id } }',
    );
    expect(framework.errors).toBeUndefined();
    // Notes and entries written live, through the socket.
    const writer = connectClient(source.baseUrl, second, member.tokens.accessToken);
    await synced(writer);
    writer.doc.getXmlFragment('notes').insert(0, [new Y.XmlText('Point de départ')]);
    writer.doc.getMap('plan').set('description', 'Écrit en direct');
    await new Promise((resolve) => setTimeout(resolve, 300));
    writer.destroy();

    const plansBefore = await as<{ plans: unknown }>(PLANS);
    const documentsBefore = {
      [planId]: await documentOf(source.baseUrl, planId, owner.tokens.accessToken),
      [second]: await documentOf(source.baseUrl, second, owner.tokens.accessToken),
    };
    await source.stop(); // a clean stop writes the trail's last events

    const exported = await runToExit(sourceEnv, SERVER_CLI, ['org', 'export', owner.organizationId, archive]);
    expect(exported.code).toBe(0);
    expect(exported.stderr).toMatch(/exported documents: 2\/2/);
    expect(exported.stdout).toMatch(/2 plans/);

    // The new instance: its own database and secrets. People sign in there with their passwords.
    const importedRun = await runToExit(target.env, SERVER_CLI, ['migrate']);
    expect(importedRun.code).toBe(0);
    const imported = await runToExit(target.env, SERVER_CLI, ['org', 'import', archive]);
    expect({ code: imported.code, out: imported.stdout }).toEqual({
      code: 0,
      out: expect.stringMatching(/imported: .*audit chain verifies \(\d+ events\)/),
    });
    expect(imported.stderr).toMatch(/imported auditEvents: \d+\/\d+/);
    expect(imported.stderr).toMatch(/projected plans: 2\/2/);

    const again = await runToExit(target.env, SERVER_CLI, ['org', 'import', archive]);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('is already in this database');

    // Exported again from the new instance before anyone uses it, the organization is the same, row for row.
    const roundTrip = join(tempDir(), 'again.jsonl.gz');
    expect((await runToExit(target.env, SERVER_CLI, ['org', 'export', owner.organizationId, roundTrip])).code).toBe(0);
    const [first, back] = await Promise.all([OrganizationArchive.read(archive), OrganizationArchive.read(roundTrip)]);
    expect(back.header.counts).toEqual(first.header.counts);
    expect(first.header.counts.auditEvents).toBeGreaterThan(5);
    expect(back.sections).toEqual(first.sections);
    for (const [id, state] of first.documents) {
      const [left, right] = [new Y.Doc(), new Y.Doc()];
      Y.applyUpdate(left, state);
      Y.applyUpdate(right, back.documents.get(id)!);
      expect(contentOf(right)).toEqual(contentOf(left));
    }

    const server = await startServer(target.env);
    try {
      const tokens = (await logIn(server.baseUrl, owner.email, owner.password)).body;
      const plansAfter = await graphqlAs<{ plans: unknown }>(server.baseUrl, tokens.accessToken, PLANS);
      expect(plansAfter.data).toEqual(plansBefore.data);
      for (const [id, content] of Object.entries(documentsBefore))
        expect(await documentOf(server.baseUrl, id, tokens.accessToken)).toEqual(content);
      const memberTokens = (await logIn(server.baseUrl, member.email, member.password)).body;
      const shared = await graphqlAs<{ plans: { edges: { node: { title: string } }[] } }>(
        server.baseUrl,
        memberTokens.accessToken,
        '{ plans(first: 10) { edges { node { title } } } }',
      );
      expect(shared.data!.plans.edges.map((edge) => edge.node.title)).toContain('Messagerie vers Bleu');
    } finally {
      await server.stop();
    }
  }, 180_000);
});
