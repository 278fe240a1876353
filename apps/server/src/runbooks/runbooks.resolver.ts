import { Args, Context, ID, Int, Mutation, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import { type Language, pick, type RunbookStage } from '@bascule/plan-model';
import type { AuthContext } from '../access/auth-context.js';
import { CurrentAuth } from '../access/current-auth.decorator.js';
import { Allow } from '../access/permissions.js';
import { RequestLanguage } from '../access/request-language.decorator.js';
import { AppError } from '../common/errors.js';
import { type PlanResult, toPlanModel } from '../plan-api/models/plan.mappers.js';
import { PlanModel } from '../plan-api/models/plan.models.js';
import { PlanReadService } from '../plan-api/plan-read.service.js';
import type { PlanRole } from '../plans/entities.js';
import { CreateRunbookInput, RunbookPatch } from './models/runbook-inputs.js';
import { toRunbookModel } from './models/runbook.mappers.js';
import { RunbookModel, RunbookOutcomeEnum, RunbookTemplateModel } from './models/runbook.models.js';
import { RunbooksService } from './runbooks.service.js';

/**
 * Plans whose runbooks one request may read: each is computed from the plan's live document, which
 * is loaded for it, so a list of plans does not get them all.
 */
const MAX_PLANS_WITH_RUNBOOKS = 10;
const plansRead = new WeakMap<object, Set<string>>();

/**
 * A plan's cutover runbooks: the list on Plan, one runbook, the templates, and the changes to
 * runbooks as a whole (their tasks: RunbookTasksResolver). Each change is made on the plan's live
 * document through its one write path and answers with the runbook as it then is.
 */
@Resolver(() => PlanModel)
export class RunbooksResolver {
  constructor(
    private readonly service: RunbooksService,
    private readonly reads: PlanReadService,
  ) {}

  @ResolveField('runbooks', () => [RunbookModel], {
    description: `The plan's cutover runbooks and rehearsals, with their live view; for at most ${MAX_PLANS_WITH_RUNBOOKS} plans in one request.`,
  })
  async planRunbooks(
    @Parent() plan: PlanResult,
    @CurrentAuth() auth: AuthContext,
    @Context() context: object,
  ): Promise<RunbookModel[]> {
    const read = plansRead.get(context) ?? new Set<string>();
    plansRead.set(context, read.add(plan.id));
    if (read.size > MAX_PLANS_WITH_RUNBOOKS)
      throw new AppError(
        'BAD_USER_INPUT',
        `Runbooks can be read for at most ${MAX_PLANS_WITH_RUNBOOKS} plans in one request.`,
      );
    const { views, caller } = await this.service.views(auth, plan.id, plan.viewerRole as PlanRole);
    return views.map((view) => toRunbookModel(view, caller));
  }

  @Allow('plans.read')
  @Query(() => RunbookModel, { description: 'One runbook (or rehearsal) of a plan you may see, with its live view.' })
  async runbook(
    @CurrentAuth() auth: AuthContext,
    @Args('planId', { type: () => ID }) planId: string,
    @Args('id', { type: () => ID }) id: string,
  ): Promise<RunbookModel> {
    const { view, caller } = await this.service.runbook(auth, planId, id);
    return toRunbookModel(view, caller);
  }

  @Allow('plans.read')
  @Query(() => [RunbookTemplateModel], {
    description:
      'Runbook templates createRunbook can start from, in your language; with planId, those made for that plan come first (suited).',
  })
  async runbookTemplates(
    @CurrentAuth() auth: AuthContext,
    @RequestLanguage() language: Language,
    @Args('planId', { type: () => ID, nullable: true }) planId: string | null,
  ): Promise<RunbookTemplateModel[]> {
    const templates = await this.service.templates(auth, planId ?? null);
    return templates.map(({ template, suited }) => ({
      id: template.id,
      title: pick(template.title, language),
      description: pick(template.description, language),
      suited,
      taskCount: template.tasks.filter((task) => task.decision !== true).length,
      decisionCount: template.tasks.filter((task) => task.decision === true).length,
      stages: [...new Set<RunbookStage>(template.tasks.map((task) => task.stage))],
    }));
  }

  @Allow('plans.write')
  @Mutation(() => RunbookModel, {
    description:
      'Adds a runbook to the plan, empty or seeded from a template (its texts in the plan’s language). PLANNING until started.',
  })
  async createRunbook(
    @CurrentAuth() auth: AuthContext,
    @Args('planId', { type: () => ID }) planId: string,
    @Args('input') input: CreateRunbookInput,
  ): Promise<RunbookModel> {
    const { templateId, ...fields } = input;
    const id = await this.service.createRunbook(auth, planId, fields, templateId ?? null);
    return this.answer(auth, planId, id);
  }

  @Allow('plans.write')
  @Mutation(() => RunbookModel, { description: 'Changes the given fields of a runbook; null clears a field.' })
  async updateRunbook(
    @CurrentAuth() auth: AuthContext,
    @Args('planId', { type: () => ID }) planId: string,
    @Args('id', { type: () => ID }) id: string,
    @Args('input') input: RunbookPatch,
  ): Promise<RunbookModel> {
    await this.service.updateRunbook(auth, planId, id, input);
    return this.answer(auth, planId, id);
  }

  @Allow('plans.write')
  @Mutation(() => PlanModel, { description: 'Deletes a runbook with its tasks and votes; returns the plan.' })
  async deleteRunbook(
    @CurrentAuth() auth: AuthContext,
    @Args('planId', { type: () => ID }) planId: string,
    @Args('id', { type: () => ID }) id: string,
  ): Promise<PlanResult> {
    await this.service.deleteRunbook(auth, planId, id);
    return toPlanModel(await this.reads.one(auth, planId));
  }

  @Allow('plans.write')
  @Mutation(() => RunbookModel, {
    description: 'Starts a runbook (RUNNING): its tasks may start. Plan OWNER or EDITOR; the server stamps startedAt.',
  })
  async startRunbook(
    @CurrentAuth() auth: AuthContext,
    @Args('planId', { type: () => ID }) planId: string,
    @Args('id', { type: () => ID }) id: string,
  ): Promise<RunbookModel> {
    await this.service.setRunbookState(auth, planId, id, 'RUNNING');
    return this.answer(auth, planId, id);
  }

  @Allow('plans.write')
  @Mutation(() => RunbookModel, {
    description:
      'Ends a runbook, COMPLETED or ABORTED (it completes by itself when its last task ends). Plan OWNER or EDITOR.',
  })
  async endRunbook(
    @CurrentAuth() auth: AuthContext,
    @Args('planId', { type: () => ID }) planId: string,
    @Args('id', { type: () => ID }) id: string,
    @Args('outcome', { type: () => RunbookOutcomeEnum }) outcome: 'COMPLETED' | 'ABORTED',
  ): Promise<RunbookModel> {
    await this.service.setRunbookState(auth, planId, id, outcome);
    return this.answer(auth, planId, id);
  }

  @Allow('plans.write')
  @Mutation(() => RunbookModel, {
    description:
      'Adds a rehearsal (dry run) of a runbook: a copy of its tasks’ plan, to run like the runbook; returns the rehearsal.',
  })
  async startRehearsal(
    @CurrentAuth() auth: AuthContext,
    @Args('planId', { type: () => ID }) planId: string,
    @Args('runbookId', { type: () => ID }) runbookId: string,
    @Args('t0', {
      type: () => Date,
      nullable: true,
      description: 'Its T0; by default, such that its first task is planned now.',
    })
    t0: Date | null,
  ): Promise<RunbookModel> {
    const id = await this.service.startRehearsal(auth, planId, runbookId, t0 ?? null);
    return this.answer(auth, planId, id);
  }

  @Allow('plans.write')
  @Mutation(() => Int, {
    description:
      'Sets the planned duration of each task of the rehearsed runbook to what it took in this rehearsal (tasks done in it); returns how many changed.',
  })
  applyRehearsalDurations(
    @CurrentAuth() auth: AuthContext,
    @Args('planId', { type: () => ID }) planId: string,
    @Args('rehearsalId', { type: () => ID }) rehearsalId: string,
  ): Promise<number> {
    return this.service.applyRehearsalDurations(auth, planId, rehearsalId);
  }

  private async answer(auth: AuthContext, planId: string, id: string): Promise<RunbookModel> {
    const { view, caller } = await this.service.runbook(auth, planId, id);
    return toRunbookModel(view, caller);
  }
}
