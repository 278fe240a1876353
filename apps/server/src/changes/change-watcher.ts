import { Inject, Injectable, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { ChangeOrigin, type DocumentWatcher, SYSTEM_AUTHOR } from '@bascule/collab';
import { applyCorrections, PlanTracker, type Refusal, reviewState, unstampedEntries } from '@bascule/plan-model';
import type * as Y from 'yjs';
import { PlanDocumentService } from '../collab/plan-document.service.js';
import type { AppConfig } from '../config/config.js';
import { APP_CONFIG, CLOCK, type Clock, LOGGER } from '../core/core.module.js';
import type { Logger } from '../logging/logger.js';
import { ChangeLog } from './change-log.js';
import { auditEventsOf, describeChange, unreadableChange } from './change-record.js';
import { PendingCorrections } from './pending-corrections.js';
import type { PlanChanged } from './plan-changed.js';
import { PlanUpkeep } from './plan-upkeep.js';

/**
 * The parts of a plan whose state the rules check again after a change they did not review: gates
 * and dates; votes, so that points are decided from votes judged apart (reconcileDecisions).
 */
const GOVERNED: ReadonlySet<string> = new Set(['milestones', 'checkpoints', 'plan', 'runbookVotes']);

/**
 * Where instances share the plans, how long a plan loaded from storage waits before taking out
 * what lacks the server's stamps: another instance may have stored a client's change and be about
 * to store its stamp (milliseconds apart, seconds under a slow database). Alone, an instance knows
 * no stamp is on its way, and corrects at once.
 */
export const STAMP_WAIT_MS = 10_000;
/** Plans remembered with entries lacking their stamps (the oldest forgotten first). */
const REMEMBERED_PLANS = 1_000;

/**
 * Watches every plan document this instance has loaded (it subscribes to the collab engine's loads).
 * Each change made here (a socket's update or a server change) is written to the audit trail in
 * domain terms with its authenticated author, with the webhook events it leads to, marking its
 * stored update recorded; a socket's change that breaks a governance rule (an editor approving, a
 * gated milestone closed early) is reverted by a change of the server's own, through the same
 * durable path, and the refusal recorded. Server changes were checked before they were stored
 * (governedChange). What the plan needs after a change (its automatic risks) or once loaded (a
 * schema upgrade) is left to PlanUpkeep.
 */
@Injectable()
export class ChangeWatcher implements DocumentWatcher, OnModuleInit, OnApplicationShutdown {
  private readonly listeners = new Set<(event: PlanChanged) => void>();
  /** Where instances share the plans: per plan, its entries seen lacking their stamps, and since when. */
  private readonly unstamped = new Map<string, Map<string, number>>();
  private unwatch: (() => void) | undefined;

  constructor(
    private readonly documents: PlanDocumentService,
    private readonly log: ChangeLog,
    private readonly upkeep: PlanUpkeep,
    private readonly corrections: PendingCorrections,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(LOGGER) private readonly logger: Logger,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** Before any socket or request can load a document. */
  onModuleInit(): void {
    this.unwatch = this.documents.watch(this);
  }

  /** After the collab server has closed (it calls `close` below before freeing its documents). */
  onApplicationShutdown(): void {
    this.unwatch?.();
  }

  watch(planId: string, doc: Y.Doc): { close(): void } {
    const tracker = new PlanTracker(doc);
    // As stored: a crash may have come between a change and its reversal, or between a client's
    // change and the server's stamp. With other instances, a stamp missing now may be on its way:
    // an entry is put right once it has lacked its stamp for STAMP_WAIT_MS, counted from when this
    // instance first saw it so (across loads: a plan loaded for a moment, to read it, is checked
    // again at its next load).
    let stampCheck: NodeJS.Timeout | undefined;
    const checkStamps = () => {
      stampCheck = undefined;
      const now = Date.now();
      const since = this.unstampedSince(planId, tracker, now);
      const due = new Set([...since].filter(([, at]) => now - at >= STAMP_WAIT_MS).map(([key]) => key));
      this.enforce(planId, tracker, { stampsRequired: due });
      for (const key of due) since.delete(key);
      this.rememberUnstamped(planId, since);
      if (since.size > 0)
        stampCheck = setTimeout(
          () => {
            try {
              checkStamps();
            } catch (error) {
              this.logger.error({ err: error, planId }, 'the stamps of a plan could not be checked');
            }
          },
          Math.min(...since.values()) + STAMP_WAIT_MS - now,
        ).unref();
    };
    if (this.config.redisUrl === undefined) this.enforce(planId, tracker, { stampsRequired: true });
    else checkStamps();
    this.upkeep.loaded(planId, doc);
    const onTransaction = (transaction: Y.Transaction) => {
      try {
        const changes = tracker.changesOf(transaction);
        const origin: unknown = transaction.origin;
        const unreviewed = !(origin instanceof ChangeOrigin) || !origin.viaSocket;
        // Replicas and server changes were not reviewed against this document as it is now.
        if (unreviewed && changes.some((change) => GOVERNED.has(change.collection)))
          this.enforce(planId, tracker, { stampsRequired: false });
        if (!(origin instanceof ChangeOrigin)) return;
        const at = this.clock.now();
        const { record, refusals, corrections } = describeChange({
          planId,
          author: origin.author,
          updateId: origin.updateId,
          changes,
          viaSocket: origin.viaSocket,
          at,
          doc,
          tracker,
        });
        if (corrections.length > 0) this.correct(planId, corrections, refusals);
        // Even a change that changed nothing the plan shows: its update is then marked recorded.
        this.log.record(record);
        if (changes.length === 0) return;
        if (origin.author.kind !== 'system') this.upkeep.changed(planId, changes, doc);
        for (const listener of this.listeners) {
          try {
            listener({ planId, author: origin.author, changes, refusals, at, doc, tracker });
          } catch (error) {
            this.logger.error({ err: error, planId }, 'a plan change listener failed');
          }
        }
      } catch (error) {
        this.logger.error({ err: error, planId }, 'a change could not be reviewed');
        const origin: unknown = transaction.origin;
        if (origin instanceof ChangeOrigin)
          this.log.record(unreadableChange(planId, origin.author, origin.updateId, this.clock.now()));
      }
    };
    doc.on('afterTransaction', onTransaction);
    return {
      close: () => {
        if (stampCheck !== undefined) {
          clearTimeout(stampCheck);
          // What was stamped meanwhile is forgotten; what was not is put right at the next load.
          this.rememberUnstamped(planId, this.unstampedSince(planId, tracker, Date.now()));
        }
        doc.off('afterTransaction', onTransaction);
      },
    };
  }

  /** The plan's entries lacking their stamps now, each with when this instance first saw it so. */
  private unstampedSince(planId: string, tracker: PlanTracker, now: number): Map<string, number> {
    const seen = this.unstamped.get(planId);
    return new Map([...unstampedEntries(tracker)].map((key) => [key, seen?.get(key) ?? now]));
  }

  private rememberUnstamped(planId: string, since: Map<string, number>): void {
    this.unstamped.delete(planId);
    if (since.size === 0) return;
    this.unstamped.set(planId, since);
    if (this.unstamped.size > REMEMBERED_PLANS) this.unstamped.delete(this.unstamped.keys().next().value as string);
  }

  /** A stored update that could not be applied changed nothing: its mark is cleared all the same. */
  unapplied(planId: string, updateId: number): void {
    this.log.record({ planId, updateId, events: [], messages: [] });
  }

  /** Calls `listener` after each change made on this instance (not replicas); returns an unsubscribe. */
  onChange(listener: (event: PlanChanged) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /**
   * Called by the collab server as it closes, once its intake stopped and before it frees the
   * documents: the corrections and upkeep still due are made, then the log is written.
   */
  async close(): Promise<void> {
    await this.corrections.settled();
    await this.upkeep.settledAll();
    await this.log.drain();
  }

  /** Corrects, as Bascule, whatever in the plan as it stands breaks the rules, and records it. */
  private enforce(planId: string, tracker: PlanTracker, options: Parameters<typeof reviewState>[1]): void {
    const found = reviewState(tracker, options);
    if (found.corrections.length === 0) return;
    this.correct(planId, found.corrections, found.refusals);
    this.log.record({
      planId,
      updateId: null,
      events: auditEventsOf(planId, SYSTEM_AUTHOR, [], found.refusals, this.clock.now()),
      messages: [],
    });
  }

  private correct(
    planId: string,
    corrections: Parameters<typeof applyCorrections>[1],
    refusals: readonly Refusal[],
  ): void {
    this.logger.info(
      { planId, refusals: refusals.map((refusal) => refusal.code) },
      'change reverted by a governance rule',
    );
    const done = this.documents
      .change(planId, SYSTEM_AUTHOR, (doc) => applyCorrections(doc, corrections))
      .catch((error: unknown) => this.logger.error({ err: error, planId }, 'a governance correction failed'));
    this.corrections.track(planId, done);
  }
}
