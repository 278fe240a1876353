import { describe, expect, it } from '@jest/globals';
import * as Y from 'yjs';
import { createEntry, deleteEntry, initializePlan, updateEntry, updateMeta } from './edit.js';
import { applyCorrections, type ChangeActor, type DomainChange, PlanTracker, reviewChanges } from './governance.js';

const AT = '2026-12-02T10:00:00.000Z';
const editor: ChangeActor = { canApprove: false, name: 'Élise Martin' };
const approver: ChangeActor = { canApprove: true, name: 'Paul Durand' };

/** A plan with a cutover gated by two checkpoints, followed by a tracker that sees every transaction. */
function gatedPlan() {
  const doc = new Y.Doc();
  initializePlan(doc, { title: 'Portail patient vers Kubernetes' });
  const cutover = createEntry(doc, 'milestones', { title: 'Cutover', kind: 'CUTOVER' });
  const pilot = createEntry(doc, 'milestones', { title: 'Pilot', kind: 'PILOT' });
  const hds = createEntry(doc, 'checkpoints', { title: 'HDS contract', framework: 'hds', milestoneIds: [cutover] });
  const dpia = createEntry(doc, 'checkpoints', { title: 'DPIA', framework: 'gdpr', milestoneIds: [cutover] });
  const tracker = new PlanTracker(doc);
  let last: DomainChange[] = [];
  doc.on('afterTransaction', (transaction: Y.Transaction) => {
    last = tracker.changesOf(transaction);
  });
  /** Makes a change as `actor`, then applies what the review asks, as the server would. */
  const as = (actor: ChangeActor, change: () => void) => {
    change();
    const review = reviewChanges(tracker, last, actor, AT);
    applyCorrections(doc, review.corrections);
    return review;
  };
  const entry = (collection: 'milestones' | 'checkpoints', id: string) =>
    doc.getMap<Y.Map<unknown>>(collection).get(id)!;
  return { doc, tracker, cutover, pilot, hds, dpia, as, entry, changes: () => last };
}

describe('plan tracker', () => {
  it('tells what a transaction changed in domain terms, entry by entry', () => {
    const { doc, tracker, cutover, hds, changes } = gatedPlan();
    updateEntry(doc, 'milestones', cutover, { dueDate: '2027-03-01', owner: 'DSI' });
    expect(changes()).toEqual([
      { collection: 'milestones', entryId: cutover, action: 'updated', field: 'owner', before: null, after: 'DSI' },
      {
        collection: 'milestones',
        entryId: cutover,
        action: 'updated',
        field: 'dueDate',
        before: null,
        after: '2027-03-01',
      },
    ]);
    // A raw client writing inside a Y.Text field: climbs to its entry.
    const justification = doc.getMap<Y.Map<unknown>>('checkpoints').get(hds)!.get('justification') as Y.Text;
    justification.insert(0, 'Contrat signé');
    expect(changes()).toMatchObject([{ entryId: hds, field: 'justification', before: '', after: 'Contrat signé' }]);
    updateMeta(doc, { title: 'Portail patient' });
    expect(changes()).toMatchObject([{ collection: 'plan', field: 'title', after: 'Portail patient' }]);
    deleteEntry(doc, 'milestones', cutover);
    const kinds = changes().map((change) => [change.collection, change.action, change.field]);
    expect(kinds).toContainEqual(['milestones', 'deleted', null]);
    expect(kinds).toContainEqual(['checkpoints', 'updated', 'milestoneIds']);
    expect(tracker.entry('milestones', cutover)).toBeUndefined();
    // The notes did not exist when the tracker started: their first edit is still seen.
    doc.getXmlFragment('notes').insert(0, [new Y.XmlText('Réunion de lancement')]);
    expect(changes()).toEqual([
      { collection: 'notes', entryId: null, action: 'updated', field: null, before: null, after: null },
    ]);
    // A key outside the schema is no domain change.
    doc.getMap('scratch').set('x', 1);
    expect(changes()).toEqual([]);
  });
});

