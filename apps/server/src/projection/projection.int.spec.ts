import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { readPlan, updateMeta } from '@bascule/plan-model';
import * as Y from 'yjs';
import { startTestApp, type TestApp } from '../../../../test/support/app.js';
import { suiteDialect } from '../../../../test/support/database.js';
import { graphqlAs, type SignedUp, signUp } from '../../../../test/support/identity.js';
import { SqlDocumentStore } from '../collab/document.store.js';
import { PlanDocumentService } from '../collab/plan-document.service.js';
import { PlanProjector } from './plan-projector.js';
import { ProjectionRepository } from './projection.repository.js';
import { ProjectionService } from './projection.service.js';
import { ProjectionWorker } from './projection.worker.js';
import { stateOf } from './projector.js';

describe(`the read model on ${suiteDialect()}`, () => {
  let testApp: TestApp;
  let owner: SignedUp;

  const titleOf = async (planId: string) =>
    (
      await graphqlAs<{ plan: { title: string } }>(
        testApp.baseUrl,
        owner.tokens.accessToken,
        'query($p: ID!) { plan(id: $p) { title } }',
        { p: planId },
      )
    ).data?.plan.title;

  async function createPlan(title: string): Promise<string> {
    const response = await graphqlAs<{ createPlan: { id: string } }>(
      testApp.baseUrl,
      owner.tokens.accessToken,
      'mutation($t: String!) { createPlan(input: { title: $t }) { id } }',
      { t: title },
    );
    return response.data!.createPlan.id;
  }

  beforeAll(async () => {
    testApp = await startTestApp();
    owner = await signUp(testApp.baseUrl);
  });

  afterAll(() => testApp.close());

  it('catches up, in the worker, a plan whose stored document is ahead of its projection', async () => {
    const planId = await createPlan('Before the crash');
    await testApp.app.get(ProjectionService).idle();
    // An update stored without being projected, as when the process dies right after the commit.
    const doc = await testApp.app.get(PlanDocumentService).read(planId);
    const before = Y.encodeStateVector(doc);
    updateMeta(doc, { title: 'Stored, never projected' });
    await new Promise((resolve) => setTimeout(resolve, 5));
    await testApp.app
      .get(SqlDocumentStore)
      .append([{ planId, update: Y.encodeStateAsUpdate(doc, before), actorId: owner.userId }]);
    expect(await titleOf(planId)).toBe('Before the crash');

    expect(await testApp.app.get(ProjectionWorker).refreshRound()).toBeGreaterThanOrEqual(1);
    expect(await titleOf(planId)).toBe('Stored, never projected');
    expect(await testApp.app.get(ProjectionWorker).refreshRound()).toBe(0);
  });

  it('never lets the projection of an older document state overwrite a newer one', async () => {
    const planId = await createPlan('Version one');
    const documents = testApp.app.get(PlanDocumentService);
    const projector = testApp.app.get(PlanProjector);
    const plan = (await testApp.app.get(ProjectionRepository).planRef(planId))!;
    const older = await documents.read(planId);
    await documents.change(planId, owner.userId, (doc) => updateMeta(doc, { title: 'Version two' }));
    await testApp.app.get(ProjectionService).projectNow(planId);
    expect(readPlan(older).meta.title).toBe('Version one');
    const { projected } = await projector.compute(plan, stateOf(older));
    expect(await projector.write(projected)).toBe(false);
    expect(await projector.write(projected, true)).toBe(false);
    expect(await titleOf(planId)).toBe('Version two');
  });
});
