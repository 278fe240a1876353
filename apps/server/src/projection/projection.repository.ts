import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager, type EntityTarget, In } from 'typeorm';
import { sqlDialect } from '../database/sql-dialect.js';
import { Transactor } from '../database/transactor.js';
import { PlanEntity } from '../plans/entities.js';
import { CheckpointRow, MilestoneRow, PlanSummaryEntity, RiskRow, RunbookRow, WorkloadRow } from './entities.js';
import type { ProjectedPlan } from './projector.js';

/** Rows per INSERT: well under both dialects' limits on bound parameters. */
const CHUNK = 100;

export interface PlanRef {
  readonly id: string;
  readonly organizationId: string;
  readonly title: string;
}

/** The read model's tables. Written only here, and only with what the projector computed. */
@Injectable()
export class ProjectionRepository {
  constructor(
    private readonly dataSource: DataSource,
    private readonly transactor: Transactor,
  ) {}

  async planRef(planId: string): Promise<PlanRef | null> {
    return this.dataSource
      .getRepository(PlanEntity)
      .findOne({ where: { id: planId }, select: { id: true, organizationId: true, title: true } });
  }

  /** Every plan, in a stable order, for a rebuild. */
  async allPlans(): Promise<PlanRef[]> {
    return this.dataSource
      .getRepository(PlanEntity)
      .find({ select: { id: true, organizationId: true, title: true }, order: { createdAt: 'ASC', id: 'ASC' } });
  }

  async plansOf(organizationId: string): Promise<PlanRef[]> {
    return this.dataSource
      .getRepository(PlanEntity)
      .find({ where: { organizationId }, select: { id: true, organizationId: true, title: true } });
  }

  /**
   * Plans whose read model is behind: never projected, with date-dependent figures computed before
   * `today`, or among `changed` (those the document store holds newer updates of).
   */
  async staleSince(today: string, changed: readonly string[], limit: number): Promise<PlanRef[]> {
    const p = sqlDialect(this.dataSource).param;
    const rows = (await this.dataSource.query(
      `SELECT p.id AS id FROM plans p LEFT JOIN plan_summaries s ON s.plan_id = p.id
       WHERE s.plan_id IS NULL OR s.computed_on < ${p(1)}
       LIMIT ${p(2)}`,
      [today, limit],
    )) as { id: string }[];
    const ids = [...new Set([...changed, ...rows.map((row) => row.id)])].slice(0, limit);
    if (ids.length === 0) return [];
    return this.dataSource.getRepository(PlanEntity).find({
      where: { id: In(ids) },
      select: { id: true, organizationId: true, title: true },
    });
  }

  /**
   * Replaces a plan's rows with a projection, unless a projection of a later document state is
   * already there, or of the same state on the same day (it would write the same rows) and not
   * `force`d (the catalog changed). Returns whether it wrote.
   */
  async replace(plan: ProjectedPlan, projectedAt: Date, force = false): Promise<boolean> {
    // PostgreSQL's text cannot hold U+0000, which a document may (a raw Yjs client wrote it): the
    // read model shows U+FFFD there instead, the document keeps what was written.
    const projected = withoutNul(plan);
    const { summary } = projected;
    return this.transactor.run(async (manager) => {
      if (sqlDialect(this.dataSource).postgres) {
        // Two instances projecting one plan take turns; the later document state wins below.
        const locked = (await manager.query('SELECT id FROM plans WHERE id = $1 FOR UPDATE', [
          summary.planId,
        ])) as unknown[];
        if (locked.length === 0) return false;
      } else if ((await manager.countBy(PlanEntity, { id: summary.planId })) === 0) return false;
      const current = await manager.findOne(PlanSummaryEntity, {
        where: { planId: summary.planId },
        select: { planId: true, documentVersion: true, computedOn: true },
      });
      if (current !== null) {
        const newer = Number(current.documentVersion) - Number(summary.documentVersion);
        const sameDay = (current.computedOn ?? '') === (summary.computedOn ?? '');
        if (newer > 0 || (newer === 0 && (current.computedOn ?? '') > (summary.computedOn ?? ''))) return false;
        if (newer === 0 && sameDay && !force) return false;
      }
      const planId = summary.planId;
      await this.replaceRows(manager, MilestoneRow, planId, projected.milestones);
      await this.replaceRows(manager, RiskRow, planId, projected.risks);
      await this.replaceRows(manager, CheckpointRow, planId, projected.checkpoints);
      await this.replaceRows(manager, WorkloadRow, planId, projected.workloads);
      await this.replaceRows(manager, RunbookRow, planId, projected.runbooks);
      await manager.delete(PlanSummaryEntity, { planId });
      await manager.insert(PlanSummaryEntity, { ...summary, projectedAt });
      await manager.update(PlanEntity, { id: planId }, { title: summary.title });
      return true;
    });
  }

  /**
   * Records that the rows written for document version `from` also hold for the later version `to`;
   * false (nothing done) when the summary is no longer at `from`: another projection wrote since.
   */
  async advance(planId: string, from: string, to: string, projectedAt: Date): Promise<boolean> {
    const result = await this.dataSource
      .getRepository(PlanSummaryEntity)
      .update({ planId, documentVersion: from }, { documentVersion: to, projectedAt });
    return (result.affected ?? 0) > 0;
  }

  private async replaceRows<T extends { planId: string }>(
    manager: EntityManager,
    target: EntityTarget<T>,
    planId: string,
    rows: readonly T[],
  ): Promise<void> {
    await manager.delete(target, { planId } as never);
    for (let start = 0; start < rows.length; start += CHUNK)
      await manager.insert(target, rows.slice(start, start + CHUNK) as never);
  }
}

/** A copy of `value` with every U+0000 in its strings replaced by U+FFFD. */
export function withoutNul<T>(value: T): T {
  if (typeof value === 'string') return (value.includes('\u0000') ? value.replaceAll('\u0000', '\uFFFD') : value) as T;
  if (Array.isArray(value)) return value.map((item: unknown) => withoutNul(item)) as T;
  if (value !== null && typeof value === 'object' && !(value instanceof Date))
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, withoutNul(item)])) as T;
  return value;
}
