import { describe, expect, it } from '@jest/globals';
import * as Y from 'yjs';
import { readPlan } from './document.js';
import { PLAN_SCHEMA_VERSION } from './schema-version.js';
import {
  createEntry,
  deleteEntry,
  initializePlan,
  moveEntry,
  PlanInputError,
  UnknownEntryError,
  updateEntry,
  updateMeta,
} from './edit.js';

function newPlan(): Y.Doc {
  const doc = new Y.Doc();
  initializePlan(doc, { title: 'Messagerie vers Bleu', startDate: '2026-01-05', targetDate: '2026-12-15' });
  return doc;
}

/** Runs `change` and expects it to throw a PlanInputError on `field` without changing the document. */
function expectRefused(doc: Y.Doc, field: string, change: () => void): void {
  const before = Y.encodeStateVector(doc);
  expect(change).toThrow(PlanInputError);
  try {
    change();
  } catch (error) {
    expect((error as PlanInputError).field).toBe(field);
  }
  expect(Y.encodeStateVector(doc)).toEqual(before);
}

describe('plan edits', () => {
  it('creates entries with every field present and reads them back typed, in order', () => {
    const doc = newPlan();
    const landing = createEntry(doc, 'milestones', {
      title: 'Landing zone',
      kind: 'LANDING_ZONE',
      dueDate: '2026-03-01',
    });
    const cutover = createEntry(doc, 'milestones', { title: 'Cutover', kind: 'CUTOVER', dependsOn: [landing] });
    const entry = doc.getMap<Y.Map<unknown>>('milestones').get(cutover)!;
    expect(entry.get('status')).toBe('NOT_STARTED');
    expect(entry.get('dependsOn')).toBeInstanceOf(Y.Array);
    const plan = readPlan(doc);
    expect(plan.meta).toMatchObject({
      title: 'Messagerie vers Bleu',
      status: 'DRAFT',
      schemaVersion: PLAN_SCHEMA_VERSION,
    });
    expect(plan.milestones.map((m) => [m.title, m.dependsOn])).toEqual([
      ['Landing zone', []],
      ['Cutover', [landing]],
    ]);
    expect(plan.issues).toEqual([]);
  });

  it('refuses bad input with the field at fault and writes nothing', () => {
    const doc = newPlan();
    const milestone = createEntry(doc, 'milestones', { title: 'Pilot', startDate: '2026-02-01' });
    const risk = createEntry(doc, 'risks', { title: 'Feature gaps', likelihood: 4, impact: 3 });
    expectRefused(doc, 'likelihood', () => updateEntry(doc, 'risks', risk, { likelihood: 6 }));
    expectRefused(doc, 'impact', () => updateEntry(doc, 'risks', risk, { impact: 2.5 }));
    expectRefused(doc, 'dueDate', () => updateEntry(doc, 'milestones', milestone, { dueDate: '2026-02-30' }));
    expectRefused(doc, 'dueDate', () => updateEntry(doc, 'milestones', milestone, { dueDate: '2026-01-15' }));
    expectRefused(doc, 'title', () => createEntry(doc, 'milestones', { title: '   ' }));
    expectRefused(doc, 'status', () => updateEntry(doc, 'milestones', milestone, { status: 'FINISHED' }));
    expectRefused(doc, 'colour', () => updateEntry(doc, 'milestones', milestone, { colour: 'red' }));
    expectRefused(doc, 'evidence', () =>
      createEntry(doc, 'checkpoints', { title: 'x', framework: 'HDS', evidence: ['javascript:alert(1)'] }),
    );
    expectRefused(doc, 'milestoneIds', () =>
      createEntry(doc, 'checkpoints', { title: 'x', framework: 'HDS', milestoneIds: ['not-a-milestone'] }),
    );
    expectRefused(doc, 'automatic', () => createEntry(doc, 'risks', { title: 'forged', automatic: 'eligibility:X' }));
    expectRefused(doc, 'targetDate', () => updateMeta(doc, { targetDate: '2025-12-31' }));
    expect(() => updateEntry(doc, 'risks', 'nope', { impact: 2 })).toThrow(UnknownEntryError);
  });

  it('refuses a dependency that would close a cycle, and a dependency on itself', () => {
    const doc = newPlan();
    const a = createEntry(doc, 'milestones', { title: 'A' });
    const b = createEntry(doc, 'milestones', { title: 'B', dependsOn: [a] });
    const c = createEntry(doc, 'milestones', { title: 'C', dependsOn: [b] });
    expectRefused(doc, 'dependsOn', () => updateEntry(doc, 'milestones', a, { dependsOn: [c] }));
    expectRefused(doc, 'dependsOn', () => updateEntry(doc, 'milestones', a, { dependsOn: [a] }));
  });

  it('deletes an entry and every reference to it', () => {
    const doc = newPlan();
    const a = createEntry(doc, 'milestones', { title: 'A' });
    const b = createEntry(doc, 'milestones', { title: 'B', dependsOn: [a] });
    const checkpoint = createEntry(doc, 'checkpoints', { title: 'DPIA', framework: 'GDPR', milestoneIds: [a, b] });
    deleteEntry(doc, 'milestones', a);
    const plan = readPlan(doc);
    expect(plan.milestones.map((m) => [m.id, m.dependsOn])).toEqual([[b, []]]);
    expect(plan.checkpoints.find((item) => item.id === checkpoint)?.milestoneIds).toEqual([b]);
    expect(plan.issues).toEqual([]);
  });

  it('moves entries, and keeps a total order even after many moves into one gap', () => {
    const doc = newPlan();
    const ids = ['A', 'B', 'C', 'D'].map((title) => createEntry(doc, 'risks', { title }));
    moveEntry(doc, 'risks', ids[3]!, 0);
    expect(readPlan(doc).risks.map((risk) => risk.title)).toEqual(['D', 'A', 'B', 'C']);
    for (let round = 0; round < 80; round += 1) moveEntry(doc, 'risks', ids[round % 2 === 0 ? 2 : 1]!, 2);
    const titles = readPlan(doc).risks.map((risk) => risk.title);
    expect(titles).toHaveLength(4);
    expect(titles.slice(0, 2)).toEqual(['D', 'A']);
    moveEntry(doc, 'risks', ids[0]!, 99);
    expect(readPlan(doc).risks.at(-1)?.title).toBe('A');
  });

  it('edits long texts in place, so a concurrent edit elsewhere in the text survives', () => {
    const alice = newPlan();
    const risk = createEntry(alice, 'risks', { title: 'Downtime', mitigation: 'Migrate at night. Test the rollback.' });
    const bob = new Y.Doc();
    Y.applyUpdate(bob, Y.encodeStateAsUpdate(alice));
    updateEntry(alice, 'risks', risk, { mitigation: 'Migrate on a Sunday night. Test the rollback.' });
    const text = bob.getMap<Y.Map<unknown>>('risks').get(risk)!.get('mitigation') as Y.Text;
    text.insert(text.length, ' Warn users a week ahead.');
    Y.applyUpdate(alice, Y.encodeStateAsUpdate(bob));
    Y.applyUpdate(bob, Y.encodeStateAsUpdate(alice));
    const expected = 'Migrate on a Sunday night. Test the rollback. Warn users a week ahead.';
    expect(readPlan(alice).risks[0]?.mitigation).toBe(expected);
    expect(readPlan(bob).risks[0]?.mitigation).toBe(expected);
  });
});
