import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { CollabServer } from '@bascule/collab';
import { DataSource } from 'typeorm';
import * as Y from 'yjs';
import { startTestApp, type TestApp } from '../../../../test/support/app.js';
import { type CollabClient, connectClient, createPlan, eventually, synced } from '../../../../test/support/collab.js';
import { authorOf, type SignedUp, signUp } from '../../../../test/support/identity.js';
import { ChangeLog } from '../changes/change-log.js';
import { ChangeRecovery } from '../changes/change-recovery.js';
import { CLOCK, type Clock } from '../core/core.module.js';
import { Transactor } from '../database/transactor.js';
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
  /** Compaction leaves the rows whose changes the trail has not recorded yet: record them first. */
  const recorded = () => testApp.app.get(ChangeLog).drain();
  /** The log rows compaction may merge now: those before the plan's first row not yet recorded. */
  const mergeable = async (planId: string) => {
    const [first] = (await testApp.app
      .get(DataSource)
      .query(`SELECT MIN(id) AS id FROM plan_updates WHERE plan_id = '${planId}' AND audit_pending`)) as {
      id: unknown;
    }[];
    const limit = first?.id === null || first?.id === undefined ? Number.POSITIVE_INFINITY : Number(first.id);
    return ((await logRows(planId)) as { id: unknown }[]).filter((row) => Number(row.id) < limit).length;
  };
  /** The plan's log rows whose changes the trail has not recorded. */
  const unrecorded = async (planId: string) =>
    (
      (await testApp.app
        .get(DataSource)
        .query(`SELECT id FROM plan_updates WHERE plan_id = '${planId}' AND audit_pending`)) as unknown[]
    ).length;
  /** Every row of the plan is recorded once the trail has drained (a few seconds at most). */
  const allRecorded = async (planId: string) => {
    await recorded();
    await eventually(async () => expect(await unrecorded(planId)).toBe(0), 3000);
  };
  const logRows = (planId: string) =>
    testApp.app.get(DataSource).query(`SELECT id FROM plan_updates WHERE plan_id = '${planId}' ORDER BY id`);

  it('applies a server change as an actor, stores it, and shows it to open sockets', async () => {
    const planId = await createPlan(testApp.baseUrl, owner.tokens.accessToken);
    const editor = connectClient(testApp.baseUrl, planId, owner.tokens.accessToken);
    clients.push(editor);
    await synced(editor);
    await documents().change(planId, authorOf(owner), (doc) => doc.getMap('plan').set('status', 'IN_PROGRESS'));
    await eventually(() => expect(editor.doc.getMap('plan').get('status')).toBe('IN_PROGRESS'));
    const rows = (await testApp.app
      .get(DataSource)
      .query(`SELECT actor_id FROM plan_updates WHERE plan_id = '${planId}'`)) as { actor_id: string }[];
    expect(rows).toContainEqual({ actor_id: owner.userId });
    const read = await documents().read(planId);
    expect(read.getMap('plan').get('status')).toBe('IN_PROGRESS');
  });

  it('unloads a room when its last socket leaves', async () => {
    const planId = await createPlan(testApp.baseUrl, owner.tokens.accessToken);
    const server = testApp.app.get(CollabServer);
    // Other plans' rooms come and go (projections of earlier tests): this plan's is what counts.
    await eventually(() => expect(server.isLoaded(planId)).toBe(false));
    const first = connectClient(testApp.baseUrl, planId, owner.tokens.accessToken);
    const second = connectClient(testApp.baseUrl, planId, owner.tokens.accessToken);
    clients.push(first, second);
    await Promise.all([synced(first), synced(second)]);
    expect(server.isLoaded(planId)).toBe(true);
    first.destroy();
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(server.isLoaded(planId)).toBe(true);
    second.destroy();
    await eventually(() => expect(server.isLoaded(planId)).toBe(false));
  });

  it('stores nothing for a change that changes nothing, even on a document with deletions', async () => {
    const planId = await createPlan(testApp.baseUrl, owner.tokens.accessToken);
    await documents().change(planId, authorOf(owner), (doc) => {
      doc.getMap('plan').set('scratch', 'soon deleted');
      doc.getMap('plan').delete('scratch');
    });
    const rows = () =>
      testApp.app.get(DataSource).query(`SELECT id FROM plan_updates WHERE plan_id = '${planId}' ORDER BY id`);
    const before = await rows();
    await documents().change(planId, authorOf(owner), () => undefined);
    await documents().change(planId, authorOf(owner), (doc) => doc.transact(() => undefined));
    expect(await rows()).toEqual(before);
    // Nor for a new client joining with nothing of its own (its sync step 2 is empty).
    const joining = connectClient(testApp.baseUrl, planId, owner.tokens.accessToken);
    try {
      await synced(joining);
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(await rows()).toEqual(before);
    } finally {
      joining.destroy();
    }
  });

  it('records every change made while the room loads and unloads around it (no socket holds it)', async () => {
    const planId = await createPlan(testApp.baseUrl, owner.tokens.accessToken);
    // A read and a change that wait for the same load: the read's end must not unload the room
    // under the change, which would then be stored with nobody left to record it.
    for (let round = 0; round < 20; round += 1)
      await Promise.all([
        documents().inspect(planId, () => undefined),
        documents().change(planId, authorOf(owner), (doc) => doc.getMap('plan').set('sourcePlatform', `v${round}`)),
        documents().read(planId),
      ]);
    await allRecorded(planId);
    expect((await documents().read(planId)).getMap('plan').get('sourcePlatform')).toBe('v19');
  });

  it('compacts a long log into a snapshot with identical content, forward-only and idempotently', async () => {
    const planId = await createPlan(testApp.baseUrl, owner.tokens.accessToken);
    for (let i = 0; i < 250; i += 1) {
      await documents().change(planId, authorOf(owner), (doc) => {
        doc.getArray('milestones').push([`milestone ${i}`]);
        if (i % 10 === 0) doc.getText('notes').insert(0, `${i};`);
      });
    }
    const before = await documents().read(planId);
    const expected = { milestones: before.getArray('milestones').toJSON(), notes: before.getText('notes').toString() };
    expect(expected.milestones).toHaveLength(250);

    expect(await store().plansToCompact(200, 100)).toContain(planId);
    await allRecorded(planId);
    const worker = testApp.app.get(CompactionWorker);
    expect(await worker.compactRound()).toBeGreaterThanOrEqual(250);
    expect(await store().compact(planId)).toEqual({ planId, merged: 0, skipped: 0 });

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
    await documents().change(planId, authorOf(owner), (doc) => doc.getArray('milestones').push(['after']));
    const late = connectClient(testApp.baseUrl, planId, owner.tokens.accessToken);
    clients.push(late);
    await synced(late);
    expect(late.doc.getArray('milestones').length).toBe(251);

    // Of two compactions that read the same snapshot, only the first writes: the generation moved.
    const generation = async () =>
      Number(
        (
          (await testApp.app
            .get(DataSource)
            .query(`SELECT generation FROM plan_snapshots WHERE plan_id = '${planId}'`)) as { generation: unknown }[]
        )[0]!.generation,
      );
    const generationBefore = await generation();
    await documents().change(planId, authorOf(owner), (doc) => doc.getArray('milestones').push(['raced']));
    await allRecorded(planId);
    const unmerged = await mergeable(planId);
    expect(unmerged).toBeGreaterThan(0);
    const raced = await Promise.all([store().compact(planId), store().compact(planId), store().compact(planId)]);
    // One of them merges (at least what could be merged before: the trail may record more meanwhile).
    const [none, alsoNone, merged] = raced.map((result) => result.merged).sort((a, b) => a - b);
    expect([none, alsoNone]).toEqual([0, 0]);
    expect(merged).toBeGreaterThanOrEqual(unmerged);
    expect(await generation()).toBe(generationBefore + 1);
    expect(await mergeable(planId)).toBe(0);
  });

  it('reads a snapshot’s bytes once per version of its row, and again whenever the row changes', async () => {
    const planId = await createPlan(testApp.baseUrl, owner.tokens.accessToken);
    const dataSource = testApp.app.get(DataSource);
    // A store of its own: the server's loads (a projection reopening the plan) use and fill another cache.
    const own = new SqlDocumentStore(dataSource, testApp.app.get(Transactor), testApp.app.get<Clock>(CLOCK));
    const internals = own as unknown as { readSnapshot(planId: string): Promise<Uint8Array | null> };
    const readSnapshot = internals.readSnapshot.bind(own);
    let snapshotReads = 0;
    internals.readSnapshot = (id) => {
      snapshotReads += 1;
      return readSnapshot(id);
    };
    const edit = (text: string) =>
      documents().change(planId, authorOf(owner), (doc) => doc.getArray('milestones').push([text]));
    // Compacted here, or by the collab role's own compaction if it came first.
    const compacted = async () => {
      await allRecorded(planId);
      await store().compact(planId);
      expect(await logRows(planId)).toHaveLength(0);
    };
    /** What a load reads, and how many times it read a snapshot's bytes to get it. */
    const load = async () => {
      const before = snapshotReads;
      const stored = await own.load(planId);
      const doc = new Y.Doc();
      if (stored.snapshot !== null) Y.applyUpdate(doc, stored.snapshot);
      for (const update of stored.updates) Y.applyUpdate(doc, update);
      return { milestones: doc.getArray('milestones').toJSON(), snapshotReads: snapshotReads - before };
    };

    try {
      await edit('one');
      await compacted();
      expect(await load()).toEqual({ milestones: ['one'], snapshotReads: 1 });
      expect(await load()).toEqual({ milestones: ['one'], snapshotReads: 0 });

      // A compaction writes a new generation: read again, with what it merged.
      await edit('two');
      await compacted();
      expect(await load()).toEqual({ milestones: ['one', 'two'], snapshotReads: 1 });
      expect(await load()).toEqual({ milestones: ['one', 'two'], snapshotReads: 0 });

      // The same generation written again (an organization deleted and imported anew): read again.
      const other = new Y.Doc();
      other.getArray('milestones').push(['imported']);
      await dataSource.query(
        `UPDATE plan_snapshots SET state = ${dataSource.options.type === 'postgres' ? '$1' : '?'},
         updated_at = ${dataSource.options.type === 'postgres' ? "updated_at + INTERVAL '1 second'" : "datetime(updated_at, '+1 second')"}
         WHERE plan_id = '${planId}'`,
        [Buffer.from(Y.encodeStateAsUpdate(other))],
      );
      expect(await load()).toEqual({ milestones: ['imported'], snapshotReads: 1 });
    } finally {
      await own.onApplicationShutdown();
    }
  });

  it('keeps an update whose row committed after a higher one (ids are not a watermark)', async () => {
    const planId = await createPlan(testApp.baseUrl, owner.tokens.accessToken);
    await documents().change(planId, authorOf(owner), (doc) => doc.getMap('plan').set('title', 'compacted'));
    await recorded();
    await store().compact(planId);
    // Another instance took id 1 before this plan's rows were appended, and commits it only now.
    const late = new Y.Doc();
    late.getMap('late').set('arrived', true);
    const dataSource = testApp.app.get(DataSource);
    const [{ lowest }] = (await dataSource.query('SELECT MIN(id) AS lowest FROM plan_updates')) as {
      lowest: unknown;
    }[];
    const id = lowest === null ? 1 : Number(lowest) - 1;
    const p = (index: number) => (dataSource.options.type === 'postgres' ? `$${index}` : '?');
    await dataSource.query(
      `INSERT INTO plan_updates (id, plan_id, data, actor_id, created_at) VALUES (${p(1)}, ${p(2)}, ${p(3)}, ${p(4)}, ${p(5)})`,
      [id, planId, Buffer.from(Y.encodeStateAsUpdate(late)), owner.userId, new Date().toISOString()],
    );
    const loaded = new Y.Doc();
    const stored = await store().load(planId);
    for (const part of [stored.snapshot!, ...stored.updates]) Y.applyUpdate(loaded, part);
    expect(loaded.getMap('late').get('arrived')).toBe(true);
    expect(loaded.getMap('plan').get('title')).toBe('compacted');

    expect((await store().compact(planId)).merged).toBe(1);
    const compacted = new Y.Doc();
    Y.applyUpdate(compacted, (await store().load(planId)).snapshot!);
    expect(compacted.getMap('late').get('arrived')).toBe(true);
    expect(await logRows(planId)).toEqual([]);
  });

  it('keeps in the log an update whose changes are not recorded yet, and what came after it, until they are', async () => {
    const planId = await createPlan(testApp.baseUrl, owner.tokens.accessToken);
    const edit = (title: string) =>
      documents().change(planId, authorOf(owner), (doc) => doc.getMap('plan').set('title', title));
    await edit('first');
    await recorded();
    // Stored, then its process died before recording it: nobody here will.
    const orphan = new Y.Doc();
    orphan.getMap('orphan').set('kept', true);
    await store().append([{ documentName: planId, update: Y.encodeStateAsUpdate(orphan), author: authorOf(owner) }]);
    await edit('second');
    await testApp.app.get(ChangeLog).drain();
    const rowsBefore = await logRows(planId);
    const { merged } = await store().compact(planId);
    expect(merged).toBeGreaterThan(0);
    expect(await logRows(planId)).toEqual(rowsBefore.slice(merged));
    expect((await logRows(planId)).length).toBe(2);

    // Other plans may hold rows still waiting for their second: at least this one is recorded.
    expect(await testApp.app.get(ChangeRecovery).recoverRound(new Date(Date.now() + 1000))).toBeGreaterThanOrEqual(1);
    expect((await store().compact(planId)).merged).toBe(2);
    expect(await logRows(planId)).toEqual([]);
    const compacted = new Y.Doc();
    Y.applyUpdate(compacted, (await store().load(planId)).snapshot!);
    expect(compacted.getMap('orphan').get('kept')).toBe(true);
    expect(compacted.getMap('plan').get('title')).toBe('second');
  });
});

