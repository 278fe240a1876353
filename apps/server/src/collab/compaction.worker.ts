import { Inject, Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { Periodic } from '../common/periodic.js';
import type { AppConfig } from '../config/config.js';
import { APP_CONFIG, LOGGER } from '../core/core.module.js';
import type { Logger } from '../logging/logger.js';
import { SqlDocumentStore } from './document.store.js';

const INTERVAL_MS = 30_000;
const MIN_UPDATES = 200;
const PLANS_PER_ROUND = 20;

/** Worker role: every 30 s, folds long update logs into their snapshots (forward-only, idempotent). */
@Injectable()
export class CompactionWorker implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly rounds = new Periodic(
    () => this.compactRound(),
    (error) => this.logger.error({ err: error }, 'compaction round failed; next round in 30 s'),
  );

  constructor(
    private readonly store: SqlDocumentStore,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  onApplicationBootstrap(): void {
    if (this.config.roles.includes('worker')) this.rounds.start(INTERVAL_MS);
  }

  async compactRound(): Promise<number> {
    let merged = 0;
    for (const planId of await this.store.plansToCompact(MIN_UPDATES, PLANS_PER_ROUND)) {
      try {
        const result = await this.store.compact(planId);
        merged += result.merged;
        if (result.merged > 0) this.logger.info({ planId, merged: result.merged }, 'plan document compacted');
        if (result.skipped > 0)
          this.logger.error(
            { planId, skipped: result.skipped },
            'stored updates that could not be applied were dropped',
          );
      } catch (error) {
        this.logger.error({ err: error, planId }, 'compaction failed; the log is untouched and will be tried again');
      }
    }
    return merged;
  }

  async onApplicationShutdown(): Promise<void> {
    await this.rounds.stop();
  }
}
