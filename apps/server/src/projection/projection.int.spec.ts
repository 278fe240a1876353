import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { readPlan, updateMeta } from '@bascule/plan-model';
import { DataSource } from 'typeorm';
import * as Y from 'yjs';
import { startTestApp, type TestApp } from '../../../../test/support/app.js';
import { suiteDialect } from '../../../../test/support/database.js';
import { authorOf, graphqlAs, type SignedUp, signUp } from '../../../../test/support/identity.js';
import { SqlDocumentStore } from '../collab/document.store.js';
import { PlanDocumentService } from '../collab/plan-document.service.js';
import { PlanEvents } from '../events/plan-events.js';
import { PlanSummaryEntity } from './entities.js';
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
      .append([{ documentName: planId, update: Y.encodeStateAsUpdate(doc, before), author: authorOf(owner) }]);
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
    await documents.change(planId, authorOf(owner), (doc) => updateMeta(doc, { title: 'Version two' }));
    await testApp.app.get(ProjectionService).projectNow(planId);
    expect(readPlan(older).meta.title).toBe('Version one');
    const { projected } = await projector.compute(plan, stateOf(older));
    expect(await projector.write(projected)).toBe(false);
    expect(await projector.write(projected, { force: true })).toBe(false);
    expect(await titleOf(planId)).toBe('Version two');
  });

  it('moves the version forward without rewriting the rows when a change leaves them as they were', async () => {
    const planId = await createPlan('Unchanged rows');
    const projection = testApp.app.get(ProjectionService);
    const documents = testApp.app.get(PlanDocumentService);
    const summaries = testApp.app.get(DataSource).getRepository(PlanSummaryEntity);
    await projection.idle();
    const before = (await summaries.findOneByOrFail({ planId })).projectedAt;
    const published: string[] = [];
    const stop = testApp.app.get(PlanEvents).listen((event) => published.push(event.planId));
    // Content the schema does not know: stored and versioned, but no row changes.
    await documents.change(planId, authorOf(owner), (doc) => doc.getMap('third-party').set('note', 'kept'));
    await projection.projectNow(planId);
    stop();
    expect(published).not.toContain(planId);
    // Live projection wrote nothing; the worker finds the summary behind and records the version.
    const { version } = await documents.inspect(planId, stateOf);
    expect(Number((await summaries.findOneByOrFail({ planId })).documentVersion)).toBeLessThan(version);
    const worker = testApp.app.get(ProjectionWorker);
    expect(await worker.refreshRound()).toBeGreaterThanOrEqual(1);
    const after = await summaries.findOneByOrFail({ planId });
    expect(Number(after.documentVersion)).toBe(version);
    expect(after.projectedAt.getTime()).toBeGreaterThanOrEqual(before.getTime());
    expect(await titleOf(planId)).toBe('Unchanged rows');
    expect(await worker.refreshRound()).toBe(0);
    // Someone else wrote since (the version moved): the shortcut refuses and a full write follows.
    const repository = testApp.app.get(ProjectionRepository);
    expect(await repository.advance(planId, '1', '999999', new Date())).toBe(false);
  });
});
