import { Inject, Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { SYSTEM_AUTHOR } from '@bascule/collab';
import { type DomainChange, PlanTracker } from '@bascule/plan-model';
import * as Y from 'yjs';
import { Periodic } from '../common/periodic.js';
import type { AppConfig } from '../config/config.js';
import { APP_CONFIG, CLOCK, type Clock, LOGGER } from '../core/core.module.js';
import type { Logger } from '../logging/logger.js';
import { SqlDocumentStore } from '../collab/document.store.js';
import { ChangeLog } from './change-log.js';
import { type ChangeRecord, describeChange, unreadableChange } from './change-record.js';

const INTERVAL_MS = 15_000;
/** An update is left this long to the process that stored it, which records it within a second. */
export const LEFT_TO_WRITER_MS = 60_000;
const PLANS_PER_ROUND = 20;
/** Longest the replay holds the event loop before letting sockets and timers run (ms). */
const SLICE_MS = 8;

/**
 * Worker role: records the changes of stored updates whose process died before it wrote them to the
 * audit trail and the webhook outbox (the second between storing an update and recording it). Each
 * plan's log is replayed in order; every such update's changes are worked out on the document as it
 * stood just before it, attributed to the author stored with it, dated when it was stored, and
 * written with the mark that it is recorded, unless its own process got there first.
 *
 * An update is left to its process for a minute; a single instance (no Redis) knows that what was
 * stored before it started has no process left, and records that at once.
 */
@Injectable()
export class ChangeRecovery implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly startedAt: Date;
  private readonly rounds = new Periodic(
    () => this.recoverRound(),
    (error) => this.logger.error({ err: error }, 'change recovery round failed; next round in 15 s'),
  );

  constructor(
    private readonly store: SqlDocumentStore,
    private readonly log: ChangeLog,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {
    this.startedAt = clock.now();
  }

  onApplicationBootstrap(): void {
    if (this.config.roles.includes('worker')) this.rounds.start(INTERVAL_MS, { immediately: true });
  }

  async onApplicationShutdown(): Promise<void> {
    await this.rounds.stop();
  }

  /** Updates stored before this instant and still unrecorded have no process left to record them. */
  cutoff(): Date {
    const aged = new Date(this.clock.now().getTime() - LEFT_TO_WRITER_MS);
    return this.config.redisUrl === undefined && aged < this.startedAt ? this.startedAt : aged;
  }

  /**
   * One round: the plans holding unrecorded updates stored before `cutoff` (up to a limit); resolves
   * with the number of updates recorded.
   */
  async recoverRound(cutoff = this.cutoff()): Promise<number> {
    let recorded = 0;
    for (const planId of await this.store.plansWithUnrecordedChanges(cutoff, PLANS_PER_ROUND)) {
      try {
        const count = await this.recoverPlan(planId, cutoff);
        recorded += count;
        if (count > 0) this.logger.warn({ planId, updates: count }, 'changes left unrecorded by a crash recorded');
      } catch (error) {
        this.logger.error({ err: error, planId }, 'unrecorded changes could not be recovered; next round');
      }
    }
    return recorded;
  }

  private async recoverPlan(planId: string, cutoff: Date): Promise<number> {
    const { snapshot, rows } = await this.store.loadLog(planId);
    const doc = new Y.Doc();
    try {
      if (snapshot !== null) Y.applyUpdate(doc, snapshot);
      const tracker = new PlanTracker(doc);
      let changes: readonly DomainChange[] = [];
      let unreadable = false;
      doc.on('afterTransaction', (transaction: Y.Transaction) => {
        try {
          changes = tracker.changesOf(transaction);
        } catch (error) {
          unreadable = true;
          this.logger.error({ err: error, planId }, 'a recovered change could not be read');
        }
      });
      const records: ChangeRecord[] = [];
      let sliceStart = performance.now();
      for (const row of rows) {
        // Its process may still record it, and what follows it depends on it: the rest waits.
        if (row.pending && row.createdAt >= cutoff) break;
        changes = [];
        unreadable = false;
        try {
          Y.applyUpdate(doc, row.data);
        } catch {
          // Left out, as loads and compaction leave it out; its mark is still cleared below.
        }
        if (row.pending) {
          const author = row.author ?? SYSTEM_AUTHOR;
          try {
            if (unreadable) throw new Error('its changes could not be read');
            const { record } = describeChange({
              planId,
              author,
              updateId: row.id,
              changes,
              // Server changes were judged before they were stored; judging them again finds nothing.
              viaSocket: author.kind !== 'system',
              at: row.createdAt,
              doc,
              tracker,
            });
            records.push(record);
          } catch (error) {
            this.logger.error({ err: error, planId, updateId: row.id }, 'a recovered change could not be read');
            records.push(unreadableChange(planId, author, row.id, row.createdAt));
          }
        }
        if (performance.now() - sliceStart >= SLICE_MS) {
          await new Promise((resolve) => setImmediate(resolve));
          sliceStart = performance.now();
        }
      }
      if (records.length > 0) await this.log.recordNow(records);
      return records.length;
    } finally {
      doc.destroy();
    }
  }
}
