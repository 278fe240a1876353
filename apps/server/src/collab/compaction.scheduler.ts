import { Inject, Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { CollabServer } from '@bascule/collab';
import { InFlight } from '../common/in-flight.js';
import type { AppConfig } from '../config/config.js';
import { APP_CONFIG, LOGGER } from '../core/core.module.js';
import type { Logger } from '../logging/logger.js';
import { SqlDocumentStore } from './document.store.js';

/** Updates stored for a plan on this instance, since its last compaction here, that call for one. */
const LOG_THRESHOLD = 1000;
/**
 * How long after its log passed the threshold a plan is compacted: rows whose changes the trail has
 * not recorded yet stay in the log, and the trail writes within a second.
 */
const SETTLE_MS = 2500;
/**
 * How long after its room unloads a plan is compacted: nobody changes it any more, so the trail is
 * written at once (`beforeCompacting`) rather than waited for. Long enough to see a reload through.
 */
const UNLOADED_SETTLE_MS = 250;

/**
 * Keeps plan documents short without anyone running a command (collab role): a plan is compacted
 * shortly after its room unloads (the next person to open it reads one snapshot, not the morning's
 * keystrokes), and while it is open each time its log grew by LOG_THRESHOLD updates here. The
 * worker's periodic rounds remain for what this misses (another instance's rooms, a crash).
 * Compaction is forward-only and safe beside live rooms and other compactions.
 */
@Injectable()
export class CompactionScheduler implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly grown = new Map<string, number>();
  private readonly timers = new Map<string, { timer: NodeJS.Timeout; due: number }>();
  private readonly settlers = new Set<() => Promise<void>>();
  private readonly running = new InFlight();
  private readonly unsubscribes: (() => void)[] = [];
  private stopped = false;

  constructor(
    private readonly collab: CollabServer,
    private readonly store: SqlDocumentStore,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  onApplicationBootstrap(): void {
    if (!this.config.roles.includes('collab') || !this.config.autoCompaction) return;
    this.unsubscribes.push(
      this.collab.onStored((planId) => {
        const grown = (this.grown.get(planId) ?? 0) + 1;
        this.grown.set(planId, grown);
        if (grown >= LOG_THRESHOLD) this.schedule(planId);
      }),
      this.collab.onUnloaded((planId) => {
        if (this.grown.has(planId)) this.schedule(planId, UNLOADED_SETTLE_MS);
      }),
    );
  }

  /**
   * Has `settle` run before each compaction: work that lets it merge more (the trail writing what it
   * holds, so that fewer rows wait unrecorded). Its failures are its own to report.
   */
  beforeCompacting(settle: () => Promise<void>): () => void {
    this.settlers.add(settle);
    return () => this.settlers.delete(settle);
  }

  /** Compaction of `planId` within `delayMs` (once, however often asked meanwhile). */
  schedule(planId: string, delayMs = SETTLE_MS): void {
    if (this.stopped) return;
    const due = Date.now() + delayMs;
    const scheduled = this.timers.get(planId);
    if (scheduled !== undefined) {
      if (scheduled.due <= due) return;
      clearTimeout(scheduled.timer);
    }
    const timer = setTimeout(() => {
      this.timers.delete(planId);
      this.grown.delete(planId);
      this.running.track(
        this.settle()
          .then(() => this.store.compact(planId))
          .then((result) => {
            if (result.merged > 0) this.logger.debug({ planId, merged: result.merged }, 'plan document compacted');
          })
          .catch((error: unknown) =>
            this.logger.error(
              { err: error, planId },
              'compaction failed; the log is untouched and will be tried again',
            ),
          ),
      );
    }, delayMs);
    timer.unref();
    this.timers.set(planId, { timer, due });
  }

  private async settle(): Promise<void> {
    for (const settle of this.settlers) await settle().catch(() => undefined);
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    for (const unsubscribe of this.unsubscribes.splice(0)) unsubscribe();
    for (const { timer } of this.timers.values()) clearTimeout(timer);
    this.timers.clear();
    await this.running.settled();
  }
}
