import { type BeforeApplicationShutdown, Inject, Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import { eligibilityRisksInStep } from '@bascule/plan-model';
import { CatalogService } from '../catalog/catalog.service.js';
import { PlanUpkeep } from '../changes/plan-upkeep.js';
import { PlanDocumentService } from '../collab/plan-document.service.js';
import { LOGGER } from '../core/core.module.js';
import { PlanEvents } from '../events/plan-events.js';
import type { Logger } from '../logging/logger.js';
import { PlanProjector } from './plan-projector.js';
import { type PlanRef, ProjectionRepository } from './projection.repository.js';
import { stateOf } from './projector.js';
import { KeyedTurns, Turns } from '../common/turns.js';
import { DrainPhase, Shutdown } from '../lifecycle/shutdown.js';
import { Metrics } from '../metrics/metrics.js';

/**
 * Quiet time after a change before projecting, and the longest a busy plan waits: a plan edited
 * without pause is projected about once a second, which keeps a crowded room fluid.
 */
const DEBOUNCE_MS = 100;
const MAX_WAIT_MS = 800;
/**
 * Projections running at once, across plans: the rest wait their turn, so that many busy plans never
 * take every database connection from the appends that acknowledge edits.
 */
const MAX_CONCURRENT = 2;
const REMEMBERED_PLANS = 10_000;

/**
 * Keeps the read model in step with the live documents: after each update this instance stores, the
 * plan is projected again (debounced per plan, one projection at a time per plan). It only reads the
 * documents: it waits for the changes Bascule makes by itself (PlanUpkeep: schema upgrades, automatic
 * risks) before it reads, so it never projects a plan half-done. Every rewrite is announced to all
 * instances (PlanEvents).
 */
@Injectable()
export class ProjectionService implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly pending = new Map<string, { firstAt: number; timer: NodeJS.Timeout }>();
  /** One projection of a plan at a time. */
  private readonly running = new KeyedTurns();
  private readonly turns = new Turns(MAX_CONCURRENT);
  private readonly plans = new Map<string, PlanRef>();
  private stopListening: (() => void) | undefined;
  private stopFollowingCatalog: (() => void) | undefined;

  constructor(
    private readonly documents: PlanDocumentService,
    private readonly upkeep: PlanUpkeep,
    private readonly catalog: CatalogService,
    private readonly projector: PlanProjector,
    private readonly repository: ProjectionRepository,
    private readonly planEvents: PlanEvents,
    private readonly metrics: Metrics,
    private readonly shutdown: Shutdown,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  onApplicationBootstrap(): void {
    this.stopListening = this.documents.onStored((planId) => this.schedule(planId));
    this.stopFollowingCatalog = this.catalog.onOffersChanged((organizationId) =>
      this.reprojectOrganization(organizationId),
    );
    this.shutdown.onDrain(DrainPhase.Followers, 'projections', () => this.beforeApplicationShutdown());
  }

  /** Projects what is still waiting while the documents can be read; what misses it, the worker catches up. */
  async beforeApplicationShutdown(): Promise<void> {
    this.stopListening?.();
    this.stopFollowingCatalog?.();
    const waiting = [...this.pending.keys()];
    for (const { timer } of this.pending.values()) clearTimeout(timer);
    this.pending.clear();
    await Promise.allSettled([...waiting.map((planId) => this.projectNow(planId)), this.running.settled()]);
  }

  private schedule(planId: string): void {
    const entry = this.pending.get(planId);
    const now = Date.now();
    if (entry !== undefined && now - entry.firstAt >= MAX_WAIT_MS) return;
    if (entry !== undefined) clearTimeout(entry.timer);
    const timer = setTimeout(() => this.flush(planId), DEBOUNCE_MS);
    this.pending.set(planId, { firstAt: entry?.firstAt ?? now, timer });
  }

  private flush(planId: string): void {
    const since = this.pending.get(planId)?.firstAt ?? Date.now();
    this.pending.delete(planId);
    this.projectNow(planId)
      .then(() => this.metrics.projectionLag.observe((Date.now() - since) / 1000))
      .catch((error: unknown) =>
        this.logger.error({ err: error, planId }, 'projection failed; the next change or the worker will retry'),
      );
  }

  /** Resolves once no projection is waiting or running (tests, and before answering what was projected). */
  async idle(): Promise<void> {
    while (this.pending.size > 0 || this.running.size > 0) {
      await Promise.allSettled([
        ...[...this.pending.keys()].map((planId) => this.projectNow(planId)),
        this.running.settled(),
      ]);
    }
  }

  /**
   * Projects the plan's current document now (after any projection of it already running). `force`
   * rewrites the rows even if the document did not change (the catalog did).
   */
  async projectNow(planId: string, force = false): Promise<void> {
    const entry = this.pending.get(planId);
    if (entry !== undefined) {
      clearTimeout(entry.timer);
      this.pending.delete(planId);
    }
    await this.running.run(planId, () => this.turns.run(() => this.project(planId, force)));
  }

  /** Re-projects every plan of an organization (its catalog changed), their automatic risks checked first. */
  async reprojectOrganization(organizationId: string): Promise<void> {
    for (const plan of await this.repository.plansOf(organizationId)) {
      await this.upkeep.recheck(plan.id);
      await this.projectNow(plan.id, true);
    }
  }

  /** A plan's organization never changes: read once, not at every projection of a busy plan. */
  private async planOf(planId: string): Promise<PlanRef | null> {
    const known = this.plans.get(planId);
    if (known !== undefined) return known;
    const plan = await this.repository.planRef(planId);
    if (plan === null) return null;
    if (this.plans.size >= REMEMBERED_PLANS) this.plans.delete(this.plans.keys().next().value as string);
    this.plans.set(planId, plan);
    return plan;
  }

  private async project(planId: string, force: boolean): Promise<void> {
    const plan = await this.planOf(planId);
    if (plan === null) return;
    // Read on the live document (no copy). Its load may have started an upgrade, and a change may have
    // left its automatic risks to check: what was due is waited for, and the document read again.
    let state = await this.documents.inspect(planId, stateOf);
    if (await this.upkeep.settled(planId)) state = await this.documents.inspect(planId, stateOf);
    const { projected, warnings } = await this.projector.compute(plan, state);
    // Automatic risks out of step (an upkeep lost to a crash or an outage): the changes module makes
    // them right, and the change it stores brings the plan here again.
    if (!eligibilityRisksInStep(projected.risks, warnings)) void this.upkeep.recheck(planId);
    if (await this.projector.write(projected, { force, deferUnchanged: true }))
      await this.planEvents.announce({ planId, organizationId: plan.organizationId });
  }
}
