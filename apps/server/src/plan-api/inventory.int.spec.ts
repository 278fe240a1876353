import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startTestApp, type TestApp } from '../../../../test/support/app.js';
import { createPlan } from '../../../../test/support/collab.js';
import { addMember, codeOf, graphqlAs, type SignedUp, signUp } from '../../../../test/support/identity.js';
import { ChangeLog } from '../changes/change-log.js';

const PREVIEW = `query($p: ID!, $csv: String!) { previewInventoryImport(planId: $p, csv: $csv) {
  fileErrors columns ignoredColumns creates updates skips rows { line name action errors } } }`;
const IMPORT = `mutation($p: ID!, $csv: String!) { importInventory(planId: $p, csv: $csv) {
  created updated skipped plan { workloads { edges { node { name strategy targetOfferId wave dependsOn } } } } } }`;

// As a French spreadsheet saves it: semicolons, a byte order mark, French column names.
const FILE = [
  '\uFEFFNom;Stratégie;Cible;Vague;Dépendances',
  'Annuaire;Rehost;outscale-iaas;1;',
  'Messagerie;Repurchase;bleu;2;Annuaire',
  '"Portail; patients";Refactor;nowhere;3;Messagerie',
].join('\r\n');

describe('inventory import from CSV', () => {
  let testApp: TestApp;
  let owner: SignedUp;
  let viewer: SignedUp;
  let planId: string;

  beforeAll(async () => {
    testApp = await startTestApp();
    owner = await signUp(testApp.baseUrl);
    viewer = await addMember(testApp.baseUrl, owner.tokens.accessToken);
    planId = await createPlan(testApp.baseUrl, owner.tokens.accessToken, 'Inventaire', 'VIEWER');
  });

  afterAll(() => testApp.close());

  const as = <T>(user: SignedUp, query: string, csv: string) =>
    graphqlAs<T>(testApp.baseUrl, user.tokens.accessToken, query, { p: planId, csv });

  it('previews each row with its errors, writing nothing', async () => {
    const preview = await as<{ previewInventoryImport: Record<string, unknown> }>(viewer, PREVIEW, FILE);
    expect(preview.errors).toBeUndefined();
    expect(preview.data!.previewInventoryImport).toEqual({
      fileErrors: [],
      columns: ['name', 'strategy', 'targetOfferId', 'wave', 'dependsOn'],
      ignoredColumns: [],
      creates: 2,
      updates: 0,
      skips: 1,
      rows: [
        { line: 2, name: 'Annuaire', action: 'CREATE', errors: [] },
        { line: 3, name: 'Messagerie', action: 'CREATE', errors: [] },
        {
          line: 4,
          name: 'Portail; patients',
          action: 'SKIP',
          errors: ['target "nowhere" is not an offer of the catalog'],
        },
      ],
    });
    const bad = await as(owner, PREVIEW, 'name,"unterminated\nx');
    expect(codeOf(bad)).toBe('BAD_USER_INPUT');
  });

  it('imports the valid rows as one change by the caller, and only an editor may', async () => {
    expect(codeOf(await as(viewer, IMPORT, FILE))).toBe('FORBIDDEN');
    const imported = await as<{
      importInventory: {
        created: number;
        updated: number;
        skipped: number;
        plan: { workloads: { edges: { node: Record<string, unknown> }[] } };
      };
    }>(owner, IMPORT, FILE);
    expect(imported.errors).toBeUndefined();
    const { created, updated, skipped, plan } = imported.data!.importInventory;
    expect({ created, updated, skipped }).toEqual({ created: 2, updated: 0, skipped: 1 });
    const nodes = plan.workloads.edges.map((edge) => edge.node);
    expect(nodes.map((node) => [node.name, node.strategy, node.targetOfferId, node.wave])).toEqual([
      ['Annuaire', 'REHOST', 'outscale-iaas', 1],
      ['Messagerie', 'REPURCHASE', 'bleu', 2],
    ]);
    expect((nodes[1]!.dependsOn as string[]).length).toBe(1);
    // Again with a change: the rows match by name and update.
    const again = await as<{ importInventory: { created: number; updated: number } }>(
      owner,
      IMPORT,
      'name,wave\nannuaire,4\n',
    );
    expect(again.data!.importInventory).toMatchObject({ created: 0, updated: 1 });
    // The trail has the import, attributed to its author.
    await testApp.app.get(ChangeLog).drain();
    const trail = await graphqlAs<{
      auditEvents: { edges: { node: { action: string; entity: string; actor: { id: string } } }[] };
    }>(
      testApp.baseUrl,
      owner.tokens.accessToken,
      'query($p: ID!) { auditEvents(filter: { planId: $p, entity: "workloads" }) { edges { node { action entity actor { id } } } } }',
      { p: planId },
    );
    const created2 = trail.data!.auditEvents.edges.filter((edge) => edge.node.action === 'created');
    expect(created2).toHaveLength(2);
    expect(created2.every((edge) => edge.node.actor.id === owner.userId)).toBe(true);
  });
});
