import { Args, ID, Int, Mutation, Parent, ResolveField, Resolver } from '@nestjs/graphql';
import type { CommentSubject, ThreadState } from '@bascule/plan-model';
import type { AuthContext } from '../access/auth-context.js';
import { CurrentAuth } from '../access/current-auth.decorator.js';
import { Allow } from '../access/permissions.js';
import { toUser } from '../identity/models/mappers.js';
import { UserModel } from '../identity/models/identity.models.js';
import type { PlanResult } from '../plan-api/models/plan.mappers.js';
import { PlanModel } from '../plan-api/models/plan.models.js';
import { CommentsService } from './comments.service.js';
import { toCommentModel, toThreadModel } from './models/comment.mappers.js';
import {
  CommentInput,
  CommentModel,
  CommentSubjectEnum,
  CommentThreadModel,
  ThreadStateEnum,
} from './models/comment.models.js';

/**
 * A plan's conversation: its threads on Plan, and the changes to comments. Each change is made on the
 * plan's live document through its one write path, so browsers see it at once, and the trail keeps it.
 */
@Resolver(() => PlanModel)
export class CommentsResolver {
  constructor(private readonly service: CommentsService) {}

  @ResolveField('commentThreads', () => [CommentThreadModel], {
    description:
      'The plan’s comment threads, the most recently active first: all of them, or those about one entry (subject and entryId) or about the plan (subject plan).',
  })
  async commentThreads(
    @Parent() plan: PlanResult,
    @CurrentAuth() auth: AuthContext,
    @Args('subject', { type: () => CommentSubjectEnum, nullable: true }) subject: CommentSubject | null,
    @Args('entryId', { type: () => ID, nullable: true }) entryId: string | null,
    @Args('state', { type: () => ThreadStateEnum, nullable: true }) state: ThreadState | null,
    @Args('first', { type: () => Int, defaultValue: 50 }) first: number,
  ): Promise<CommentThreadModel[]> {
    const threads = await this.service.threads(auth, plan.id, { subject, entryId, state, first });
    return threads.map(toThreadModel);
  }

  @ResolveField('mentionable', () => [UserModel], {
    description: 'The people who may read the plan, by name: whom a comment or the notes may mention.',
  })
  async mentionable(@Parent() plan: PlanResult, @CurrentAuth() auth: AuthContext): Promise<UserModel[]> {
    return (await this.service.mentionable(auth, plan.id)).map((reader) => toUser(reader.user));
  }

  @Allow('plans.write')
  @Mutation(() => CommentModel, {
    description:
      'Writes a comment on the plan or one of its entries, or a reply in a thread. Anyone who may read the plan may comment; the server stamps the author and time; mentioned members are notified.',
  })
  async addComment(
    @CurrentAuth() auth: AuthContext,
    @Args('planId', { type: () => ID }) planId: string,
    @Args('input') input: CommentInput,
  ): Promise<CommentModel> {
    const id = await this.service.add(auth, planId, {
      subject: (input.subject ?? null) as CommentSubject | null,
      entryId: input.entryId ?? null,
      threadId: input.threadId ?? null,
      body: input.body,
    });
    return toCommentModel(await this.service.comment(auth, planId, id));
  }

  @Allow('plans.write')
  @Mutation(() => CommentModel, { description: 'Changes the text of your own comment.' })
  async editComment(
    @CurrentAuth() auth: AuthContext,
    @Args('planId', { type: () => ID }) planId: string,
    @Args('id', { type: () => ID }) id: string,
    @Args('body') body: string,
  ): Promise<CommentModel> {
    await this.service.edit(auth, planId, id, body);
    return toCommentModel(await this.service.comment(auth, planId, id));
  }

  @Allow('plans.write')
  @Mutation(() => ID, { description: 'Deletes your own comment; returns its id. A first comment’s replies stay.' })
  async deleteComment(
    @CurrentAuth() auth: AuthContext,
    @Args('planId', { type: () => ID }) planId: string,
    @Args('id', { type: () => ID }) id: string,
  ): Promise<string> {
    await this.service.remove(auth, planId, id);
    return id;
  }

  @Allow('plans.write')
  @Mutation(() => CommentThreadModel, {
    description: 'Resolves a thread (RESOLVED) or reopens it (OPEN); the server stamps who and when.',
  })
  async setThreadState(
    @CurrentAuth() auth: AuthContext,
    @Args('planId', { type: () => ID }) planId: string,
    @Args('threadId', { type: () => ID, description: 'The thread’s first comment.' }) threadId: string,
    @Args('state', { type: () => ThreadStateEnum }) state: ThreadState,
  ): Promise<CommentThreadModel> {
    await this.service.setThreadState(auth, planId, threadId, state);
    return toThreadModel(await this.service.thread(auth, planId, threadId));
  }
}
