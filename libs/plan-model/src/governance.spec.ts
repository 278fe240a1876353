import { describe, expect, it } from '@jest/globals';
import * as Y from 'yjs';
import { createEntry, deleteEntry, initializePlan, updateEntry, updateMeta } from './edit.js';
import { applyCorrections, type ChangeActor, type DomainChange, PlanTracker, reviewChanges } from './governance.js';

const AT = '2026-12-02T10:00:00.000Z';
const editor: ChangeActor = { canApprove: false, canEdit: true, userId: 'u-elise', name: 'Élise Martin' };
const approver: ChangeActor = { canApprove: true, canEdit: false, userId: 'u-paul', name: 'Paul Durand' };

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

/** Writes an entry as a raw Yjs client would: a bare Y.Map with whatever values it chose. */
function rawEntry(doc: Y.Doc, collection: string, id: string, values: Record<string, unknown>): Y.Map<unknown> {
  const entry = new Y.Map<unknown>();
  doc.transact(() => {
    doc.getMap<Y.Map<unknown>>(collection).set(id, entry);
    entry.set('id', id);
    entry.set('position', 100);
    for (const [key, value] of Object.entries(values)) entry.set(key, value);
  });
  return entry;
}

describe('new entries made by a raw client', () => {
  it.each([
    ['PASSED', {}],
    ['WAIVED', { justification: 'Déjà couvert' }],
  ])(
    'a checkpoint made %s by an editor goes back to TODO, unstamped, and its milestone cannot complete',
    (status, extra) => {
      const { doc, as, entry } = gatedPlan();
      const finale = createEntry(doc, 'milestones', { title: 'Bascule finale', kind: 'CUTOVER' });
      const review = as(editor, () =>
        doc.transact(() =>
          rawEntry(doc, 'checkpoints', 'c-new', {
            title: 'Hébergement HDS',
            framework: 'HDS',
            status,
            approvedBy: 'Paul Durand',
            approvedAt: AT,
            milestoneIds: Y.Array.from([finale]),
            ...extra,
          }),
        ),
      );
      expect(review.refusals).toMatchObject([{ code: 'APPROVAL_REQUIRED', entryId: 'c-new' }]);
      expect(entry('checkpoints', 'c-new').get('status')).toBe('TODO');
      expect(entry('checkpoints', 'c-new').has('approvedBy')).toBe(false);
      expect(entry('checkpoints', 'c-new').has('approvedAt')).toBe(false);
      const closing = as(editor, () => entry('milestones', finale).set('status', 'DONE'));
      expect(closing.refusals).toMatchObject([{ code: 'GATE_BLOCKED', entryId: finale, related: ['c-new'] }]);
      expect(entry('milestones', finale).get('status')).toBe('NOT_STARTED');
    },
  );

  it("an approver's new approved checkpoint is stamped with the approver, whatever the client wrote", () => {
    const { doc, as, entry } = gatedPlan();
    as(approver, () =>
      rawEntry(doc, 'checkpoints', 'c-new', { title: 'DPIA', framework: 'GDPR', status: 'PASSED', approvedBy: 'X' }),
    );
    expect(entry('checkpoints', 'c-new').get('approvedBy')).toBe('Paul Durand');
    expect(entry('checkpoints', 'c-new').get('approvedAt')).toBe(AT);
    // A waiver without justification is refused even to an approver: back to TODO, still unstamped.
    expect(
      as(approver, () =>
        rawEntry(doc, 'checkpoints', 'c-bad', { title: 'Pentest', framework: 'NIS2', status: 'WAIVED' }),
      ).refusals,
    ).toMatchObject([{ code: 'JUSTIFICATION_REQUIRED', entryId: 'c-bad' }]);
    expect(entry('checkpoints', 'c-bad').get('status')).toBe('TODO');
    expect(entry('checkpoints', 'c-bad').has('approvedBy')).toBe(false);
  });

  it('a gated milestone made DONE is reopened; an ungated one gets its completion day from the server', () => {
    const { doc, hds, as, entry } = gatedPlan();
    const refused = as(editor, () =>
      doc.transact(() => {
        rawEntry(doc, 'milestones', 'm-new', { title: 'Go-live', status: 'DONE', completedOn: '2026-11-30' });
        (entry('checkpoints', hds).get('milestoneIds') as Y.Array<string>).push(['m-new']);
      }),
    );
    expect(refused.refusals).toMatchObject([{ code: 'GATE_BLOCKED', entryId: 'm-new' }]);
    expect(entry('milestones', 'm-new').get('status')).toBe('NOT_STARTED');
    expect(entry('milestones', 'm-new').has('completedOn')).toBe(false);
    expect(
      as(editor, () => rawEntry(doc, 'milestones', 'm-free', { title: 'Pilote', status: 'DONE' })).refusals,
    ).toEqual([]);
    expect(entry('milestones', 'm-free').get('completedOn')).toBe('2026-12-02');
  });
});

