import { type Comment, commentPlainText, type CommentThread, mentionsIn } from '@bascule/plan-model';
import type { CommentModel, CommentThreadModel } from './comment.models.js';

const instant = (value: string | null) => (value === null ? null : new Date(value));

export const toCommentModel = (comment: Comment): CommentModel => ({
  id: comment.id,
  subject: comment.subject,
  entryId: comment.entryId,
  threadId: comment.threadId,
  body: comment.body,
  bodyText: commentPlainText(comment.body),
  mentions: mentionsIn(comment.body),
  authorId: comment.authorId,
  authorName: comment.authorName,
  createdAt: instant(comment.createdAt),
  editedAt: instant(comment.editedAt),
});

export const toThreadModel = (thread: CommentThread): CommentThreadModel => ({
  id: thread.id,
  subject: thread.subject,
  entryId: thread.entryId,
  state: thread.state,
  resolvedBy: thread.first?.resolvedBy ?? null,
  resolvedAt: instant(thread.first?.resolvedAt ?? null),
  first: thread.first === null ? null : toCommentModel(thread.first),
  replies: thread.replies.map(toCommentModel),
  lastAt: instant(thread.lastAt === '' ? null : thread.lastAt),
});
