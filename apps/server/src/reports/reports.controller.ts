import { Controller, Get, Inject, Param, Query, Res } from '@nestjs/common';
import { commentThreads, dayOf, type Language, readPlan } from '@bascule/plan-model';
import type { Response } from 'express';
import { DataSource, In } from 'typeorm';
import { z } from 'zod';
import type { AuthContext } from '../access/auth-context.js';
import { CurrentAuth } from '../access/current-auth.decorator.js';
import { Allow } from '../access/permissions.js';
import { AppError } from '../common/errors.js';
import { parseBody } from '../common/http.js';
import { RequestLanguage } from '../access/request-language.decorator.js';
import type { AppConfig } from '../config/config.js';
import { APP_CONFIG, CLOCK, type Clock } from '../core/core.module.js';
import { AuditEventEntity } from '../audit/audit-event.entity.js';
import { PlanDocumentService } from '../collab/plan-document.service.js';
import { AuthService } from '../identity/auth.service.js';
import { endsInTrail, runbookCsv, runbookFacts, runbookMarkdown } from './runbook-report.js';
import { PlanReadService } from '../plan-api/plan-read.service.js';
import {
  milestonesIcs,
  planCalendarName,
  planCsv,
  type PlanFacts,
  planMarkdown,
  portfolioCalendarName,
  portfolioCsv,
  portfolioMarkdown,
} from './formats.js';

const planParams = z.object({ planId: z.uuid(), format: z.enum(['md', 'csv']) });
const runbookParams = z.object({
  planId: z.uuid(),
  runbookId: z.string().min(1).max(64),
  format: z.enum(['md', 'csv']),
});
const portfolioParams = z.object({ format: z.enum(['md', 'csv']) });
const feedQuery = z.object({ token: z.string().min(1).max(4096) });

const TYPES = { md: 'text/markdown; charset=utf-8', csv: 'text/csv; charset=utf-8' } as const;

/**
 * Status reports (Markdown and CSV) of a plan and of the portfolio, from the read model; and the
 * milestones as iCalendar feeds for calendar applications, which cannot send headers: those take a
 * read-scoped API token in the address (?token=), revocable like any token. Written in the language
 * of ?lang= (fr or en), else in the one the request's Accept-Language prefers (French by default):
 * calendar applications send none, so a feed's address carries its language.
 */
