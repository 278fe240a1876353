import { Args, ID, Int, Mutation, Resolver } from '@nestjs/graphql';
import type { Vote } from '@bascule/plan-model';
import type { AuthContext } from '../access/auth-context.js';
import { CurrentAuth } from '../access/current-auth.decorator.js';
import { Allow } from '../access/permissions.js';
import { RunbookTaskInput, RunbookTaskPatch } from './models/runbook-inputs.js';
import { toRunbookModel, toRunbookTaskModel, toRunbookVoteModel } from './models/runbook.mappers.js';
import { GoNoGoEnum, RunbookModel, RunbookTaskModel, RunbookVoteModel } from './models/runbook.models.js';
import { RunbooksService } from './runbooks.service.js';

/**
 * A runbook's tasks: their plan (create, update, delete, move) and how they run (start, finish,
 * fail, skip, vote), each judged by the plan's governance rules as a socket's change would be, and
 * answered with the task as it then is.
 */
@Resolver(() => RunbookTaskModel)
export class RunbookTasksResolver {
  constructor(private readonly runbooks: RunbooksService) {}

  @Allow('plans.write')
  @Mutation(() => RunbookTaskModel, { description: 'Adds a task at the end of a runbook.' })
  async createRunbookTask(
    @CurrentAuth() auth: AuthContext,
    @Args('planId', { type: () => ID }) planId: string,
    @Args('runbookId', { type: () => ID }) runbookId: string,
    @Args('input') input: RunbookTaskInput,
  ): Promise<RunbookTaskModel> {
    const id = await this.runbooks.createTask(auth, planId, runbookId, input);
    return this.answer(auth, planId, id);
  }

  @Allow('plans.write')
  @Mutation(() => RunbookTaskModel, {
    description: 'Changes the given fields of a task’s plan; null clears a field. How it runs is not changed here.',
  })
  async updateRunbookTask(
    @CurrentAuth() auth: AuthContext,
    @Args('planId', { type: () => ID }) planId: string,
    @Args('id', { type: () => ID }) id: string,
    @Args('input') input: RunbookTaskPatch,
  ): Promise<RunbookTaskModel> {
    await this.runbooks.updateTask(auth, planId, id, input);
    return this.answer(auth, planId, id);
  }

  @Allow('plans.write')
  @Mutation(() => RunbookModel, {
    description: 'Deletes a task, the votes on it and every reference to it; returns its runbook.',
  })
  async deleteRunbookTask(
    @CurrentAuth() auth: AuthContext,
    @Args('planId', { type: () => ID }) planId: string,
    @Args('id', { type: () => ID }) id: string,
  ): Promise<RunbookModel> {
    const runbookId = await this.runbooks.deleteTask(auth, planId, id);
    const { view, caller } = await this.runbooks.runbook(auth, planId, runbookId);
    return toRunbookModel(view, caller);
  }

  @Allow('plans.write')
  @Mutation(() => RunbookTaskModel, { description: 'Moves a task to a place among its runbook’s tasks (0 = first).' })
  async moveRunbookTask(
    @CurrentAuth() auth: AuthContext,
    @Args('planId', { type: () => ID }) planId: string,
    @Args('id', { type: () => ID }) id: string,
    @Args('index', { type: () => Int }) index: number,
  ): Promise<RunbookTaskModel> {
    await this.runbooks.moveTask(auth, planId, id, index);
    return this.answer(auth, planId, id);
  }

  @Allow('plans.write')
  @Mutation(() => RunbookTaskModel, {
    description:
      'Starts a task (RUNNING), or runs a FAILED one again: its owner or a plan OWNER or EDITOR, while the runbook runs and nothing stands in its way.',
  })
  async startTask(
    @CurrentAuth() auth: AuthContext,
    @Args('planId', { type: () => ID }) planId: string,
    @Args('id', { type: () => ID }) id: string,
  ): Promise<RunbookTaskModel> {
    await this.runbooks.setTaskStatus(auth, planId, id, 'RUNNING');
    return this.answer(auth, planId, id);
  }

  @Allow('plans.write')
  @Mutation(() => RunbookTaskModel, { description: 'Marks a running task DONE.' })
  async finishTask(
    @CurrentAuth() auth: AuthContext,
    @Args('planId', { type: () => ID }) planId: string,
    @Args('id', { type: () => ID }) id: string,
  ): Promise<RunbookTaskModel> {
    await this.runbooks.setTaskStatus(auth, planId, id, 'DONE');
    return this.answer(auth, planId, id);
  }

  @Allow('plans.write')
  @Mutation(() => RunbookTaskModel, {
    description: 'Marks a running task FAILED, with the reason (required); rollback tasks may then run.',
  })
  async failTask(
    @CurrentAuth() auth: AuthContext,
    @Args('planId', { type: () => ID }) planId: string,
    @Args('id', { type: () => ID }) id: string,
    @Args('reason', { type: () => String }) reason: string,
  ): Promise<RunbookTaskModel> {
    await this.runbooks.setTaskStatus(auth, planId, id, 'FAILED', reason);
    return this.answer(auth, planId, id);
  }

  @Allow('plans.write')
  @Mutation(() => RunbookTaskModel, {
    description: 'Skips a pending or failed task, with the reason (required); what follows it may start.',
  })
  async skipTask(
    @CurrentAuth() auth: AuthContext,
    @Args('planId', { type: () => ID }) planId: string,
    @Args('id', { type: () => ID }) id: string,
    @Args('reason', { type: () => String }) reason: string,
  ): Promise<RunbookTaskModel> {
    await this.runbooks.setTaskStatus(auth, planId, id, 'SKIPPED', reason);
    return this.answer(auth, planId, id);
  }

  @Allow('plans.write')
  @Mutation(() => RunbookVoteModel, {
    description:
      'Votes GO or NO_GO on a go / no-go point (its approvers; none named: a plan OWNER or APPROVER), once. A GO is refused while a gating checkpoint is open. The server stamps the voter and the time.',
  })
  async vote(
    @CurrentAuth() auth: AuthContext,
    @Args('planId', { type: () => ID }) planId: string,
    @Args('taskId', { type: () => ID }) taskId: string,
    @Args('vote', { type: () => GoNoGoEnum }) vote: Vote,
    @Args('comment', { type: () => String, nullable: true }) comment: string | null,
  ): Promise<RunbookVoteModel> {
    const id = await this.runbooks.castVote(auth, planId, taskId, vote, comment ?? null);
    return toRunbookVoteModel(await this.runbooks.vote(auth, planId, id));
  }

  private async answer(auth: AuthContext, planId: string, id: string): Promise<RunbookTaskModel> {
    const { view, caller } = await this.runbooks.task(auth, planId, id);
    return toRunbookTaskModel(view, caller);
  }
}
