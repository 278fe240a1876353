import { createHash } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { dayOf, eligibility, type EligibilityWarning } from '@bascule/plan-model';
import { CatalogService, offerFacts } from '../catalog/catalog.service.js';
import { CLOCK, type Clock } from '../core/core.module.js';
import { type PlanRef, ProjectionRepository } from './projection.repository.js';
import { type DocumentState, type ProjectedPlan, projectPlan } from './projector.js';

/** Plans whose last written projection this process remembers (the oldest are forgotten first). */
const REMEMBERED_PLANS = 10_000;

/** What the rows say, whatever document version they were computed from. */
function fingerprintOf(projected: ProjectedPlan): string {
  const { documentVersion: _version, ...summary } = projected.summary;
  return createHash('sha256')
    .update(JSON.stringify({ ...projected, summary }))
    .digest('base64url');
}

/** Computes a plan's read model from a document and writes it: shared by live projection and rebuilds. */
@Injectable()
export class PlanProjector {
  /** The last projection this process wrote, per plan: what it said and for which document version. */
  private readonly written = new Map<string, { readonly fingerprint: string; version: string }>();

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
      warnings: eligibility(content, offer, content.meta.language),
    };
  }

  /**
   * Writes a projection; returns whether the rows changed. A change that leaves every row as this
   * process last wrote it (a busy plan's edits often cancel out, and content outside the schema is
   * not projected) does not rewrite them: with `deferUnchanged` (live projection) nothing is written
   * at all, and the worker, finding the summary behind the stored document, records the new version
   * later; otherwise the summary's version moves forward in one statement, if nobody wrote the plan
   * since (else the rows are rewritten: another instance may have projected other content).
   */
  async write(projected: ProjectedPlan, options: { force?: boolean; deferUnchanged?: boolean } = {}): Promise<boolean> {
    const { planId, documentVersion: version } = projected.summary;
    const fingerprint = fingerprintOf(projected);
    const last = this.written.get(planId);
    const now = this.clock.now();
    if (options.force !== true && last?.fingerprint === fingerprint) {
      if (options.deferUnchanged === true) return false;
      if (await this.repository.advance(planId, last.version, version, now)) {
        last.version = version;
        return false;
      }
    }
    const wrote = await this.repository.replace(projected, now, options.force === true);
    if (wrote) {
      this.written.delete(planId);
      this.written.set(planId, { fingerprint, version });
      if (this.written.size > REMEMBERED_PLANS) this.written.delete(this.written.keys().next().value as string);
    }
    return wrote;
  }
}
