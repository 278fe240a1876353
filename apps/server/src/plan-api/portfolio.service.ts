import { Injectable } from '@nestjs/common';
import type { FrameworkReadiness } from '@bascule/plan-model';
import type { AuthContext } from '../access/auth-context.js';
import { toPlanModel } from './models/plan.mappers.js';
import type { PortfolioModel } from './models/plan.models.js';
import { PlanReadCache } from './plan-read-cache.js';
import { PlanReadService } from './plan-read.service.js';

/** The portfolio of the plans a caller may see: counts, exposure, overdue milestones, top risks, readiness. */
@Injectable()
export class PortfolioService {
  constructor(
    private readonly reads: PlanReadService,
    private readonly cache: PlanReadCache,
  ) {}

  /** Kept in memory until a plan of the organization changes. */
  of(auth: AuthContext): Promise<PortfolioModel> {
    return this.cache.forCaller(auth, 'portfolio', null, () => this.compute(auth));
  }

  private async compute(auth: AuthContext): Promise<PortfolioModel> {
    const planIds = await this.reads.visibleIds(auth);
    const figures = await this.reads.portfolioFigures(planIds);
    const views = await this.reads.viewsById(auth, [
      ...figures.overdue.map((row) => row.planId),
      ...figures.topRisks.map((row) => row.planId),
    ]);
    const count = <K extends string>(values: K[]) =>
      [...new Set(values)].sort().map((value) => ({ value, count: values.filter((v) => v === value).length }));
    const active = figures.summaries.filter((summary) => summary.status === 'ACTIVE');
    return {
      planCount: figures.summaries.length,
      byStatus: count(figures.summaries.map((summary) => summary.status)).map(({ value, count: n }) => ({
        status: value,
        count: n,
      })),
      byRag: count(figures.summaries.map((summary) => summary.rag)).map(({ value, count: n }) => ({
        rag: value,
        count: n,
      })),
      averageProgress:
        active.length === 0 ? 0 : active.reduce((sum, summary) => sum + summary.progress, 0) / active.length,
      riskExposure: figures.summaries.reduce((sum, summary) => sum + summary.riskExposure, 0),
      overdueMilestoneCount: figures.summaries.reduce((sum, summary) => sum + summary.overdueCount, 0),
      overdueMilestones: figures.overdue.flatMap((milestone) => {
        const view = views.get(milestone.planId);
        return view === undefined ? [] : [{ plan: toPlanModel(view), milestone }];
      }),
      topRisks: figures.topRisks.flatMap((risk) => {
        const view = views.get(risk.planId);
        return view === undefined ? [] : [{ plan: toPlanModel(view), risk }];
      }),
      milestonesByMonth: figures.byMonth.map(({ month, done, overdue, total }) => ({
        month,
        done,
        overdue,
        open: total - done - overdue,
      })),
      readinessByFramework: sumReadiness(figures.summaries.flatMap((summary) => summary.readinessByFramework)),
    };
  }
}

/** Readiness per framework over several plans, from each plan's own readiness per framework. */
function sumReadiness(perPlan: readonly FrameworkReadiness[]): FrameworkReadiness[] {
  const totals = new Map<string, Omit<FrameworkReadiness, 'readiness'>>();
  for (const entry of perPlan) {
    const sum = totals.get(entry.framework) ?? {
      framework: entry.framework,
      total: 0,
      passed: 0,
      waived: 0,
      inReview: 0,
      failed: 0,
      todo: 0,
    };
    totals.set(entry.framework, {
      framework: entry.framework,
      total: sum.total + entry.total,
      passed: sum.passed + entry.passed,
      waived: sum.waived + entry.waived,
      inReview: sum.inReview + entry.inReview,
      failed: sum.failed + entry.failed,
      todo: sum.todo + entry.todo,
    });
  }
  return [...totals.values()]
    .sort((a, b) => a.framework.localeCompare(b.framework))
    .map((sum) => ({ ...sum, readiness: sum.total === 0 ? 0 : (sum.passed + sum.waived) / sum.total }));
}
