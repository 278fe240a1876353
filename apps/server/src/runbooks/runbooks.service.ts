import { Inject, Injectable } from '@nestjs/common';
import {
  applyRehearsalDurations,
  applyRunbookTemplate,
  copyForRehearsal,
  createEntry,
  deleteEntry,
  findRunbookTemplate,
  type Language,
  type Localized,
  moveEntry,
  type NewRunbook,
  pick,
  type PlanContent,
  PLAN_TEMPLATES,
  readEntryValues,
  readPlan,
  type Runbook,
  type RunbookTemplate,
  runbookTemplatesFor,
  UnknownEntryError,
  updateEntry,
  type Vote,
  TASK_EXECUTION_FIELDS,
} from '@bascule/plan-model';
import type * as Y from 'yjs';
import type { AuthContext } from '../access/auth-context.js';
import { PlanDocumentService } from '../collab/plan-document.service.js';
import { AppError } from '../common/errors.js';
import { requireText } from '../common/validation.js';
import { CLOCK, type Clock } from '../core/core.module.js';
import { PlanEditService } from '../plan-api/plan-edit.service.js';
import { PlanReadService } from '../plan-api/plan-read.service.js';
import type { PlanRole } from '../plans/entities.js';
import { PlansService } from '../plans/plans.service.js';
import { type Caller, callerOf } from './models/runbook.mappers.js';
import { type RunbookView, runbookViews, type TaskView } from './runbook-views.js';

type Values = Record<string, unknown>;

const REHEARSAL: Localized = { fr: 'Répétition', en: 'Rehearsal' };

/** Titles are at most 200 characters: a rehearsal's is cut to fit. */
const rehearsalTitle = (language: Language, title: string) =>
  [...`${pick(REHEARSAL, language)} – ${title}`].slice(0, 200).join('');

/** The language the server writes the plan's texts in. */
const languageOf = (doc: Y.Doc): Language => readPlan(doc).meta.language;

/** An instant given as a GraphQL DateTime, as the document writes it (ISO 8601); an impossible one is refused. */
function instantOf(value: unknown, field: string): unknown {
  if (!(value instanceof Date)) return value;
  if (Number.isNaN(value.getTime()))
    throw new AppError('BAD_USER_INPUT', `${field} must be an ISO 8601 instant.`, { field });
  return value.toISOString();
}

/** The values a caller gave (GraphQL leaves the others undefined, which means "unchanged"), instants as ISO 8601. */
function given(input: object): Values {
  return Object.fromEntries(
    Object.entries(input)
      .filter(([, value]) => value !== undefined)
      .map(([field, value]) => [field, instantOf(value, field)]),
  );
}

/** A task's predecessors and rollback task belong to its own runbook. */
function checkSameRunbook(doc: Y.Doc, runbookId: unknown, values: Values): void {
  const named: [string, unknown][] = [
    ...(Array.isArray(values.dependsOn) ? values.dependsOn : []).map((id): [string, unknown] => ['dependsOn', id]),
    ['rollbackTaskId', values.rollbackTaskId],
  ];
  for (const [field, id] of named) {
    if (typeof id !== 'string') continue;
    const other = readEntryValues(doc, 'runbookTasks', id);
    if (other !== null && other.runbookId !== runbookId)
      throw new AppError('BAD_USER_INPUT', `${field}: task ${id} belongs to another runbook.`, { field });
  }
}

/** The plan template a plan was made from, recognized by its source platform and target offer; null if none. */
function planTemplateOf(meta: { sourcePlatform: string | null; targetOfferId: string | null }): string | null {
  const template = PLAN_TEMPLATES.find(
    (candidate) =>
      candidate.targetOfferId === meta.targetOfferId &&
      Object.values(candidate.sourcePlatform).includes(meta.sourcePlatform ?? ''),
  );
  return template?.id ?? null;
}

/**
 * A plan's cutover runbooks. They live in the plan's document: reads compute the live view from the
 * live document at the server's clock; changes go through the plan's one write path (PlanEditService),
 * so the governance rules judge them as they judge a socket's.
 */
