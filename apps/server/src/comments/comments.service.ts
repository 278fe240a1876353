import { Injectable } from '@nestjs/common';
import {
  type Comment,
  type CommentSubject,
  type CommentThread,
  commentThreads,
  createEntry,
  deleteEntry,
  readEntryValues,
  readPlan,
  type ThreadState,
  UnknownEntryError,
  updateEntry,
} from '@bascule/plan-model';
import type { AuthContext } from '../access/auth-context.js';
import { PlanDocumentService } from '../collab/plan-document.service.js';
import { AppError } from '../common/errors.js';
import { requireText } from '../common/validation.js';
import { PlanAudience, type PlanReader } from '../notifications/plan-audience.js';
import { PlanEditService } from '../plan-api/plan-edit.service.js';
import { PlansService } from '../plans/plans.service.js';

const BODY_MAX = 10_000;
const THREADS_MAX = 200;

/**
 * A plan's conversation through the API. Comments live in the plan's document like its entries:
 * reads come from the live document, writes go through the plan's one write path, where the rules
 * judge them as they judge a socket's (only authors edit or delete, the server stamps who and when).
 * Anyone who may read the plan takes part, through a token that may write.
 */
@Injectable()
export class CommentsService {
  constructor(
    private readonly plans: PlansService,
    private readonly documents: PlanDocumentService,
    private readonly edits: PlanEditService,
    private readonly audience: PlanAudience,
  ) {}

  async threads(
    auth: AuthContext,
    planId: string,
    filter: { subject?: CommentSubject | null; entryId?: string | null; state?: ThreadState | null; first: number },
  ): Promise<CommentThread[]> {
    await this.plans.require(auth, planId, 'VIEWER');
    if (!Number.isInteger(filter.first) || filter.first < 1 || filter.first > THREADS_MAX)
      throw new AppError('BAD_USER_INPUT', `first must be between 1 and ${THREADS_MAX}.`, { field: 'first' });
    const comments = await this.comments(planId);
    const about =
      filter.subject === undefined || filter.subject === null
        ? undefined
        : { subject: filter.subject, entryId: filter.subject === 'plan' ? null : (filter.entryId ?? null) };
    return commentThreads(comments, about)
      .filter((thread) => filter.state === undefined || filter.state === null || thread.state === filter.state)
      .slice(0, filter.first);
  }

  async thread(auth: AuthContext, planId: string, threadId: string): Promise<CommentThread> {
    await this.plans.require(auth, planId, 'VIEWER');
    const thread = commentThreads(await this.comments(planId)).find((found) => found.id === threadId);
    if (thread === undefined) throw new AppError('NOT_FOUND', `There is no comment thread ${threadId} in this plan.`);
    return thread;
  }

  async comment(auth: AuthContext, planId: string, id: string): Promise<Comment> {
    await this.plans.require(auth, planId, 'VIEWER');
    const comment = (await this.comments(planId)).find((found) => found.id === id);
    if (comment === undefined) throw new AppError('NOT_FOUND', `There is no comment ${id} in this plan.`);
    return comment;
  }

  /** Writes a comment, or a reply in a thread; returns its id. */
  async add(
    auth: AuthContext,
    planId: string,
    input: { subject?: CommentSubject | null; entryId?: string | null; threadId?: string | null; body: string },
  ): Promise<string> {
    const body = requireText(input.body, 'body', BODY_MAX);
    return this.edits.edit(
      auth,
      planId,
      {},
      (doc) => {
        const threadId = input.threadId ?? null;
        if (threadId !== null && readEntryValues(doc, 'comments', threadId) === null)
          throw new UnknownEntryError('comments', threadId);
        const subject = input.subject ?? 'plan';
        const entryId = subject === 'plan' ? null : (input.entryId ?? null);
        if (
          threadId === null &&
          subject !== 'plan' &&
          (entryId === null || readEntryValues(doc, subject, entryId) === null)
        )
          throw new AppError('NOT_FOUND', `There is no ${subject} entry ${String(entryId)} in this plan.`);
        return createEntry(doc, 'comments', { subject, entryId, threadId, body });
      },
      { readersMay: true },
    );
  }

  /** Changes the text of one's own comment. */
  async edit(auth: AuthContext, planId: string, id: string, body: string): Promise<void> {
    const text = requireText(body, 'body', BODY_MAX);
    await this.edits.edit(auth, planId, {}, (doc) => updateEntry(doc, 'comments', id, { body: text }), {
      readersMay: true,
    });
  }

  /** Deletes one's own comment (a first comment's replies stay in its thread). */
  async remove(auth: AuthContext, planId: string, id: string): Promise<void> {
    await this.edits.edit(auth, planId, {}, (doc) => deleteEntry(doc, 'comments', id), { readersMay: true });
  }

  /** Resolves or reopens a thread (named by its first comment). */
  async setThreadState(auth: AuthContext, planId: string, threadId: string, state: ThreadState): Promise<void> {
    await this.edits.edit(
      auth,
      planId,
      {},
      (doc) => {
        const first = readEntryValues(doc, 'comments', threadId);
        if (first === null) throw new UnknownEntryError('comments', threadId);
        if (typeof first.threadId === 'string')
          throw new AppError('BAD_USER_INPUT', 'threadId names a reply: a thread is named by its first comment.', {
            field: 'threadId',
          });
        updateEntry(doc, 'comments', threadId, { state });
      },
      { readersMay: true },
    );
  }

  /** The people who may read the plan: those a comment or the notes may mention. */
  async mentionable(auth: AuthContext, planId: string): Promise<PlanReader[]> {
    await this.plans.require(auth, planId, 'VIEWER');
    return this.audience.readers(planId);
  }

  private comments(planId: string): Promise<readonly Comment[]> {
    return this.documents.inspect(planId, (doc) => readPlan(doc).comments);
  }
}
