// The comparison for GraphQL: the benchmark's dashboard payload from a plain JSON endpoint in the
// same server, with the same authentication, services and SQL, but no GraphQL layer. It is added to
// the real application (createApp's extra modules) only when the benchmark starts the server.
import { Controller, HttpCode, Inject, Module, Post, Req } from '@nestjs/common';
import { Allow } from '../../apps/server/dist/access/permissions.js';
import { CatalogModule } from '../../apps/server/dist/catalog/catalog.module.js';
import { CatalogService } from '../../apps/server/dist/catalog/catalog.service.js';
import { PlanReadService } from '../../apps/server/dist/plan-api/plan-read.service.js';
import { PlanApiModule } from '../../apps/server/dist/plan-api/plan-api.module.js';
import { PortfolioService } from '../../apps/server/dist/plan-api/portfolio.service.js';

const pick = (object, keys) => Object.fromEntries(keys.map((key) => [key, object[key]]));

class PlainDashboardController {
  constructor(reads, portfolios, catalog) {
    this.reads = reads;
    this.portfolios = portfolios;
    this.catalog = catalog;
  }

  /** The same data, in the same shape, as run.js's GraphQL query answers. */
  async dashboard(request) {
    const auth = request.user;
    const [portfolio, page, offers] = await Promise.all([
      this.portfolios.of(auth),
      this.reads.list(auth, {}, { field: 'RISK_EXPOSURE', direction: 'DESC' }, { first: 100, after: null }),
      this.catalog.offers(auth.organizationId),
    ]);
    const offerById = new Map(offers.map((offer) => [offer.id, offer]));
    const keys = page.views
      .filter((view) => view.summary.nextMilestoneId !== null)
      .map((view) => ({ planId: view.plan.id, id: view.summary.nextMilestoneId }));
    const next = new Map((await this.reads.milestonesByKey(auth.organizationId, keys)).map((row) => [row.planId, row]));
    const planRef = ({ plan, ...rest }) => ({ plan: { id: plan.id, title: plan.title }, ...rest });
    return {
      data: {
        portfolio: {
          ...pick(portfolio, [
            'planCount',
            'byStatus',
            'byRag',
            'averageProgress',
            'riskExposure',
            'overdueMilestoneCount',
          ]),
          overdueMilestones: portfolio.overdueMilestones.map(({ milestone, ...rest }) =>
            planRef({ ...rest, milestone: pick(milestone, ['title', 'dueDate', 'slipDays']) }),
          ),
          topRisks: portfolio.topRisks.map(({ risk, ...rest }) =>
            planRef({ ...rest, risk: pick(risk, ['title', 'score']) }),
          ),
          readinessByFramework: portfolio.readinessByFramework.map((entry) =>
            pick(entry, ['framework', 'total', 'readiness']),
          ),
        },
        plans: {
          totalCount: page.totalCount,
          edges: page.views.map(({ plan, summary }) => {
            const offer = summary.targetOfferId === null ? undefined : offerById.get(summary.targetOfferId);
            const milestone = next.get(plan.id);
            return {
              node: {
                id: plan.id,
                ...pick(summary, [
                  'title',
                  'status',
                  'rag',
                  'progress',
                  'slippageDays',
                  'overdueCount',
                  'riskExposure',
                  'readiness',
                ]),
                targetOffer: offer === undefined ? null : pick(offer, ['name', 'secNumCloudStatus']),
                nextMilestone: milestone === undefined ? null : pick(milestone, ['title', 'dueDate']),
              },
            };
          }),
        },
      },
    };
  }
}

// Decorators applied by hand: this file is plain JavaScript.
Inject(PlanReadService)(PlainDashboardController, undefined, 0);
Inject(PortfolioService)(PlainDashboardController, undefined, 1);
Inject(CatalogService)(PlainDashboardController, undefined, 2);
const method = Object.getOwnPropertyDescriptor(PlainDashboardController.prototype, 'dashboard');
for (const decorate of [Post('dashboard'), HttpCode(200), Allow('plans.read')])
  decorate(PlainDashboardController.prototype, 'dashboard', method);
Req()(PlainDashboardController.prototype, 'dashboard', 0);
Controller('bench')(PlainDashboardController);

export class PlainDashboardModule {}
Module({ imports: [PlanApiModule, CatalogModule], controllers: [PlainDashboardController] })(PlainDashboardModule);
