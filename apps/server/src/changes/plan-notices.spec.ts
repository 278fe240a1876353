import { describe, expect, it } from '@jest/globals';
import { type ChangeAuthor, SYSTEM_AUTHOR } from '@bascule/collab';
import {
  createEntry,
  type DomainChange,
  initializePlan,
  MENTION_NODE,
  mentionOf,
  PlanTracker,
  type Refusal,
  updateEntry,
} from '@bascule/plan-model';
import * as Y from 'yjs';
import type { PlanChanged } from './plan-changed.js';
import { planMessagesOf } from './plan-messages.js';
import { noticesOf } from './plan-notices.js';

const CLAIRE: ChangeAuthor = { kind: 'user', userId: 'u-claire', apiTokenId: null, name: 'Claire', role: 'OWNER' };
const KARIM: ChangeAuthor = { kind: 'user', userId: 'u-karim', apiTokenId: null, name: 'Karim', role: 'EDITOR' };

/** A plan followed as the change watcher follows it; `change` answers with the notices of one transaction. */
function followedPlan() {
  const doc = new Y.Doc();
  initializePlan(doc, { title: 'Portail patients' });
  const tracker = new PlanTracker(doc);
  let last: DomainChange[] = [];
  doc.on('afterTransaction', (transaction: Y.Transaction) => {
    last = tracker.changesOf(transaction);
  });
  const notices = (author: ChangeAuthor, edit: () => void, refusals: readonly Refusal[] = []) => {
    doc.transact(edit);
    const event: PlanChanged = { planId: 'plan-1', author, changes: last, refusals, at: new Date(), doc, tracker };
    return noticesOf(event, planMessagesOf(event)).map((notice) => ({
      kind: notice.kind,
      to: notice.to,
      toApprovers: notice.toApprovers ?? false,
      entryId: notice.entryId,
    }));
  };
  return { doc, notices };
}