describe('plan documents stay short without anyone running a command', () => {
  let testApp: TestApp;
  let owner: SignedUp;

  beforeAll(async () => {
    testApp = await startTestApp({ BASCULE_AUTO_COMPACTION: 'on' });
    owner = await signUp(testApp.baseUrl);
  });

  afterAll(() => testApp.close());

  const logRows = async (planId: string) =>
    ((await testApp.app.get(DataSource).query(`SELECT id FROM plan_updates WHERE plan_id = '${planId}'`)) as unknown[])
      .length;

  it('compacts a plan once its room unloads, and while it is open each time its log grew a thousand updates', async () => {
    const planId = await createPlan(testApp.baseUrl, owner.tokens.accessToken);
    // Someone keeps the plan open while a morning of changes lands, each stored as a row.
    const writer = connectClient(testApp.baseUrl, planId, owner.tokens.accessToken);
    await synced(writer);
    const type = (i: number) =>
      testApp.app
        .get(PlanDocumentService)
        .change(planId, authorOf(owner), (doc) => doc.getText('scratch').insert(i, String(i % 10)));
    for (let i = 0; i < 1100; i += 1) await type(i);
    // Still open: past the threshold, the log is folded into the snapshot all the same.
    await eventually(async () => expect(await logRows(planId)).toBeLessThan(1000), 15_000);
    expect(testApp.app.get(CollabServer).isLoaded(planId)).toBe(true);

    for (let i = 1100; i < 1150; i += 1) await type(i);
    await eventually(async () => expect(await logRows(planId)).toBeGreaterThan(0), 5_000);
    writer.destroy();
    // Unloaded: the next person to open the plan reads one snapshot, holding everything.
    await eventually(async () => expect(await logRows(planId)).toBe(0), 15_000);
    const reader = connectClient(testApp.baseUrl, planId, owner.tokens.accessToken);
    try {
      await synced(reader);
      expect(reader.doc.getText('scratch').length).toBe(1150);
    } finally {
      reader.destroy();
    }
  }, 60_000);
});
