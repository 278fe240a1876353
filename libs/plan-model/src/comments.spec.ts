import { describe, expect, it } from '@jest/globals';
import * as Y from 'yjs';
import { commentBlocks, commentPlainText, commentThreads, mentionOf, mentionsIn } from './comments.js';
import { MENTION_NODE, readPlan } from './document.js';
import { createEntry, deleteEntry, initializePlan, updateEntry } from './edit.js';
import {
  applyCorrections,
  type ChangeActor,
  type DomainChange,
  GovernanceError,
  governedChange,
  PlanTracker,
  reviewChanges,
  reviewState,
  unstampedEntries,
} from './governance.js';
import { currentSchemaVersionOf, migratePlan } from './migrations.js';

const NOW = '2027-02-01T09:00:00.000Z';
const LATER = '2027-02-01T10:00:00.000Z';
const claire: ChangeActor = { canApprove: true, canEdit: true, userId: 'u-claire', name: 'Claire Lemoine' };
const karim: ChangeActor = { canApprove: false, canEdit: true, userId: 'u-karim', name: 'Karim Benali' };

describe('comment text', () => {
  it('reads Markdown-light into marked spans, and nothing else as markup', () => {
    const [paragraph, item, second] = commentBlocks(
      'Voir **la _note_ HDS** et `kubectl get pods`, [le guide](https://cyber.gouv.fr/guide) ou https://example.org/x.\n- point <b>un</b>\n- @[Karim Benali](user:u-karim) relis',
    );
    expect(paragraph!.kind).toBe('paragraph');
    expect(paragraph!.spans).toEqual([
      { text: 'Voir ' },
      { text: 'la ', bold: true },
      { text: 'note', bold: true, italic: true },
      { text: ' HDS', bold: true },
      { text: ' et ' },
      { text: 'kubectl get pods', code: true },
      { text: ', ' },
      { text: 'le guide', href: 'https://cyber.gouv.fr/guide' },
      { text: ' ou ' },
      { text: 'https://example.org/x', href: 'https://example.org/x' },
      { text: '.' },
    ]);
    expect(item).toEqual({ kind: 'item', spans: [{ text: 'point <b>un</b>' }] });
    expect(second!.spans).toEqual([{ text: '@Karim Benali', mention: 'u-karim' }, { text: ' relis' }]);
  });

  it('links only to web and mail addresses', () => {
    const spans = commentBlocks('[clic](javascript:alert(1)) [mail](mailto:rssi@example.org)').flatMap(
      (block) => block.spans,
    );
    expect(spans.filter((span) => span.href !== undefined).map((span) => span.href)).toEqual([
      'mailto:rssi@example.org',
    ]);
    expect(spans.map((span) => span.text).join('')).toContain('[clic](javascript:alert(1))');
  });

  it('keeps line breaks inside a paragraph, and separates paragraphs by blank lines', () => {
    const blocks = commentBlocks('un\ndeux\r\n\r\ntrois');
    expect(blocks.map((block) => block.spans.map((span) => span.text).join(''))).toEqual(['un\ndeux', 'trois']);
    expect(blocks[0]!.spans[1]).toEqual({ text: '\n', lineBreak: true });
  });

  it('writes and finds mentions, each member once', () => {
    const body = `${mentionOf('Karim [DBA]', 'u-karim')} et ${mentionOf('Claire', 'u-claire')}, ${mentionOf('Karim', 'u-karim')}`;
    expect(body.startsWith('@[Karim  DBA](user:u-karim)')).toBe(true);
    expect(mentionsIn(body)).toEqual(['u-karim', 'u-claire']);
    expect(mentionsIn('@[x](user:) @Karim user:u-karim')).toEqual([]);
  });

  it('says a body as plain text: marks dropped, mentions by name, links spelled out', () => {
    expect(commentPlainText('**Go** pour @[Karim](user:u-karim), voir [le runbook](https://b.example/r)\n- ok')).toBe(
      'Go pour @Karim, voir le runbook (https://b.example/r)\n- ok',
    );
  });
});