describe('fields the server owns and dates in order', () => {
  it("reverts a client's `automatic` on an existing or a new risk, and leaves the risk as it was", () => {
    const { doc, as, entry } = gatedPlan();
    const risk = createEntry(doc, 'risks', { title: 'Compétences Kubernetes', category: 'SKILLS' });
    expect(
      as(editor, () => entry('risks' as 'milestones', risk).set('automatic', 'eligibility:x')).refusals,
    ).toMatchObject([{ code: 'SERVER_FIELD', collection: 'risks', entryId: risk }]);
    expect(entry('risks' as 'milestones', risk).has('automatic')).toBe(false);
    expect(entry('risks' as 'milestones', risk).get('status')).toBe('OPEN');
    // Even the plan's owner may not: the marker is Bascule's.
    as(approver, () => rawEntry(doc, 'risks', 'r-new', { title: 'Loi extraterritoriale', automatic: 'eligibility:y' }));
    expect(entry('risks' as 'milestones', 'r-new').has('automatic')).toBe(false);
  });

  it('stamps the completion day on a done milestone whose day a client removed', () => {
    const { doc, pilot, as, entry } = gatedPlan();
    as(editor, () => updateEntry(doc, 'milestones', pilot, { status: 'DONE', completedOn: '2026-11-20' }));
    as(editor, () => entry('milestones', pilot).delete('completedOn'));
    expect(entry('milestones', pilot).get('completedOn')).toBe('2026-12-02');
  });

  it('puts back the date that moved out of order, on milestones and on the plan', () => {
    const { doc, pilot, as, entry } = gatedPlan();
    updateEntry(doc, 'milestones', pilot, { startDate: '2027-01-10', dueDate: '2027-02-10' });
    expect(as(editor, () => entry('milestones', pilot).set('dueDate', '2027-01-01')).refusals).toMatchObject([
      { code: 'DATE_ORDER', entryId: pilot },
    ]);
    expect(entry('milestones', pilot).get('dueDate')).toBe('2027-02-10');
    as(editor, () => entry('milestones', pilot).set('startDate', '2027-03-01'));
    expect(entry('milestones', pilot).get('startDate')).toBe('2027-01-10');
    // A new entry out of order loses its end date.
    as(editor, () =>
      rawEntry(doc, 'milestones', 'm-new', { title: 'Recette', startDate: '2027-05-01', dueDate: '2027-04-01' }),
    );
    expect(entry('milestones', 'm-new').get('startDate')).toBe('2027-05-01');
    expect(entry('milestones', 'm-new').has('dueDate')).toBe(false);
    // The plan's header.
    updateMeta(doc, { startDate: '2027-01-01', targetDate: '2027-06-30' });
    const header = doc.getMap('plan');
    expect(as(editor, () => header.set('targetDate', '2026-12-31')).refusals).toMatchObject([
      { code: 'DATE_ORDER', collection: 'plan', entryId: null },
    ]);
    expect(header.get('targetDate')).toBe('2027-06-30');
  });
});

describe('applying corrections', () => {
  it('never skips a correction on an entry that is still there: an unwritable value goes to its safe value', () => {
    const { doc, pilot, hds, entry } = gatedPlan();
    updateEntry(doc, 'milestones', pilot, { startDate: '2027-06-01' });
    // Written for a document that has moved on: the due date no longer fits, the link target is gone.
    const skipped = applyCorrections(doc, [
      { collection: 'milestones', entryId: pilot, values: { dueDate: '2027-01-01', status: 'IN_PROGRESS' } },
      { collection: 'checkpoints', entryId: hds, values: { milestoneIds: ['gone', pilot], status: null } },
      { collection: 'checkpoints', entryId: 'deleted-since', values: { status: 'TODO' } },
    ]);
    expect(entry('milestones', pilot).has('dueDate')).toBe(false);
    expect(entry('milestones', pilot).get('status')).toBe('IN_PROGRESS');
    expect((entry('checkpoints', hds).get('milestoneIds') as Y.Array<string>).toArray()).toEqual([pilot]);
    expect(entry('checkpoints', hds).get('status')).toBe('TODO');
    expect(skipped).toMatchObject([{ entryId: 'deleted-since' }]);
  });
});
