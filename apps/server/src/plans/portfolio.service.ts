import { Injectable } from '@nestjs/common';
import type { FrameworkReadiness } from '@bascule/plan-model';
import type { AuthContext } from '../access/auth-context.js';
import { toPlanModel } from './models/plan.mappers.js';
import type { PortfolioModel } from './models/plan.models.js';
import { PlanReadService } from './plan-read.service.js';

/** The portfolio of the plans a caller may see: counts, exposure, overdue milestones, top risks, readiness. */
@Injectable()
export class PortfolioService {
  constructor(private readonly reads: PlanReadService) {}

  async of(auth: AuthContext): Promise<PortfolioModel> {
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
      overdueMilestoneCount: figures.overdueCount,
      overdueMilestones: figures.overdue.flatMap((milestone) => {
        const view = views.get(milestone.planId);
        return view === undefined ? [] : [{ plan: toPlanModel(view), milestone }];
      }),
      topRisks: figures.topRisks.flatMap((risk) => {
        const view = views.get(risk.planId);
        return view === undefined ? [] : [{ plan: toPlanModel(view), risk }];
      }),
      readinessByFramework: readinessFromCounts(figures.checkpointCounts),
    };
  }
}

/** Readiness per framework from checkpoint counts by (framework, status). */
function readinessFromCounts(
  counts: readonly { framework: string; status: string; count: string | number }[],
): FrameworkReadiness[] {
  const frameworks = [...new Set(counts.map((row) => row.framework))].sort();
  return frameworks.map((framework) => {
    const of = (status: string) =>
      counts
        .filter((row) => row.framework === framework && row.status === status)
        .reduce((sum, row) => sum + Number(row.count), 0);
    const total = counts.filter((row) => row.framework === framework).reduce((sum, row) => sum + Number(row.count), 0);
    const passed = of('PASSED');
    const waived = of('WAIVED');
    return {
      framework,
      total,
      passed,
      waived,
      inReview: of('IN_REVIEW'),
      failed: of('FAILED'),
      todo: of('TODO'),
      readiness: total === 0 ? 0 : (passed + waived) / total,
    };
  });
}
