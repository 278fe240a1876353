import { describe, expect, it } from '@jest/globals';
import * as Y from 'yjs';
import { baselineOf, comparePlans, restoreBaseline } from './baselines.js';
import { readPlan } from './document.js';
import { createEntry, deleteEntry, initializePlan, moveEntry, updateEntry, updateMeta } from './edit.js';

function plan() {
  const doc = new Y.Doc();
  initializePlan(doc, { title: 'Messagerie vers Bleu', targetDate: '2027-06-30' });
  const pilot = createEntry(doc, 'milestones', { title: 'Pilot', startDate: '2027-02-01', dueDate: '2027-03-01' });
  const cutover = createEntry(doc, 'milestones', { title: 'Cutover', dueDate: '2027-05-01', dependsOn: [pilot] });
  const risk = createEntry(doc, 'risks', { title: 'Copilot missing', likelihood: 4, impact: 3 });
  const mailbox = createEntry(doc, 'workloads', { name: 'Exchange' });
  createEntry(doc, 'checkpoints', { title: 'DPA signed', framework: 'GDPR', milestoneIds: [cutover] });
  return { doc, pilot, cutover, risk, mailbox };
}

describe('baselines', () => {
  it('compares two versions: added, removed and changed entries, with the slip in days', () => {
    const { doc, pilot, cutover, risk } = plan();
    const v1 = baselineOf(readPlan(doc));
    updateEntry(doc, 'milestones', cutover, { dueDate: '2027-05-15', owner: 'DSI' });
    updateEntry(doc, 'milestones', pilot, { title: 'Pilot (50 users)' });
    deleteEntry(doc, 'risks', risk);
    const added = createEntry(doc, 'risks', { title: 'Licences', likelihood: 2, impact: 2 });
    updateMeta(doc, { targetDate: '2027-07-15' });
    moveEntry(doc, 'milestones', cutover, 0);
    const difference = comparePlans(v1, baselineOf(readPlan(doc)));
    expect(difference.meta).toEqual([{ field: 'targetDate', before: '2027-06-30', after: '2027-07-15' }]);
    expect(difference.milestones.changed).toEqual([
      {
        id: cutover,
        title: 'Cutover',
        slipDays: 14,
        fields: [
          { field: 'owner', before: null, after: 'DSI' },
          { field: 'dueDate', before: '2027-05-01', after: '2027-05-15' },
        ],
      },
      {
        id: pilot,
        title: 'Pilot (50 users)',
        slipDays: null,
        fields: [{ field: 'title', before: 'Pilot', after: 'Pilot (50 users)' }],
      },
    ]);
    expect(difference.risks.added.map((entry) => entry.id)).toEqual([added]);
    expect(difference.risks.removed.map((entry) => entry.title)).toEqual(['Copilot missing']);
    expect(difference.workloads).toEqual({ added: [], removed: [], changed: [] });
  });

  it('restores a baseline as one change on top: same content, ids kept, notes untouched', () => {
    const { doc, pilot, cutover, risk, mailbox } = plan();
    const v1 = baselineOf(readPlan(doc));
    doc.getXmlFragment('notes').insert(0, [new Y.XmlText('kept')]);
    updateEntry(doc, 'milestones', cutover, { dueDate: '2027-06-01', dependsOn: [] });
    deleteEntry(doc, 'milestones', pilot);
    deleteEntry(doc, 'risks', risk);
    deleteEntry(doc, 'workloads', mailbox);
    createEntry(doc, 'workloads', { name: 'SharePoint' });
    updateMeta(doc, { title: 'Renamed' });
    let transactions = 0;
    doc.on('afterTransaction', () => (transactions += 1));
    restoreBaseline(doc, v1);
    expect(transactions).toBe(1);
    const restored = baselineOf(readPlan(doc));
    expect(comparePlans(v1, restored)).toEqual(comparePlans(v1, v1));
    expect(restored.milestones.map((entry) => entry.id)).toEqual([pilot, cutover]);
    expect(restored.milestones[1]!.dependsOn).toEqual([pilot]);
    expect(restored.checkpoints[0]!.milestoneIds).toEqual([cutover]);
    expect(readPlan(doc).notesText).toBe('kept');
  });
});
