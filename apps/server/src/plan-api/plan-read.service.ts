import { Injectable } from '@nestjs/common';
import { DataSource, In } from 'typeorm';
import type { AuthContext } from '../access/auth-context.js';
import { AppError } from '../common/errors.js';
import {
  CheckpointRow,
  MilestoneRow,
  PlanSummaryEntity,
  RiskRow,
  RunbookRow,
  WorkloadRow,
} from '../projection/entities.js';
import type { PlanEntity, PlanRole } from '../plans/entities.js';
import { OrderDirection, type PlanFilter, type PlanOrder, PlanOrderField } from './models/plan-inputs.js';
import { PlanReadCache } from './plan-read-cache.js';
import { PlansService } from '../plans/plans.service.js';

export interface PlanView {
  readonly plan: PlanEntity;
  readonly summary: PlanSummaryEntity;
  readonly role: PlanRole;
}

export interface PlanPage {
  readonly views: PlanView[];
  readonly cursors: string[];
  readonly totalCount: number;
  readonly hasNextPage: boolean;
}

export interface RowOf {
  milestones: MilestoneRow;
  risks: RiskRow;
  checkpoints: CheckpointRow;
  workloads: WorkloadRow;
  runbooks: RunbookRow;
}

const ROW_ENTITY = {
  milestones: MilestoneRow,
  risks: RiskRow,
  checkpoints: CheckpointRow,
  workloads: WorkloadRow,
  runbooks: RunbookRow,
};

/** The SQL expression each order sorts by; nulls sort as a value so that keyset cursors stay simple. */
const ORDER_EXPRESSION: Record<PlanOrderField, string> = {
  [PlanOrderField.CREATED]: 'plan.created_at',
  [PlanOrderField.TITLE]: 'LOWER(s.title)',
  [PlanOrderField.TARGET_DATE]: "COALESCE(s.target_date, '9999-12-31')",
  [PlanOrderField.PROGRESS]: 's.progress',
  [PlanOrderField.RISK_EXPOSURE]: 's.risk_exposure',
  [PlanOrderField.SLIPPAGE]: 's.slippage_days',
};

const encodeCursor = (value: unknown, id: string) => Buffer.from(JSON.stringify([value, id])).toString('base64url');

function decodeCursor(cursor: string): [unknown, string] {
  try {
    const decoded = JSON.parse(Buffer.from(cursor, 'base64url').toString()) as unknown;
    if (
      Array.isArray(decoded) &&
      decoded.length === 2 &&
      ['string', 'number'].includes(typeof decoded[0]) &&
      typeof decoded[1] === 'string'
    )
      return decoded as [string | number, string];
  } catch {
    // falls through to the error below
  }
  throw new AppError('BAD_USER_INPUT', 'after is not a cursor this list gave.', { field: 'after' });
}

/** `%text%` for LIKE, with the wildcards in the user's text taken literally. */
const likePattern = (text: string) => `%${text.toLowerCase().replace(/[\\%_]/g, (char) => `\\${char}`)}%`;

/**
 * Reads the projected plans: lists with filters, orders and keyset cursors in SQL; entity rows for
 * many plans in one statement (for the per-request loaders); the portfolio's aggregates.
 */
