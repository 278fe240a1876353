import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { CollabServer, SYSTEM_AUTHOR } from '@bascule/collab';
import { currentSchemaVersionOf, PLAN_SCHEMA_VERSION } from '@bascule/plan-model';
import { DataSource } from 'typeorm';
import * as Y from 'yjs';
import { startTestApp, type TestApp } from '../../../../test/support/app.js';
import { eventually } from '../../../../test/support/collab.js';
import { suiteDialect } from '../../../../test/support/database.js';
import { graphqlAs, type SignedUp, signUp } from '../../../../test/support/identity.js';
import { SqlDocumentStore } from '../collab/document.store.js';
import { PlanDocumentService } from '../collab/plan-document.service.js';
import { sqlDialect } from '../database/sql-dialect.js';
import { ProjectionService } from '../projection/projection.service.js';
import { ChangeLog } from './change-log.js';

describe(`the changes Bascule makes to a plan by itself, on ${suiteDialect()}`, () => {
  let testApp: TestApp;
  let owner: SignedUp;

  const query = <T>(text: string, variables: Record<string, unknown>) =>
    graphqlAs<T>(testApp.baseUrl, owner.tokens.accessToken, text, variables);

  beforeAll(async () => {
    testApp = await startTestApp();
    owner = await signUp(testApp.baseUrl);
  });

  afterAll(() => testApp.close());

  it('upgrades a document of an older schema when its room loads, before the read model reads it', async () => {
    const created = await query<{ createPlan: { id: string } }>(
      'mutation($t: String!) { createPlan(input: { title: $t }) { id } }',
      { t: 'Dossier patient (registre)' },
    );
    const planId = created.data!.createPlan.id;
    await testApp.app.get(ProjectionService).idle();
    await eventually(() => expect(testApp.app.get(CollabServer).isLoaded(planId)).toBe(false));

    // The plan's document as a Bascule from before the schema stored it: no version, no title, no status.
    const dataSource = testApp.app.get(DataSource);
    const p = sqlDialect(dataSource).param;
    await dataSource.query(`DELETE FROM plan_updates WHERE plan_id = ${p(1)}`, [planId]);
    await dataSource.query(`DELETE FROM plan_snapshots WHERE plan_id = ${p(1)}`, [planId]);
    // Its read model too: a document's version only grows, and this one starts again.
    await dataSource.query(`DELETE FROM plan_summaries WHERE plan_id = ${p(1)}`, [planId]);
    const old = new Y.Doc();
    old.getMap('plan').set('sourcePlatform', 'VMware sur site');
    await testApp.app
      .get(SqlDocumentStore)
      .append([{ documentName: planId, update: Y.encodeStateAsUpdate(old), author: SYSTEM_AUTHOR }]);

    // Projecting loads the room; the upgrade is a server change the projection waits for.
    await testApp.app.get(ProjectionService).projectNow(planId, true);
    expect(await testApp.app.get(PlanDocumentService).inspect(planId, currentSchemaVersionOf)).toBe(
      PLAN_SCHEMA_VERSION,
    );
    const plan = await query<{
      plan: { title: string; status: string; sourcePlatform: string; schemaVersion: number };
    }>('query($p: ID!) { plan(id: $p) { title status sourcePlatform schemaVersion } }', { p: planId });
    expect(plan.data!.plan).toEqual({
      title: 'Dossier patient (registre)',
      status: 'DRAFT',
      sourcePlatform: 'VMware sur site',
      schemaVersion: PLAN_SCHEMA_VERSION,
    });

    // Made by Bascule, through the one write path: stored, and in the audit trail.
    await testApp.app.get(ChangeLog).drain();
    const trail = (await dataSource.query(
      `SELECT actor_kind, field FROM audit_events WHERE plan_id = ${p(1)} AND field = 'title' ORDER BY seq`,
      [planId],
    )) as { actor_kind: string; field: string }[];
    expect(trail.at(-1)).toEqual({ actor_kind: 'system', field: 'title' });
  });
});