describe('approvals', () => {
  it("reverts an editor's approval and stamps an approver's with who and when", () => {
    const { doc, hds, as, entry } = gatedPlan();
    const refused = as(editor, () => doc.transact(() => entry('checkpoints', hds).set('status', 'PASSED')));
    expect(refused.refusals.map((refusal) => refusal.code)).toEqual(['APPROVAL_REQUIRED']);
    expect(entry('checkpoints', hds).get('status')).toBe('TODO');

    const approved = as(approver, () => updateEntry(doc, 'checkpoints', hds, { status: 'PASSED' }));
    expect(approved.refusals).toEqual([]);
    expect(entry('checkpoints', hds).get('approvedBy')).toBe('Paul Durand');
    expect(entry('checkpoints', hds).get('approvedAt')).toBe(AT);
  });

  it('refuses a waiver without justification, and forged approval stamps', () => {
    const { doc, hds, dpia, as, entry } = gatedPlan();
    expect(as(approver, () => updateEntry(doc, 'checkpoints', hds, { status: 'WAIVED' })).refusals).toMatchObject([
      { code: 'JUSTIFICATION_REQUIRED', entryId: hds },
    ]);
    expect(entry('checkpoints', hds).get('status')).toBe('TODO');
    as(approver, () => updateEntry(doc, 'checkpoints', hds, { status: 'WAIVED', justification: 'Hors périmètre' }));
    expect(entry('checkpoints', hds).get('status')).toBe('WAIVED');
    // An editor may not rewrite the waiver's reason, nor claim an approval.
    expect(as(editor, () => updateEntry(doc, 'checkpoints', hds, { justification: 'autre' })).refusals).toMatchObject([
      { code: 'APPROVAL_REQUIRED' },
    ]);
    expect((entry('checkpoints', hds).get('justification') as Y.Text).toString()).toBe('Hors périmètre');
    expect(as(editor, () => entry('checkpoints', dpia).set('approvedBy', 'Paul Durand')).refusals).toMatchObject([
      { code: 'APPROVAL_FORGED' },
    ]);
    expect(entry('checkpoints', dpia).get('approvedBy')).toBeUndefined();
    // Taking a checkpoint back out of PASSED clears its stamp.
    as(approver, () => updateEntry(doc, 'checkpoints', dpia, { status: 'PASSED' }));
    as(editor, () => updateEntry(doc, 'checkpoints', dpia, { status: 'IN_REVIEW' }));
    expect(entry('checkpoints', dpia).get('approvedBy')).toBeUndefined();
  });
});