describe('who a change tells what', () => {
  it('tells the members a comment mentions, not its author, and the others in the thread', () => {
    const { doc, notices } = followedPlan();
    const risk = createEntry(doc, 'risks', { title: 'Réversibilité', ownerId: 'u-nadia' });
    let first = '';
    notices(CLAIRE, () => {
      first = createEntry(doc, 'comments', { subject: 'risks', entryId: risk, body: 'Qui s’en charge ?' });
      doc.getMap<Y.Map<unknown>>('comments').get(first)!.set('authorId', 'u-claire');
    });
    const reply = notices(KARIM, () =>
      createEntry(doc, 'comments', {
        threadId: first,
        subject: 'risks',
        entryId: risk,
        body: `${mentionOf('Nadia', 'u-nadia')} ${mentionOf('Karim', 'u-karim')} à voir`,
      }),
    );
    expect(reply).toEqual([
      { kind: 'MENTIONED', to: ['u-nadia'], toApprovers: false, entryId: risk },
      { kind: 'COMMENTED', to: ['u-claire'], toApprovers: false, entryId: risk },
    ]);
  });

  it('tells of a reply where the server puts it, whatever place or author the client claimed', () => {
    const { doc, notices } = followedPlan();
    const risk = createEntry(doc, 'risks', { title: 'Réversibilité', ownerId: 'u-nadia' });
    let first = '';
    notices(CLAIRE, () => {
      first = createEntry(doc, 'comments', { body: 'Sur le plan' });
      doc.getMap<Y.Map<unknown>>('comments').get(first)!.set('authorId', 'u-claire');
    });
    const forged = notices(KARIM, () => {
      const reply = createEntry(doc, 'comments', { threadId: first, subject: 'risks', entryId: risk, body: 'Hop' });
      doc.getMap<Y.Map<unknown>>('comments').get(reply)!.set('authorId', 'u-victim');
    });
    // Not the risk's owner, not the claimed author: the one who wrote the thread's first comment.
    expect(forged).toEqual([{ kind: 'COMMENTED', to: ['u-claire'], toApprovers: false, entryId: null }]);
  });

  it('tells of a mention added by an edit only', () => {
    const { doc, notices } = followedPlan();
    let id = '';
    notices(KARIM, () => (id = createEntry(doc, 'comments', { body: `${mentionOf('Nadia', 'u-nadia')} ok` })));
    const edited = notices(KARIM, () =>
      updateEntry(doc, 'comments', id, { body: `${mentionOf('Nadia', 'u-nadia')} ${mentionOf('Léo', 'u-leo')} ok` }),
    );
    expect(edited).toEqual([{ kind: 'MENTIONED', to: ['u-leo'], toApprovers: false, entryId: null }]);
  });

  it('tells new owners, the approvers of a checkpoint put to review, and owners of slipped milestones and critical risks', () => {
    const { doc, notices } = followedPlan();
    const assigned = notices(CLAIRE, () =>
      createEntry(doc, 'milestones', { title: 'Pilote', dueDate: '2027-03-01', ownerId: 'u-karim' }),
    );
    expect(assigned.map((notice) => [notice.kind, notice.to])).toEqual([['ASSIGNED', ['u-karim']]]);
    const milestone = assigned[0]!.entryId!;
    expect(notices(CLAIRE, () => updateEntry(doc, 'milestones', milestone, { dueDate: '2027-03-20' }))).toEqual([
      { kind: 'MILESTONE_SLIPPED', to: ['u-karim'], toApprovers: false, entryId: milestone },
    ]);
    // Brought forward: no slip.
    expect(notices(CLAIRE, () => updateEntry(doc, 'milestones', milestone, { dueDate: '2027-03-10' }))).toEqual([]);
    const risk = createEntry(doc, 'risks', { title: 'Panne', ownerId: 'u-nadia', likelihood: 2, impact: 2 });
    expect(notices(KARIM, () => updateEntry(doc, 'risks', risk, { likelihood: 5, impact: 3 }))).toEqual([
      { kind: 'RISK_CRITICAL', to: ['u-nadia'], toApprovers: false, entryId: risk },
    ]);
    const checkpoint = createEntry(doc, 'checkpoints', { title: 'AIPD', framework: 'GDPR' });
    expect(notices(KARIM, () => updateEntry(doc, 'checkpoints', checkpoint, { status: 'IN_REVIEW' }))).toEqual([
      { kind: 'APPROVAL_REQUESTED', to: [], toApprovers: true, entryId: checkpoint },
    ]);
  });

  it('tells nobody of their own doing, of the server’s corrections, or of what a rule refused', () => {
    const { doc, notices } = followedPlan();
    expect(notices(KARIM, () => createEntry(doc, 'risks', { title: 'À moi', ownerId: 'u-karim' }))).toEqual([]);
    expect(
      notices(SYSTEM_AUTHOR, () => createEntry(doc, 'risks', { title: 'Automatique', ownerId: 'u-nadia' })),
    ).toEqual([]);
    let refused = '';
    const told = notices(
      KARIM,
      () => (refused = createEntry(doc, 'risks', { title: 'Refusé', ownerId: 'u-nadia' })),
      [],
    );
    expect(told).toHaveLength(1);
    expect(
      notices(KARIM, () => updateEntry(doc, 'risks', refused, { ownerId: 'u-leo' }), [
        { code: 'SERVER_FIELD', collection: 'risks', entryId: refused, message: 'refused', related: [] },
      ]),
    ).toEqual([]);
  });

  it('tells the members newly mentioned in the notes', () => {
    const { doc, notices } = followedPlan();
    const mention = (id: string) => {
      const node = new Y.XmlElement(MENTION_NODE);
      node.setAttribute('id', id);
      node.setAttribute('label', id);
      return node;
    };
    const paragraph = new Y.XmlElement('paragraph');
    expect(
      notices(CLAIRE, () => {
        doc.getXmlFragment('notes').insert(0, [paragraph]);
        paragraph.insert(0, [new Y.XmlText('Voir '), mention('u-karim')]);
      }),
    ).toEqual([{ kind: 'MENTIONED', to: ['u-karim'], toApprovers: false, entryId: null }]);
    expect(notices(CLAIRE, () => paragraph.insert(0, [new Y.XmlText('Encore ')]))).toEqual([]);
    expect(notices(CLAIRE, () => paragraph.insert(paragraph.length, [mention('u-nadia')]))).toEqual([
      { kind: 'MENTIONED', to: ['u-nadia'], toApprovers: false, entryId: null },
    ]);
  });
});