@Injectable()
export class RunbooksService {
  constructor(
    private readonly plans: PlansService,
    private readonly documents: PlanDocumentService,
    private readonly edits: PlanEditService,
    private readonly reads: PlanReadService,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  /** The caller on a plan they may see (NOT_FOUND or FORBIDDEN otherwise). */
  async callerOn(auth: AuthContext, planId: string): Promise<Caller> {
    const { role } = await this.plans.require(auth, planId, 'VIEWER');
    return callerOf(auth, role);
  }

  /** Every runbook of a plan the caller reads with `role` (access already checked). */
  async views(auth: AuthContext, planId: string, role: PlanRole): Promise<{ views: RunbookView[]; caller: Caller }> {
    return { views: await this.compute(planId), caller: callerOf(auth, role) };
  }

  async runbook(auth: AuthContext, planId: string, runbookId: string): Promise<{ view: RunbookView; caller: Caller }> {
    const caller = await this.callerOn(auth, planId);
    const [view] = await this.compute(planId, (runbook) => runbook.id === runbookId);
    if (view === undefined) throw new AppError('NOT_FOUND', `There is no runbook ${runbookId} in this plan.`);
    return { view, caller };
  }

  async task(auth: AuthContext, planId: string, taskId: string): Promise<{ view: TaskView; caller: Caller }> {
    const caller = await this.callerOn(auth, planId);
    const content = await this.read(planId);
    const runbookId = content.runbookTasks.find((task) => task.id === taskId)?.runbookId;
    const view = this.viewsOf(content, (runbook) => runbook.id === runbookId)
      .flatMap((found) => found.tasks)
      .find((found) => found.task.id === taskId);
    if (view === undefined) throw new AppError('NOT_FOUND', `There is no runbook task ${taskId} in this plan.`);
    return { view, caller };
  }

  async vote(auth: AuthContext, planId: string, voteId: string) {
    await this.callerOn(auth, planId);
    const vote = (await this.read(planId)).runbookVotes.find((found) => found.id === voteId);
    if (vote === undefined) throw new AppError('NOT_FOUND', `There is no vote ${voteId} in this plan.`);
    return vote;
  }

  /** Every runbook template, those made for the plan's kind of migration first (with `planId`). */
  async templates(auth: AuthContext, planId: string | null): Promise<{ template: RunbookTemplate; suited: boolean }[]> {
    const planTemplate = planId === null ? null : planTemplateOf((await this.reads.one(auth, planId)).summary);
    return runbookTemplatesFor(planTemplate).map((template) => ({
      template,
      suited: planTemplate !== null && template.planTemplates.includes(planTemplate),
    }));
  }

  async createRunbook(
    auth: AuthContext,
    planId: string,
    input: { title: string; t0?: Date | null; milestoneId?: string | null; wave?: number | null },
    templateId: string | null,
  ): Promise<string> {
    const template = templateId === null ? null : findRunbookTemplate(templateId);
    if (template === undefined)
      throw new AppError('NOT_FOUND', `There is no runbook template ${templateId}.`, { field: 'templateId' });
    const runbook: NewRunbook = {
      title: requireText(input.title, 'title', 200),
      t0: instantOf(input.t0, 't0') as string | null | undefined,
      milestoneId: input.milestoneId,
      wave: input.wave,
    };
    const values = given(runbook);
    return this.edits.edit(auth, planId, values, (doc) =>
      template === null
        ? createEntry(doc, 'runbooks', values)
        : applyRunbookTemplate(doc, template, { ...runbook, language: languageOf(doc) }),
    );
  }

  async updateRunbook(auth: AuthContext, planId: string, runbookId: string, patch: object): Promise<void> {
    const values = given(patch);
    if (typeof values.title === 'string') values.title = requireText(values.title, 'title', 200);
    await this.edits.edit(auth, planId, values, (doc) => updateEntry(doc, 'runbooks', runbookId, values));
  }

  /** Deletes a runbook with its tasks and their votes. */
  async deleteRunbook(auth: AuthContext, planId: string, runbookId: string): Promise<void> {
    await this.edits.edit(auth, planId, {}, (doc) => deleteEntry(doc, 'runbooks', runbookId));
  }

  /** Starts a runbook (RUNNING) or ends it (COMPLETED, ABORTED); the server stamps when. */
  async setRunbookState(
    auth: AuthContext,
    planId: string,
    runbookId: string,
    state: 'RUNNING' | 'COMPLETED' | 'ABORTED',
  ): Promise<void> {
    await this.edits.edit(auth, planId, {}, (doc) => updateEntry(doc, 'runbooks', runbookId, { state }));
  }

  async createTask(auth: AuthContext, planId: string, runbookId: string, input: object): Promise<string> {
    const values = given(input);
    return this.edits.edit(auth, planId, values, (doc) => {
      if (readEntryValues(doc, 'runbooks', runbookId) === null) throw new UnknownEntryError('runbooks', runbookId);
      checkSameRunbook(doc, runbookId, values);
      return createEntry(doc, 'runbookTasks', { ...values, runbookId });
    });
  }

  /** Changes a task's plan; how it runs is refused here (it has its own mutations). */
  async updateTask(auth: AuthContext, planId: string, taskId: string, patch: object): Promise<void> {
    const values = given(patch);
    // Its runbook and what it copies are not part of its plan either: they are set when it is made.
    const execution = Object.keys(values).find(
      (field) => TASK_EXECUTION_FIELDS.has(field) || field === 'runbookId' || field === 'sourceTaskId',
    );
    if (execution !== undefined)
      throw new AppError(
        'BAD_USER_INPUT',
        `${execution} is not part of a task's plan: a task runs through startTask, finishTask, failTask, skipTask and vote.`,
        { field: execution },
      );
    await this.edits.edit(auth, planId, values, (doc) => {
      checkSameRunbook(doc, readEntryValues(doc, 'runbookTasks', taskId)?.runbookId, values);
      updateEntry(doc, 'runbookTasks', taskId, values);
    });
  }

  /** Deletes a task (and the votes on it); returns its runbook's id. */
  async deleteTask(auth: AuthContext, planId: string, taskId: string): Promise<string> {
    return this.edits.edit(auth, planId, {}, (doc) => {
      const task = readEntryValues(doc, 'runbookTasks', taskId);
      if (task === null) throw new UnknownEntryError('runbookTasks', taskId);
      deleteEntry(doc, 'runbookTasks', taskId);
      return task.runbookId as string;
    });
  }

  /** Moves a task to `index` (0 = first) among the tasks of its runbook. */
  async moveTask(auth: AuthContext, planId: string, taskId: string, index: number): Promise<void> {
    await this.edits.edit(auth, planId, {}, (doc) => {
      const tasks = readPlan(doc).runbookTasks;
      const moved = tasks.find((task) => task.id === taskId);
      if (moved === undefined) throw new UnknownEntryError('runbookTasks', taskId);
      if (!Number.isInteger(index) || index < 0)
        throw new AppError('BAD_USER_INPUT', 'index must be a whole number, 0 or more.', { field: 'index' });
      // Its place among all the plan's tasks: before the sibling now at `index`, else after the last one.
      const others = tasks.filter((task) => task.id !== taskId);
      const siblings = others.filter((task) => task.runbookId === moved.runbookId);
      const before = siblings[index];
      const last = siblings.at(-1);
      const at =
        before !== undefined ? others.indexOf(before) : last !== undefined ? others.indexOf(last) + 1 : others.length;
      moveEntry(doc, 'runbookTasks', taskId, at);
    });
  }

  /** Moves a task's status (the rules judge who may, and when); a task run again forgets why it failed. */
  async setTaskStatus(
    auth: AuthContext,
    planId: string,
    taskId: string,
    status: 'RUNNING' | 'DONE' | 'FAILED' | 'SKIPPED',
    reason?: string,
  ): Promise<void> {
    await this.edits.edit(auth, planId, {}, (doc) => {
      const current = readEntryValues(doc, 'runbookTasks', taskId);
      if (current === null) throw new UnknownEntryError('runbookTasks', taskId);
      const retried = status === 'RUNNING' && current.status === 'FAILED';
      updateEntry(doc, 'runbookTasks', taskId, {
        status,
        ...(reason !== undefined ? { reason } : retried ? { reason: null } : {}),
      });
    });
  }

  /** Casts the caller's vote on a go / no-go point; returns the vote's id. */
  async castVote(
    auth: AuthContext,
    planId: string,
    taskId: string,
    vote: Vote,
    comment: string | null,
  ): Promise<string> {
    return this.edits.edit(auth, planId, {}, (doc) => {
      if (readEntryValues(doc, 'runbookTasks', taskId) === null) throw new UnknownEntryError('runbookTasks', taskId);
      return createEntry(doc, 'runbookVotes', { taskId, vote, comment });
    });
  }

  /** Adds a rehearsal of a live runbook: a copy of its plan, titled in the plan's language; returns its id. */
  async startRehearsal(auth: AuthContext, planId: string, runbookId: string, t0: Date | null): Promise<string> {
    const start = instantOf(t0, 't0') as string | null;
    return this.edits.edit(auth, planId, {}, (doc) => {
      const source = readEntryValues(doc, 'runbooks', runbookId);
      if (source === null) throw new UnknownEntryError('runbooks', runbookId);
      if (source.kind === 'REHEARSAL')
        throw new AppError('BAD_USER_INPUT', 'runbookId is a rehearsal: rehearse the runbook it copies.', {
          field: 'runbookId',
        });
      return copyForRehearsal(doc, runbookId, {
        title: rehearsalTitle(languageOf(doc), String(source.title)),
        t0: start,
        startsAt: this.clock.now(),
      });
    });
  }

  /** Sets the rehearsed runbook's planned durations to what the rehearsal took; returns how many changed. */
  async applyRehearsalDurations(auth: AuthContext, planId: string, rehearsalId: string): Promise<number> {
    return this.edits.edit(auth, planId, {}, (doc) => applyRehearsalDurations(doc, rehearsalId));
  }

  /** The views of a plan's runbooks (those `wanted`) from its live document. */
  private async compute(planId: string, wanted?: (runbook: Runbook) => boolean): Promise<RunbookView[]> {
    return this.viewsOf(await this.read(planId), wanted);
  }

  /** The plan as its live document holds it now (the document is read, never copied). */
  private read(planId: string): Promise<PlanContent> {
    return this.documents.inspect(planId, (doc) => readPlan(doc));
  }

  /** At the server's clock. */
  private viewsOf(content: PlanContent, wanted?: (runbook: Runbook) => boolean): RunbookView[] {
    return runbookViews(content, this.clock.now().getTime(), wanted);
  }
}
