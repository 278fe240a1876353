import { ASSIGNABLE_COLLECTIONS, type CollectionName, type CommentSubject, mentionsIn } from '@bascule/plan-model';
import type { Notice } from '../notifications/notice.js';
import type { PlanMessage } from '../webhooks/webhooks.service.js';
import type { PlanChanged } from './plan-changed.js';

/** Collections whose entries may have an owner who is a member, runbook tasks included. */
const OWNED: ReadonlySet<string> = new Set([...ASSIGNABLE_COLLECTIONS, 'runbookTasks']);

const EXCERPT_MAX = 500;

/**
 * What a change tells people, beside the webhook events it gives rise to (`messages`, from which
 * the slipped milestones and the risks become critical are read): mentions in comments and in the
 * notes, new owners, checkpoints put to review (for the plan's approvers), slipped milestones and
 * critical risks (for their owners), and comments (for the owner of the entry and those who wrote
 * in the thread). The server's own corrections tell nobody; what a rule refused tells nobody.
 */
export function noticesOf(event: PlanChanged, messages: readonly PlanMessage[]): Notice[] {
  if (event.author.kind === 'system') return [];
  const refused = new Set(event.refusals.map((refusal) => refusal.entryId));
  const actor = { userId: event.author.userId, name: event.author.name };
  const planTitle = String(event.tracker.header().title ?? '');
  const notices: Notice[] = [];
  const titleOf = (collection: CommentSubject, entryId: string | null): string => {
    if (collection === 'plan' || entryId === null) return planTitle;
    const entry = event.tracker.entry(collection, entryId);
    return String(entry?.title ?? entry?.name ?? planTitle);
  };
  const ownerOf = (collection: CollectionName, entryId: string): string | null => {
    const owner = event.tracker.entry(collection, entryId)?.ownerId;
    return typeof owner === 'string' ? owner : null;
  };
  const notice = (
    kind: Notice['kind'],
    to: readonly string[],
    collection: CommentSubject,
    entryId: string | null,
    extra: Partial<Pick<Notice, 'commentId' | 'excerpt' | 'data' | 'toApprovers'>> = {},
  ) => {
    const people = [...new Set(to)].filter((userId) => userId !== actor.userId);
    if (people.length === 0 && extra.toApprovers !== true) return;
    notices.push({
      kind,
      planId: event.planId,
      to: people,
      subject: collection,
      entryId,
      commentId: extra.commentId ?? null,
      title: titleOf(collection, entryId).slice(0, 300),
      excerpt:
        extra.excerpt === undefined || extra.excerpt === null
          ? null
          : [...extra.excerpt].slice(0, EXCERPT_MAX).join(''),
      actor,
      ...(extra.data === undefined ? {} : { data: extra.data }),
      ...(extra.toApprovers === true ? { toApprovers: true as const } : {}),
    });
  };

  for (const change of event.changes) {
    if (change.collection === 'notes') {
      if (change.field !== 'mentions') continue;
      const before = new Set(change.before as string[]);
      notice(
        'MENTIONED',
        (change.after as string[]).filter((userId) => !before.has(userId)),
        'plan',
        null,
        { data: { inNotes: true } },
      );
      continue;
    }
    if (change.entryId === null || refused.has(change.entryId) || change.collection === 'plan') continue;
    const { collection, entryId } = change;
    const after = change.action === 'created' ? (change.after as Record<string, unknown>) : null;
    if (collection === 'comments') {
      const comment = event.tracker.entry('comments', entryId);
      if (comment === undefined) continue;
      const body = String(comment.body);
      // Where the server puts it (a reply, in its thread's place), whatever the client wrote.
      const { subject, entryId: about, threadId } = commentPlace(event, entryId, comment);
      const extra = { commentId: entryId, excerpt: body };
      if (change.action === 'created') {
        const mentioned = mentionsIn(body);
        notice('MENTIONED', mentioned, subject, about, extra);
        // Those who wrote in the thread before (this comment is the actor's, whatever it says).
        const writers = [...event.tracker.all('comments')]
          .filter((other) => other.id !== entryId && (other.id === threadId || other.threadId === threadId))
          .map((other) => other.authorId)
          .filter((userId): userId is string => typeof userId === 'string');
        const owner = subject === 'plan' || about === null ? null : ownerOf(subject, about);
        notice(
          'COMMENTED',
          [...(owner === null ? [] : [owner]), ...writers].filter((userId) => !mentioned.includes(userId)),
          subject,
          about,
          extra,
        );
      } else if (change.field === 'body') {
        const before = new Set(mentionsIn(String(change.before ?? '')));
        notice(
          'MENTIONED',
          mentionsIn(body).filter((userId) => !before.has(userId)),
          subject,
          about,
          extra,
        );
      }
      continue;
    }
    if (!OWNED.has(collection)) continue;
    const newOwner = after === null ? (change.field === 'ownerId' ? change.after : undefined) : after.ownerId;
    if (typeof newOwner === 'string' && newOwner !== change.before)
      notice('ASSIGNED', [newOwner], collection as CommentSubject, entryId, {
        data: { collection },
      });
    if (collection === 'checkpoints') {
      const status = after === null ? (change.field === 'status' ? change.after : undefined) : after.status;
      if (status === 'IN_REVIEW' && change.before !== 'IN_REVIEW')
        notice('APPROVAL_REQUESTED', [], 'checkpoints', entryId, { toApprovers: true });
    }
  }
  for (const message of messages) {
    if (message.event === 'milestone.slipped') {
      const milestoneId = String(message.data.milestoneId);
      const owner = ownerOf('milestones', milestoneId);
      if (owner !== null)
        notice('MILESTONE_SLIPPED', [owner], 'milestones', milestoneId, {
          data: { from: message.data.from, to: message.data.to },
        });
    } else if (message.event === 'risk.critical') {
      const riskId = String(message.data.riskId);
      const owner = ownerOf('risks', riskId);
      if (owner !== null) notice('RISK_CRITICAL', [owner], 'risks', riskId, { data: { score: message.data.score } });
    }
  }
  return notices;
}

/**
 * What a comment is about and its thread, as the server has it: a reply takes its thread's place
 * (the comment rules correct a client's other claim right after), and its thread is its first
 * comment's (a reply to a reply joins that one's thread).
 */
export function commentPlace(
  event: Pick<PlanChanged, 'tracker'>,
  commentId: string,
  comment: Readonly<Record<string, unknown>>,
): { subject: CommentSubject; entryId: string | null; threadId: string } {
  const answered = typeof comment.threadId === 'string' ? event.tracker.entry('comments', comment.threadId) : undefined;
  const threadId =
    answered === undefined
      ? commentId
      : typeof answered.threadId === 'string'
        ? answered.threadId
        : String(answered.id);
  const first = threadId === commentId ? comment : (event.tracker.entry('comments', threadId) ?? answered ?? comment);
  const subject = first.subject as CommentSubject;
  return { subject, entryId: subject === 'plan' || typeof first.entryId !== 'string' ? null : first.entryId, threadId };
}
