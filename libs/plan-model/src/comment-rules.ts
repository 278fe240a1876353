import type { Values } from './document.js';
import type { EntryChanges, RuleReview } from './rule-review.js';
import type { StateFix } from './runbook-rules.js';
import { type CollectionName, SERVER_FIELDS } from './schema.js';

/** Fields fixed when a comment is written: what it is about and which thread it is in. */
const PLACE = ['subject', 'entryId', 'threadId'];
const STAMPS = SERVER_FIELDS.comments ?? [];

/**
 * The rules of the conversation, on what a change did (with the plan already past it). Authorship is
 * judged on the comment as it was before the change.
 * - a comment is written with a text, about the plan or an entry of the plan that exists; a reply
 *   joins its thread's first comment, about what that one is about; the server stamps the author
 *   and the time (a client's stamps are replaced);
 * - only its author edits a comment's text (the server stamps when) or deletes it; a comment
 *   deleted by someone else is put back;
 * - what a comment is about and its thread never change;
 * - a thread (its first comment) is resolved or reopened by anyone who may write the plan; the
 *   server stamps who and when; a reply has no state of its own;
 * - stamps are the server's: a client's write of them is reverted.
 * The server itself (no user) writes comments as it is told (seeding, imports).
 */
export function reviewCommentChanges(review: RuleReview): void {
  if (review.actor.userId === null) return;
  for (const [entryId, fields] of review.changed('comments')) {
    const whole = fields.get(null);
    if (whole?.action === 'deleted') {
      const removed = whole.before as Values;
      // A comment without an author (written by the server) is the plan's editors' to remove.
      const mayDelete = removed.authorId === null ? review.actor.canEdit : removed.authorId === review.actor.userId;
      if (mayDelete) continue;
      review.refuse('COMMENT_REFUSED', 'comments', entryId, `only its author, ${authorOf(removed)}, deletes a comment`);
      review.restore('comments', entryId, removed);
      continue;
    }
    const current = review.entry('comments', entryId);
    if (current === undefined) continue;
    if (whole?.action === 'created') reviewNewComment(review, entryId, current);
    else reviewCommentEdit(review, entryId, fields, current);
  }
}

function reviewNewComment(review: RuleReview, entryId: string, current: Values): void {
  const { actor, at } = review;
  const refuse = (message: string) => {
    review.refuse('COMMENT_REFUSED', 'comments', entryId, message);
    review.remove('comments', entryId);
  };
  if (String(current.body).trim() === '') return refuse('a comment needs a text');
  let place: Values = { subject: current.subject, entryId: current.entryId, threadId: current.threadId };
  if (typeof current.threadId === 'string') {
    const first = review.entry('comments', current.threadId);
    if (first === undefined) return refuse('a reply answers a comment of this plan');
    // A reply to a reply joins the thread of what it answers.
    const threadId = typeof first.threadId === 'string' ? first.threadId : current.threadId;
    const thread = threadId === current.threadId ? first : review.entry('comments', threadId);
    place = { subject: thread?.subject ?? first.subject, entryId: thread?.entryId ?? first.entryId, threadId };
  } else if (current.subject === 'plan') place = { ...place, entryId: null };
  else if (
    typeof current.entryId !== 'string' ||
    review.entry(current.subject as CollectionName, current.entryId) === undefined
  )
    return refuse(`a comment is about the plan or one of its ${String(current.subject)}`);
  const resolved = place.threadId === null && current.state === 'RESOLVED';
  review.correct('comments', entryId, {
    ...place,
    authorId: actor.userId,
    authorName: actor.name,
    createdAt: at,
    editedAt: null,
    state: resolved ? 'RESOLVED' : 'OPEN',
    resolvedBy: resolved ? actor.name : null,
    resolvedAt: resolved ? at : null,
  });
}

function reviewCommentEdit(review: RuleReview, entryId: string, fields: EntryChanges, current: Values): void {
  const { actor, at } = review;
  const before = (field: string) => review.before(fields, field, current);
  const revert = (names: readonly string[]) =>
    review.correct('comments', entryId, Object.fromEntries(names.map((name) => [name, before(name) ?? null])));
  const moved = PLACE.filter((field) => fields.has(field));
  if (moved.length > 0) {
    review.refuse('COMMENT_REFUSED', 'comments', entryId, 'what a comment is about, and its thread, do not change');
    revert(moved);
  }
  const forged = STAMPS.filter((field) => fields.has(field));
  if (forged.length > 0) {
    review.refuse('SERVER_FIELD', 'comments', entryId, "a comment's author and times are recorded by the server");
    revert(forged);
  }
  if (fields.has('body')) {
    const author = before('authorId');
    if (author !== actor.userId) {
      review.refuse(
        'COMMENT_REFUSED',
        'comments',
        entryId,
        `only its author, ${authorOf({ ...current, authorName: before('authorName') })}, edits a comment`,
      );
      revert(['body']);
    } else if (String(current.body).trim() === '') {
      review.refuse('COMMENT_REFUSED', 'comments', entryId, 'a comment needs a text; delete it instead');
      revert(['body']);
    } else review.correct('comments', entryId, { editedAt: at });
  }
  if (fields.has('state')) {
    if (typeof before('threadId') === 'string') {
      review.refuse('COMMENT_REFUSED', 'comments', entryId, 'a thread is resolved on its first comment');
      revert(['state']);
    } else
      review.correct(
        'comments',
        entryId,
        current.state === 'RESOLVED'
          ? { resolvedBy: actor.name, resolvedAt: at }
          : { resolvedBy: null, resolvedAt: null },
      );
  }
}

/**
 * Comments without the server's stamp, as found in a plan loaded from storage (a crash came between
 * a client's comment and the server's stamping of it): its author cannot be vouched for, so it is
 * taken out, as a vote without its voter is. The trail keeps what it said, with its author.
 */
export function unstampedComments(all: (collection: CollectionName) => Iterable<Values>): StateFix[] {
  return [...all('comments')]
    .filter((comment) => typeof comment.createdAt !== 'string' || typeof comment.authorName !== 'string')
    .map((comment) => ({
      collection: 'comments' as const,
      entryId: comment.id as string,
      message: 'a comment the server never stamped: its author cannot be vouched for',
      values: {},
      remove: true as const,
    }));
}

const authorOf = (comment: Values) => (typeof comment.authorName === 'string' ? comment.authorName : 'someone else');
