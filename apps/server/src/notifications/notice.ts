import type { CommentSubject } from '@bascule/plan-model';
import type { NotificationKind } from './notification-kinds.js';

/**
 * Something one change to a plan tells some people: who (members by user id, and the plan's
 * approvers when `toApprovers`), of what, about which entry. Who is told is settled when it is
 * written (NotificationsService): people who may no longer read the plan, and the author, are not.
 */
export interface Notice {
  readonly kind: Exclude<NotificationKind, 'DIGEST'>;
  readonly planId: string;
  readonly to: readonly string[];
  readonly toApprovers?: true;
  readonly subject: CommentSubject;
  readonly entryId: string | null;
  readonly commentId: string | null;
  /** The entry's title, or the plan's. */
  readonly title: string;
  /** A comment's text (Markdown-light, as written; its first 500 characters), or null. */
  readonly excerpt: string | null;
  /** Who did it; the clock (a milestone due soon) has no name. */
  readonly actor: { readonly userId: string | null; readonly name: string | null };
  readonly data?: Readonly<Record<string, unknown>>;
}