/** A plan with a risk, followed as the server follows it, and a socket's change judged as it judges one. */
function conversation() {
  const doc = new Y.Doc();
  initializePlan(doc, { title: 'Portail patients vers Outscale' });
  const risk = createEntry(doc, 'risks', { title: 'Réversibilité' });
  const tracker = new PlanTracker(doc);
  let last: DomainChange[] = [];
  doc.on('afterTransaction', (transaction: Y.Transaction) => {
    last = [...last, ...tracker.changesOf(transaction)];
  });
  const bySocket = (actor: ChangeActor, when: string, change: () => void) => {
    last = [];
    change();
    const review = reviewChanges(tracker, last, actor, when);
    applyCorrections(doc, review.corrections);
    last = [];
    return review.refusals.map((refusal) => refusal.code);
  };
  const write = (values: Record<string, unknown>) => createEntry(doc, 'comments', values, { trusted: true });
  const comment = (id: string) => readPlan(doc).comments.find((found) => found.id === id);
  return { doc, risk, tracker, bySocket, write, comment, changes: () => last };
}

describe('comment rules', () => {
  it('stamps the author and time of a new comment, whatever the client wrote', () => {
    const { risk, bySocket, write, comment } = conversation();
    let id = '';
    const refusals = bySocket(karim, NOW, () => {
      id = write({
        subject: 'risks',
        entryId: risk,
        body: 'Clause de sortie ?',
        authorId: 'u-claire',
        authorName: 'Claire',
        createdAt: LATER,
      });
    });
    expect(refusals).toEqual([]);
    expect(comment(id)).toMatchObject({
      authorId: 'u-karim',
      authorName: 'Karim Benali',
      createdAt: NOW,
      state: 'OPEN',
    });
  });

  it('takes out comments without text or about nothing the plan holds', () => {
    const { doc, bySocket, write, comment } = conversation();
    let empty = '';
    let astray = '';
    expect(
      bySocket(karim, NOW, () => {
        // As a raw Yjs client may write it: the editing helpers refuse an empty text.
        empty = write({ subject: 'plan', body: 'x' });
        doc.getMap<Y.Map<unknown>>('comments').get(empty)!.set('body', '   ');
        astray = write({ subject: 'milestones', entryId: 'gone', body: 'Hello' });
      }),
    ).toEqual(['COMMENT_REFUSED', 'COMMENT_REFUSED']);
    expect(comment(empty)).toBeUndefined();
    expect(comment(astray)).toBeUndefined();
  });

  it('puts a reply in its thread, about what the thread is about', () => {
    const { risk, bySocket, write, comment } = conversation();
    let first = '';
    let reply = '';
    let nested = '';
    bySocket(karim, NOW, () => (first = write({ subject: 'risks', entryId: risk, body: 'Question' })));
    bySocket(
      claire,
      NOW,
      () => (reply = write({ threadId: first, subject: 'plan', body: 'Réponse', state: 'RESOLVED' })),
    );
    bySocket(karim, NOW, () => (nested = write({ threadId: reply, body: 'Merci' })));
    expect(comment(reply)).toMatchObject({ threadId: first, subject: 'risks', entryId: risk, state: 'OPEN' });
    expect(comment(nested)).toMatchObject({ threadId: first, subject: 'risks', entryId: risk });
  });

  it('lets only its author edit or delete a comment; a deleted one comes back whole', () => {
    const { doc, bySocket, write, comment } = conversation();
    let id = '';
    bySocket(karim, NOW, () => (id = write({ subject: 'plan', body: 'Premier jet' })));
    expect(
      bySocket(claire, LATER, () => updateEntry(doc, 'comments', id, { body: 'Réécrit' }, { trusted: true })),
    ).toEqual(['COMMENT_REFUSED']);
    expect(comment(id)).toMatchObject({ body: 'Premier jet', editedAt: null });
    expect(
      bySocket(karim, LATER, () => updateEntry(doc, 'comments', id, { body: 'Version finale' }, { trusted: true })),
    ).toEqual([]);
    expect(comment(id)).toMatchObject({ body: 'Version finale', editedAt: LATER });
    expect(bySocket(claire, LATER, () => deleteEntry(doc, 'comments', id))).toEqual(['COMMENT_REFUSED']);
    expect(comment(id)).toMatchObject({ body: 'Version finale', authorId: 'u-karim', createdAt: NOW });
    expect(bySocket(karim, LATER, () => deleteEntry(doc, 'comments', id))).toEqual([]);
    expect(comment(id)).toBeUndefined();
  });

  it('keeps a comment where it was written, and its stamps the server’s', () => {
    const { doc, risk, bySocket, write, comment } = conversation();
    let id = '';
    bySocket(karim, NOW, () => (id = write({ subject: 'risks', entryId: risk, body: 'Ici' })));
    expect(
      bySocket(karim, LATER, () =>
        updateEntry(
          doc,
          'comments',
          id,
          { subject: 'plan', entryId: null, authorName: 'Quelqu’un' },
          { trusted: true },
        ),
      ),
    ).toEqual(['COMMENT_REFUSED', 'SERVER_FIELD']);
    expect(comment(id)).toMatchObject({ subject: 'risks', entryId: risk, authorName: 'Karim Benali' });
  });

  it('resolves and reopens a thread on its first comment, with who and when', () => {
    const { doc, bySocket, write, comment } = conversation();
    let first = '';
    let reply = '';
    bySocket(karim, NOW, () => (first = write({ subject: 'plan', body: 'À trancher' })));
    bySocket(karim, NOW, () => (reply = write({ threadId: first, body: 'Précision' })));
    expect(
      bySocket(claire, LATER, () => updateEntry(doc, 'comments', first, { state: 'RESOLVED' }, { trusted: true })),
    ).toEqual([]);
    expect(comment(first)).toMatchObject({ state: 'RESOLVED', resolvedBy: 'Claire Lemoine', resolvedAt: LATER });
    expect(
      bySocket(claire, LATER, () => updateEntry(doc, 'comments', reply, { state: 'RESOLVED' }, { trusted: true })),
    ).toEqual(['COMMENT_REFUSED']);
    expect(comment(reply)!.state).toBe('OPEN');
    bySocket(karim, LATER, () => updateEntry(doc, 'comments', first, { state: 'OPEN' }, { trusted: true }));
    expect(comment(first)).toMatchObject({ state: 'OPEN', resolvedBy: null, resolvedAt: null });
    const [thread] = commentThreads(readPlan(doc).comments);
    expect(thread).toMatchObject({ id: first, state: 'OPEN' });
    expect(thread!.replies.map((found) => found.id)).toEqual([reply]);
  });

  it('refuses through the API what it reverts from a socket', () => {
    const { doc, bySocket, write } = conversation();
    let id = '';
    bySocket(karim, NOW, () => (id = write({ subject: 'plan', body: 'Mon texte' })));
    expect(() =>
      governedChange(doc, claire, LATER, () => updateEntry(doc, 'comments', id, { body: 'Le sien' })),
    ).toThrow(GovernanceError);
    expect(() => createEntry(doc, 'comments', { subject: 'plan', body: 'x', authorId: 'u-claire' })).toThrow(
      /set by the server/,
    );
  });

  it('groups threads, the most recently active first, a thread whose first comment is gone kept with its replies', () => {
    const { doc, bySocket, write } = conversation();
    let older = '';
    let newer = '';
    bySocket(karim, NOW, () => (older = write({ subject: 'plan', body: 'Ancien' })));
    bySocket(karim, NOW, () => (newer = write({ subject: 'plan', body: 'Récent' })));
    bySocket(claire, LATER, () => write({ threadId: older, body: 'Relance' }));
    bySocket(karim, LATER, () => deleteEntry(doc, 'comments', older));
    const threads = commentThreads(readPlan(doc).comments);
    expect(
      threads.map((thread) => [thread.id, thread.first?.body ?? null, thread.replies.length, thread.state]),
    ).toEqual([
      [older, null, 1, 'RESOLVED'],
      [newer, 'Récent', 0, 'OPEN'],
    ]);
    expect(commentThreads(readPlan(doc).comments, { subject: 'risks', entryId: 'none' })).toEqual([]);
    // Just written, not stamped yet (offline, or before the server's answer): the newest.
    const pending = write({ threadId: newer, body: 'Hors ligne' });
    const [latest] = commentThreads(readPlan(doc).comments);
    expect(latest!.id).toBe(newer);
    expect(latest!.replies.map((reply) => reply.id)).toEqual([pending]);
  });
});

