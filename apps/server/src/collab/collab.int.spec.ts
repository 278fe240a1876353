import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { DataSource } from 'typeorm';
import * as Y from 'yjs';
import { startTestApp, type TestApp } from '../../../../test/support/app.js';
import { type CollabClient, connectClient, createPlan, eventually, synced } from '../../../../test/support/collab.js';
import { type SignedUp, signUp } from '../../../../test/support/identity.js';
import { CompactionWorker } from './compaction.worker.js';
import { SqlDocumentStore } from './document.store.js';
import { PlanDocumentService } from './plan-document.service.js';

describe('plan documents: server-side changes and compaction', () => {
  let testApp: TestApp;
  let owner: SignedUp;
  const clients: CollabClient[] = [];

  beforeAll(async () => {
    testApp = await startTestApp();
    owner = await signUp(testApp.baseUrl);
  });

  afterEach(() => {
    for (const client of clients.splice(0)) client.destroy();
  });

  afterAll(() => testApp.close());

  const documents = () => testApp.app.get(PlanDocumentService);
  const store = () => testApp.app.get(SqlDocumentStore);

  it('applies a server change as an actor, stores it, and shows it to open sockets', async () => {
    const planId = await createPlan(testApp.baseUrl, owner.tokens.accessToken);
    const editor = connectClient(testApp.baseUrl, planId, owner.tokens.accessToken);
    clients.push(editor);
    await synced(editor);
    await documents().change(planId, owner.userId, (doc) => doc.getMap('plan').set('status', 'IN_PROGRESS'));
    await eventually(() => expect(editor.doc.getMap('plan').get('status')).toBe('IN_PROGRESS'));
    const rows = (await testApp.app
      .get(DataSource)
      .query(`SELECT actor_id FROM plan_updates WHERE plan_id = '${planId}'`)) as { actor_id: string }[];
    expect(rows).toContainEqual({ actor_id: owner.userId });
    const read = await documents().read(planId);
    expect(read.getMap('plan').get('status')).toBe('IN_PROGRESS');
  });

  it('stores nothing for a change that changes nothing, even on a document with deletions', async () => {
    const planId = await createPlan(testApp.baseUrl, owner.tokens.accessToken);
    await documents().change(planId, owner.userId, (doc) => {
      doc.getMap('plan').set('scratch', 'soon deleted');
      doc.getMap('plan').delete('scratch');
    });
    const rows = () => testApp.app.get(DataSource).query(`SELECT id FROM plan_updates WHERE plan_id = '${planId}'`);
    const before = await rows();
    await documents().change(planId, owner.userId, () => undefined);
    await documents().change(planId, owner.userId, (doc) => doc.transact(() => undefined));
    expect(await rows()).toEqual(before);
  });

  it('compacts a long log into a snapshot with identical content, forward-only and idempotently', async () => {
    const planId = await createPlan(testApp.baseUrl, owner.tokens.accessToken);
    for (let i = 0; i < 250; i += 1) {
      await documents().change(planId, owner.userId, (doc) => {
        doc.getArray('milestones').push([`milestone ${i}`]);
        if (i % 10 === 0) doc.getText('notes').insert(0, `${i};`);
      });
    }
    const before = await documents().read(planId);
    const expected = { milestones: before.getArray('milestones').toJSON(), notes: before.getText('notes').toString() };
    expect(expected.milestones).toHaveLength(250);

    expect(await store().plansToCompact(200, 100)).toContain(planId);
    const worker = testApp.app.get(CompactionWorker);
    expect(await worker.compactRound()).toBeGreaterThanOrEqual(250);
    expect(await store().compact(planId)).toEqual({ planId, merged: 0 });

    const stored = await store().load(planId);
    expect(stored.updates).toHaveLength(0);
    expect(stored.snapshot).not.toBeNull();
    const reloaded = new Y.Doc();
    Y.applyUpdate(reloaded, stored.snapshot!);
    expect({
      milestones: reloaded.getArray('milestones').toJSON(),
      notes: reloaded.getText('notes').toString(),
    }).toEqual(expected);

    // Work after compaction lands in the log on top of the snapshot, and a late joiner sees both.
    await documents().change(planId, owner.userId, (doc) => doc.getArray('milestones').push(['after']));
    const late = connectClient(testApp.baseUrl, planId, owner.tokens.accessToken);
    clients.push(late);
    await synced(late);
    expect(late.doc.getArray('milestones').length).toBe(251);

    // A snapshot never goes backwards: an older one cannot replace it.
    const [row] = (await testApp.app
      .get(DataSource)
      .query(`SELECT through_id FROM plan_snapshots WHERE plan_id = '${planId}'`)) as { through_id: string | number }[];
    await store().compact(planId);
    const [after] = (await testApp.app
      .get(DataSource)
      .query(`SELECT through_id FROM plan_snapshots WHERE plan_id = '${planId}'`)) as { through_id: string | number }[];
    expect(Number(after!.through_id)).toBeGreaterThanOrEqual(Number(row!.through_id));
  });
});
