import { Inject, Injectable } from '@nestjs/common';
import { dayOf, eligibility, type EligibilityWarning } from '@bascule/plan-model';
import { CatalogService, offerFacts } from '../catalog/catalog.service.js';
import { CLOCK, type Clock } from '../core.module.js';
import { type PlanRef, ProjectionRepository } from './projection.repository.js';
import { type DocumentState, type ProjectedPlan, projectPlan } from './projector.js';

/** Computes a plan's read model from a document and writes it: shared by live projection and rebuilds. */
@Injectable()
export class PlanProjector {
  constructor(
    private readonly repository: ProjectionRepository,
    private readonly catalog: CatalogService,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  /** The projection of a document state for today, with the target offer from the organization's catalog. */
  async compute(
    plan: PlanRef,
    { content, version }: DocumentState,
  ): Promise<{ projected: ProjectedPlan; warnings: EligibilityWarning[] }> {
    const target = content.meta.targetOfferId;
    const row = target === null ? null : await this.catalog.offer(plan.organizationId, target);
    const offer = row === null ? null : offerFacts(row);
    return {
      projected: projectPlan(plan, content, offer, dayOf(this.clock.now()), version),
      warnings: eligibility(content, offer),
    };
  }

  async write(projected: ProjectedPlan, force = false): Promise<boolean> {
    return this.repository.replace(projected, this.clock.now(), force);
  }
}