describe('a plan loaded from storage', () => {
  it('takes out a comment the server never stamped (a crash between the comment and its stamp)', () => {
    const { doc, bySocket, write, comment } = conversation();
    let stamped = '';
    bySocket(karim, NOW, () => (stamped = write({ subject: 'plan', body: 'Vérifié' })));
    const unstamped = write({ subject: 'plan', body: 'Jamais vu par le serveur', authorId: 'u-claire' });
    const review = reviewState(new PlanTracker(doc), { stampsRequired: true });
    expect(review.refusals.map((refusal) => [refusal.code, refusal.entryId])).toEqual([['SERVER_FIELD', unstamped]]);
    applyCorrections(doc, review.corrections);
    expect(comment(unstamped)).toBeUndefined();
    expect(comment(stamped)).toBeDefined();
  });

  it('can wait for stamps on their way: only what lacked them at load and still does is put right', () => {
    const { doc, write, comment, tracker } = conversation();
    const onItsWay = write({ subject: 'plan', body: 'Sur le fil' });
    const orphan = write({ subject: 'plan', body: 'Jamais vu par le serveur' });
    const atLoad = unstampedEntries(tracker);
    expect([...atLoad].sort()).toEqual([`comments/${onItsWay}`, `comments/${orphan}`].sort());
    // Meanwhile, the stamp of one arrives and a new comment comes in, its stamp on its way.
    updateEntry(doc, 'comments', onItsWay, { authorName: 'Karim Benali', createdAt: NOW }, { trusted: true });
    const newer = write({ subject: 'plan', body: 'Tout juste arrivé' });
    const review = reviewState(tracker, { stampsRequired: atLoad });
    expect(review.refusals.map((refusal) => [refusal.code, refusal.entryId])).toEqual([['SERVER_FIELD', orphan]]);
    applyCorrections(doc, review.corrections);
    expect(comment(orphan)).toBeUndefined();
    expect(comment(onItsWay)).toBeDefined();
    expect(comment(newer)).toBeDefined();
    expect(reviewState(tracker, { stampsRequired: false }).refusals).toEqual([]);
  });
});