describe('compliance gates', () => {
  it('keeps a gated milestone open until every linked checkpoint is passed or waived', () => {
    const { doc, cutover, pilot, hds, dpia, as, entry } = gatedPlan();
    const early = as(approver, () =>
      updateEntry(doc, 'milestones', cutover, { status: 'DONE' }, { today: '2026-12-02' }),
    );
    expect(early.refusals).toMatchObject([{ code: 'GATE_BLOCKED', entryId: cutover }]);
    expect(early.refusals[0]!.message).toContain('"HDS contract", "DPIA"');
    expect(entry('milestones', cutover).get('status')).toBe('NOT_STARTED');
    expect(entry('milestones', cutover).get('completedOn')).toBeUndefined();
    // An ungated milestone closes freely.
    expect(as(editor, () => updateEntry(doc, 'milestones', pilot, { status: 'DONE' })).refusals).toEqual([]);

    as(approver, () => updateEntry(doc, 'checkpoints', hds, { status: 'PASSED' }));
    as(approver, () => updateEntry(doc, 'checkpoints', dpia, { status: 'WAIVED', justification: 'Déjà faite' }));
    expect(as(editor, () => updateEntry(doc, 'milestones', cutover, { status: 'DONE' })).refusals).toEqual([]);
    expect(entry('milestones', cutover).get('status')).toBe('DONE');
  });

  it('refuses a checkpoint change that would leave a done milestone gated by an open checkpoint', () => {
    const { doc, cutover, pilot, hds, dpia, as, entry } = gatedPlan();
    as(approver, () => updateEntry(doc, 'checkpoints', hds, { status: 'PASSED' }));
    as(approver, () => updateEntry(doc, 'checkpoints', dpia, { status: 'PASSED' }));
    as(editor, () => updateEntry(doc, 'milestones', cutover, { status: 'DONE' }));
    // Un-approving a gate of a done milestone: reverted, stamp kept.
    expect(as(approver, () => updateEntry(doc, 'checkpoints', hds, { status: 'FAILED' })).refusals).toMatchObject([
      { code: 'GATE_BLOCKED', entryId: hds },
    ]);
    expect(entry('checkpoints', hds).get('status')).toBe('PASSED');
    expect(entry('checkpoints', hds).get('approvedBy')).toBe('Paul Durand');
    // A new open checkpoint linked to the done milestone loses that link, keeps the others.
    let added = '';
    const review = as(editor, () => {
      added = createEntry(doc, 'checkpoints', {
        title: 'Pentest',
        framework: 'secnumcloud',
        milestoneIds: [cutover, pilot],
      });
    });
    expect(review.refusals).toMatchObject([{ code: 'GATE_BLOCKED', entryId: added }]);
    expect((entry('checkpoints', added).get('milestoneIds') as Y.Array<string>).toArray()).toEqual([pilot]);
  });

  it('lets only approvers loosen a gate: an open checkpoint deleted or unlinked is put back', () => {
    const { doc, cutover, pilot, hds, dpia, as, entry } = gatedPlan();
    const position = entry('checkpoints', hds).get('position');
    const removal = as(editor, () => deleteEntry(doc, 'checkpoints', hds));
    expect(removal.refusals).toMatchObject([{ code: 'APPROVAL_REQUIRED', entryId: hds, related: [cutover] }]);
    expect(entry('checkpoints', hds).get('title')).toBe('HDS contract');
    expect(entry('checkpoints', hds).get('position')).toBe(position);
    expect((entry('checkpoints', hds).get('milestoneIds') as Y.Array<string>).toArray()).toEqual([cutover]);

    const unlinking = as(editor, () => updateEntry(doc, 'checkpoints', dpia, { milestoneIds: [pilot] }));
    expect(unlinking.refusals).toMatchObject([{ code: 'APPROVAL_REQUIRED', entryId: dpia, related: [cutover] }]);
    expect((entry('checkpoints', dpia).get('milestoneIds') as Y.Array<string>).toArray().sort()).toEqual(
      [cutover, pilot].sort(),
    );
    // With both gates back, closing the cutover is still refused.
    expect(as(editor, () => updateEntry(doc, 'milestones', cutover, { status: 'DONE' })).refusals).toMatchObject([
      { code: 'GATE_BLOCKED' },
    ]);

    // A gate already passed, or one that gates nothing, is the editor's to remove; any, the approver's.
    as(approver, () => updateEntry(doc, 'checkpoints', dpia, { status: 'PASSED' }));
    expect(as(editor, () => updateEntry(doc, 'checkpoints', dpia, { milestoneIds: [] })).refusals).toEqual([]);
    expect(as(editor, () => deleteEntry(doc, 'checkpoints', dpia)).refusals).toEqual([]);
    expect(as(approver, () => deleteEntry(doc, 'checkpoints', hds)).refusals).toEqual([]);
    expect(doc.getMap('checkpoints').size).toBe(0);
  });

  it('decides the same for a raw client writing everything in one transaction', () => {
    const { doc, cutover, hds, dpia, as, entry } = gatedPlan();
    // An editor approving both gates and closing the cutover at once: all of it reverted.
    const review = as(editor, () =>
      doc.transact(() => {
        entry('checkpoints', hds).set('status', 'PASSED');
        entry('checkpoints', dpia).set('status', 'PASSED');
        entry('milestones', cutover).set('status', 'DONE');
      }),
    );
    expect(review.refusals.map((refusal) => refusal.code).sort()).toEqual([
      'APPROVAL_REQUIRED',
      'APPROVAL_REQUIRED',
      'GATE_BLOCKED',
    ]);
    expect(entry('milestones', cutover).get('status')).toBe('NOT_STARTED');
    expect(entry('checkpoints', hds).get('status')).toBe('TODO');
  });
});
