import { Inject, Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { dayOf } from '@bascule/plan-model';
import { Periodic } from '../common/periodic.js';
import type { AppConfig } from '../config/config.js';
import { APP_CONFIG, CLOCK, type Clock, LOGGER } from '../core/core.module.js';
import { PlanEvents } from '../events/plan-events.js';
import type { Logger } from '../logging/logger.js';
import { SqlDocumentStore } from '../collab/document.store.js';
import { ProjectionRebuilder } from './projection.rebuilder.js';
import { ProjectionRepository } from './projection.repository.js';

const INTERVAL_MS = 10 * 60_000;
const PLANS_PER_ROUND = 200;

/**
 * Worker role: projects plans never projected (created before this version, or while a projection
 * failed), plans whose stored document is newer than their projection, and, once a day, plans whose overdue counts and RAG status were computed for an earlier day.
 */
@Injectable()
export class ProjectionWorker implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly rounds = new Periodic(
    () => this.refreshRound(),
    (error) => this.logger.error({ err: error }, 'projection refresh failed; next round in 10 minutes'),
  );

  constructor(
    private readonly rebuilder: ProjectionRebuilder,
    private readonly repository: ProjectionRepository,
    private readonly store: SqlDocumentStore,
    private readonly planEvents: PlanEvents,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  onApplicationBootstrap(): void {
    if (this.config.roles.includes('worker')) this.rounds.start(INTERVAL_MS, { immediately: true });
  }

  /** Re-projects stale plans from their stored documents; returns how many. */
  async refreshRound(): Promise<number> {
    const changed = await this.store.plansNewerThanProjection(PLANS_PER_ROUND);
    const stale = await this.repository.staleSince(dayOf(this.clock.now()), changed, PLANS_PER_ROUND);
    if (stale.length === 0) return 0;
    const { failed } = await this.rebuilder.rebuild(stale, async ({ written, planId, organizationId }) => {
      if (written) await this.planEvents.announce({ planId, organizationId });
    });
    this.logger.info({ plans: stale.length, failed: failed.length }, 'projections refreshed');
    return stale.length;
  }

  async onApplicationShutdown(): Promise<void> {
    await this.rounds.stop();
  }
}