@Injectable()
export class PlanReadService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly plans: PlansService,
    private readonly cache: PlanReadCache,
  ) {}

  /** A page of the plans the caller may see (kept in memory until a plan of the organization changes). */
  list(
    auth: AuthContext,
    filter: PlanFilter,
    order: PlanOrder,
    page: { first: number; after: string | null },
  ): Promise<PlanPage> {
    return this.cache.forCaller(auth, 'plans', [filter, order, page], () => this.listNow(auth, filter, order, page));
  }

  private async listNow(
    auth: AuthContext,
    filter: PlanFilter,
    order: PlanOrder,
    page: { first: number; after: string | null },
  ): Promise<PlanPage> {
    const query = this.plans.visibleQuery(auth);
    if (query === null) return { views: [], cursors: [], totalCount: 0, hasNextPage: false };
    query.innerJoin(PlanSummaryEntity, 's', 's.plan_id = plan.id');
    if (filter.status?.length) query.andWhere('s.status IN (:...status)', { status: filter.status });
    if (filter.rag?.length) query.andWhere('s.rag IN (:...rag)', { rag: filter.rag });
    if (filter.targetOfferId?.length)
      query.andWhere('s.target_offer_id IN (:...targetOfferId)', { targetOfferId: filter.targetOfferId });
    if (filter.ownerId !== undefined)
      query.andWhere(
        "EXISTS (SELECT 1 FROM plan_members o WHERE o.plan_id = plan.id AND o.user_id = :ownerId AND o.role = 'OWNER')",
        { ownerId: filter.ownerId },
      );
    if (filter.text !== undefined && filter.text.trim() !== '')
      query.andWhere("s.search_text LIKE :text ESCAPE '\\'", { text: likePattern(filter.text.trim()) });
    const totalCount = await query.clone().getCount();
    const expression = ORDER_EXPRESSION[order.field];
    const descending = order.direction === OrderDirection.DESC;
    if (page.after !== null) {
      const [value, id] = decodeCursor(page.after);
      query.andWhere(
        `(${expression} ${descending ? '<' : '>'} :cursorValue OR (${expression} = :cursorValue AND plan.id > :cursorId))`,
        { cursorValue: value, cursorId: id },
      );
    }
    const { entities, raw } = await query
      .addSelect(expression, 'sort_value')
      .orderBy(expression, descending ? 'DESC' : 'ASC')
      .addOrderBy('plan.id', 'ASC')
      .limit(page.first + 1)
      .getRawAndEntities<{ sort_value: unknown }>();
    const hasNextPage = entities.length > page.first;
    const plans = entities.slice(0, page.first);
    const views = await this.viewsOf(auth, plans);
    const sortValues = new Map(plans.map((plan, index) => [plan.id, raw[index]?.sort_value]));
    return {
      views,
      cursors: views.map((view) => encodeCursor(sortValues.get(view.plan.id), view.plan.id)),
      totalCount,
      hasNextPage,
    };
  }

  /** One plan, with the caller's role; NOT_FOUND for a plan of another organization. */
  async one(auth: AuthContext, planId: string): Promise<PlanView> {
    const { plan, role } = await this.plans.require(auth, planId, 'VIEWER');
    const summary = await this.dataSource.getRepository(PlanSummaryEntity).findOneBy({ planId });
    if (summary === null) throw new AppError('NOT_FOUND', 'This plan is not ready yet; try again in a moment.');
    return { plan, summary, role };
  }

  /** Views of plans the caller may see, in the order given (summaries and roles in two statements). */
  async viewsOf(auth: AuthContext, plans: readonly PlanEntity[]): Promise<PlanView[]> {
    if (plans.length === 0) return [];
    const ids = plans.map((plan) => plan.id);
    const [summaries, roles] = await Promise.all([
      this.dataSource.getRepository(PlanSummaryEntity).findBy({ planId: In(ids) }),
      this.plans.rolesFor(auth, plans),
    ]);
    const byId = new Map(summaries.map((summary) => [summary.planId, summary]));
    return plans.flatMap((plan) => {
      const summary = byId.get(plan.id);
      const role = roles.get(plan.id);
      return summary === undefined || role === undefined ? [] : [{ plan, summary, role }];
    });
  }

  /** Every row of a collection for these plans, in display order, grouped by plan: one statement. */
  async rows<C extends keyof RowOf>(collection: C, planIds: readonly string[]): Promise<Map<string, RowOf[C][]>> {
    const rows = (await this.dataSource.getRepository(ROW_ENTITY[collection]).find({
      where: { planId: In([...planIds]) },
      order: { planId: 'ASC', position: 'ASC' },
    })) as RowOf[C][];
    const grouped = new Map<string, RowOf[C][]>(planIds.map((id) => [id, []]));
    for (const row of rows) grouped.get(row.planId)?.push(row);
    return grouped;
  }

  /** Ids of every plan the caller may see (the portfolio's scope). */
  async visibleIds(auth: AuthContext): Promise<string[]> {
    const query = this.plans.visibleQuery(auth);
    if (query === null) return [];
    return (await query.select('plan.id', 'id').getRawMany<{ id: string }>()).map((row) => row.id);
  }

  /**
   * What the portfolio needs of these plans: their summaries (which already hold the counts and
   * readiness per framework), the most overdue milestones and the highest risks. Three statements.
   */
  async portfolioFigures(planIds: readonly string[]) {
    if (planIds.length === 0) return { summaries: [], overdue: [], topRisks: [], byMonth: [] };
    const summaries = await this.dataSource.getRepository(PlanSummaryEntity).find({
      where: { planId: In([...planIds]) },
      select: {
        planId: true,
        status: true,
        rag: true,
        progress: true,
        riskExposure: true,
        overdueCount: true,
        riskCount: true,
        readinessByFramework: true,
      },
    });
    const late = summaries.filter((summary) => summary.overdueCount > 0).map((summary) => summary.planId);
    const risky = summaries.filter((summary) => summary.riskCount > 0).map((summary) => summary.planId);
    const [overdue, topRisks, byMonth] = await Promise.all([
      late.length === 0
        ? []
        : this.dataSource.getRepository(MilestoneRow).find({
            where: { planId: In(late), overdue: true },
            order: { slipDays: 'DESC', planId: 'ASC', id: 'ASC' },
            take: 20,
          }),
      risky.length === 0
        ? []
        : this.dataSource
            .getRepository(RiskRow)
            .createQueryBuilder('r')
            .where('r.plan_id IN (:...risky)', { risky })
            .andWhere("r.status <> 'CLOSED'")
            .orderBy('r.score', 'DESC')
            .addOrderBy('r.plan_id', 'ASC')
            .addOrderBy('r.id', 'ASC')
            .limit(10)
            .getMany(),
      this.milestonesByMonth(planIds),
    ]);
    return { summaries, overdue, topRisks, byMonth };
  }

  /** Milestones with a due date, counted per month of that date (YYYY-MM): done, overdue, all. */
  private async milestonesByMonth(
    planIds: readonly string[],
  ): Promise<{ month: string; done: number; overdue: number; total: number }[]> {
    const rows = await this.dataSource
      .getRepository(MilestoneRow)
      .createQueryBuilder('m')
      .select('SUBSTR(m.due_date, 1, 7)', 'month')
      .addSelect("SUM(CASE WHEN m.status = 'DONE' THEN 1 ELSE 0 END)", 'done')
      .addSelect('SUM(CASE WHEN m.overdue THEN 1 ELSE 0 END)', 'overdue')
      .addSelect('COUNT(*)', 'total')
      .where('m.plan_id IN (:...planIds)', { planIds })
      .andWhere('m.due_date IS NOT NULL')
      .groupBy('SUBSTR(m.due_date, 1, 7)')
      .getRawMany<{ month: string; done: string | number; overdue: string | number; total: string | number }>();
    return rows
      .map((row) => ({
        month: row.month,
        done: Number(row.done),
        overdue: Number(row.overdue),
        total: Number(row.total),
      }))
      .sort((a, b) => (a.month < b.month ? -1 : 1));
  }

  /**
   * Milestones of an organization's plans by (plan, id), in one statement: the next milestones of a
   * page of plans (kept in memory until a plan of the organization changes).
   */
  milestonesByKey(organizationId: string, keys: readonly { planId: string; id: string }[]): Promise<MilestoneRow[]> {
    if (keys.length === 0) return Promise.resolve([]);
    const sorted = keys.map((key) => `${key.planId}/${key.id}`).sort();
    return this.cache.forOrganization(organizationId, 'milestones', sorted, () => this.milestonesNow(keys));
  }

  private async milestonesNow(keys: readonly { planId: string; id: string }[]): Promise<MilestoneRow[]> {
    const rows = await this.dataSource.getRepository(MilestoneRow).find({
      where: { planId: In(keys.map((key) => key.planId)), id: In(keys.map((key) => key.id)) },
    });
    const wanted = new Set(keys.map((key) => `${key.planId}/${key.id}`));
    return rows.filter((row) => wanted.has(`${row.planId}/${row.id}`));
  }

  /** The plans behind portfolio rows, as views (only those the caller may see). */
  async viewsById(auth: AuthContext, planIds: readonly string[]): Promise<Map<string, PlanView>> {
    const query = this.plans.visibleQuery(auth);
    if (query === null || planIds.length === 0) return new Map();
    const plans = await query.andWhere('plan.id IN (:...planIds)', { planIds: [...new Set(planIds)] }).getMany();
    return new Map((await this.viewsOf(auth, plans)).map((view) => [view.plan.id, view]));
  }
}