@Controller()
export class ReportsController {
  constructor(
    private readonly reads: PlanReadService,
    private readonly auth: AuthService,
    private readonly documents: PlanDocumentService,
    private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  @Allow('plans.read')
  @Get('reports/plans/:planId.:format')
  async plan(
    @CurrentAuth() auth: AuthContext,
    @Param() params: unknown,
    @RequestLanguage() language: Language,
    @Res() response: Response,
  ): Promise<void> {
    const { planId, format } = parseBody(planParams, params);
    const facts = await this.factsOf(auth, planId);
    this.send(
      response,
      format,
      `plan-${planId}`,
      format === 'md' ? planMarkdown(facts, this.today(), language) : planCsv(facts, language),
    );
  }

  /** The cutover report of a runbook (or a rehearsal): from the live document, at the server's clock. */
  @Allow('plans.read')
  @Get('reports/plans/:planId/runbooks/:runbookId.:format')
  async runbook(
    @CurrentAuth() auth: AuthContext,
    @Param() params: unknown,
    @RequestLanguage() language: Language,
    @Res() response: Response,
  ): Promise<void> {
    const { planId, runbookId, format } = parseBody(runbookParams, params);
    const { summary } = await this.reads.one(auth, planId);
    // Every end of every task, from the audit trail: the document keeps a task's last run only.
    const trail = await this.dataSource.getRepository(AuditEventEntity).find({
      where: [
        { planId, entity: 'runbookTasks', action: 'updated', field: In(['status', 'reason']) },
        { planId, entity: 'runbookTasks', action: 'refused' },
      ],
      select: {
        action: true,
        actorKind: true,
        actorId: true,
        actorName: true,
        entityId: true,
        field: true,
        after: true,
        occurredAt: true,
      },
      order: { seq: 'ASC' },
    });
    const facts = await this.documents.inspect(planId, (doc) =>
      runbookFacts(summary.title, readPlan(doc), runbookId, this.clock.now(), endsInTrail(trail)),
    );
    if (facts === null) throw new AppError('NOT_FOUND', `This plan has no runbook ${runbookId}.`);
    this.send(
      response,
      format,
      `runbook-${runbookId}`,
      format === 'md' ? runbookMarkdown(facts, language) : runbookCsv(facts, language),
    );
  }

  @Allow('plans.read')
  @Get('reports/portfolio.:format')
  async portfolio(
    @CurrentAuth() auth: AuthContext,
    @Param() params: unknown,
    @RequestLanguage() language: Language,
    @Res() response: Response,
  ): Promise<void> {
    const { format } = parseBody(portfolioParams, params);
    const summaries = await this.summariesOf(auth, await this.reads.visibleIds(auth));
    this.send(
      response,
      format,
      'portfolio',
      format === 'md' ? portfolioMarkdown(summaries, this.today(), language) : portfolioCsv(summaries, language),
    );
  }

  @Allow('public')
  @Get('calendar/plans/:planId.ics')
  async planFeed(
    @Param('planId') planId: string,
    @Query() query: unknown,
    @RequestLanguage() language: Language,
    @Res() response: Response,
  ): Promise<void> {
    const auth = await this.feedCaller(query);
    if (!z.uuid().safeParse(planId).success) throw new AppError('NOT_FOUND', 'No such plan.');
    const facts = await this.factsOf(auth, planId);
    const runbooks = (await this.reads.rows('runbooks', [planId])).get(planId) ?? [];
    this.sendIcs(
      response,
      milestonesIcs(
        planCalendarName(facts.summary.title, language),
        [{ ...facts, runbooks }],
        this.icsOptions(language),
      ),
    );
  }

  @Allow('public')
  @Get('calendar/portfolio.ics')
  async portfolioFeed(
    @Query() query: unknown,
    @RequestLanguage() language: Language,
    @Res() response: Response,
  ): Promise<void> {
    const auth = await this.feedCaller(query);
    const ids = await this.reads.visibleIds(auth);
    const [{ summaries }, milestones, runbooks] = await Promise.all([
      this.reads.portfolioFigures(ids),
      this.reads.rows('milestones', ids),
      this.reads.rows('runbooks', ids),
    ]);
    const plans = summaries.map((summary) => ({
      summary,
      milestones: milestones.get(summary.planId) ?? [],
      runbooks: runbooks.get(summary.planId) ?? [],
    }));
    this.sendIcs(response, milestonesIcs(portfolioCalendarName(language), plans, this.icsOptions(language)));
  }

  /**
   * A feed's caller: a read-only API token, given in the address. Calendar applications keep that
   * address in clear and sync it to phones, so a token that could change plans is refused there.
   */
  private async feedCaller(query: unknown): Promise<AuthContext> {
    const { token } = parseBody(feedQuery, query);
    const auth = await this.auth.authenticateBearer(token);
    if (auth.principal !== 'apiToken' || !auth.scopes.includes('read'))
      throw new AppError('UNAUTHENTICATED', 'A calendar feed takes an API token with the read scope (?token=bsc_...).');
    if (auth.scopes.includes('write'))
      throw new AppError(
        'FORBIDDEN',
        'A calendar address is kept in clear by calendar applications: give it a read-only API token, not one that can write.',
      );
    return auth;
  }

  private async summariesOf(auth: AuthContext, planIds: readonly string[]) {
    return [...(await this.reads.viewsById(auth, planIds)).values()].map((view) => view.summary);
  }

  private async factsOf(auth: AuthContext, planId: string): Promise<PlanFacts> {
    const { summary } = await this.reads.one(auth, planId);
    const [milestones, risks, checkpoints, comments] = await Promise.all([
      this.reads.rows('milestones', [planId]),
      this.reads.rows('risks', [planId]),
      this.reads.rows('checkpoints', [planId]),
      this.documents.inspect(planId, (doc) => readPlan(doc).comments),
    ]);
    return {
      summary,
      milestones: milestones.get(planId) ?? [],
      risks: risks.get(planId) ?? [],
      checkpoints: checkpoints.get(planId) ?? [],
      openThreads: commentThreads(comments).filter((thread) => thread.state === 'OPEN'),
    };
  }

  private send(response: Response, format: 'md' | 'csv', name: string, body: string): void {
    response.setHeader('content-type', TYPES[format]);
    response.setHeader('content-disposition', `attachment; filename="bascule-${name}.${format}"`);
    response.send(body);
  }

  private sendIcs(response: Response, body: string): void {
    response.setHeader('content-type', 'text/calendar; charset=utf-8');
    response.setHeader('cache-control', 'private, max-age=300');
    response.send(body);
  }

  private today(): string {
    return dayOf(this.clock.now());
  }

  private icsOptions(language: Language) {
    return { now: this.clock.now(), publicUrl: this.config.publicUrl, language };
  }
}