describe('mentions in the notes', () => {
  it('are told as a change of the members the notes mention', () => {
    const { doc, changes } = conversation();
    const notes = doc.getXmlFragment('notes');
    const paragraph = new Y.XmlElement('paragraph');
    const mention = new Y.XmlElement(MENTION_NODE);
    mention.setAttribute('id', 'u-karim');
    mention.setAttribute('label', 'Karim Benali');
    doc.transact(() => {
      notes.insert(0, [paragraph]);
      paragraph.insert(0, [new Y.XmlText('Voir avec '), mention]);
    });
    expect(changes()).toContainEqual({
      collection: 'notes',
      entryId: null,
      action: 'updated',
      field: 'mentions',
      before: [],
      after: ['u-karim'],
    });
    expect(readPlan(doc).notesText).toBe('Voir avec @Karim Benali');
  });
});

describe('schema version 3', () => {
  it('brings a version-2 plan up without changing its content', () => {
    const doc = new Y.Doc();
    initializePlan(doc, { title: 'Ancien plan' });
    doc.getMap('plan').set('schemaVersion', 2);
    expect(migratePlan(doc, { title: 'Ancien plan' })).toBe(true);
    expect(currentSchemaVersionOf(doc)).toBe(3);
    expect(readPlan(doc).comments).toEqual([]);
  });
});
