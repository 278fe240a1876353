import { Inject, Injectable } from '@nestjs/common';
import {
  type ChangeAuthor,
  ChangeOrigin,
  type CollabServer,
  type DocumentWatcher,
  SYSTEM_AUTHOR,
} from '@bascule/collab';
import {
  applyCorrections,
  type ChangeActor,
  type DomainChange,
  PlanTracker,
  type Refusal,
  reviewChanges,
  reviewState,
} from '@bascule/plan-model';
import type * as Y from 'yjs';
import { type AuditActor, AuditTrailService, type ChangeRecord } from '../audit/audit-trail.service.js';
import { InFlight } from '../common/in-flight.js';
import { CLOCK, type Clock, LOGGER } from '../core.module.js';
import type { Logger } from '../logging/logger.js';
import type { PlanChanged } from '../events/plan-changed.js';
import { planMessagesOf } from '../webhooks/plan-messages.js';

/** The parts of a plan the governance rules are about. */
const GOVERNED: ReadonlySet<string> = new Set(['milestones', 'checkpoints', 'plan']);

/** Plan roles that may approve compliance checkpoints. */
const APPROVING_ROLES = new Set(['OWNER', 'APPROVER']);

export const actorOf = (author: ChangeAuthor): ChangeActor => ({
  canApprove: author.kind === 'system' || APPROVING_ROLES.has(author.planRole ?? ''),
  name: author.name,
});

export const auditActorOf = (author: ChangeAuthor): AuditActor => ({
  kind: author.kind,
  id: author.kind === 'apiToken' ? author.apiTokenId : author.userId,
  name: author.name,
});

/** The trail's words for what changed and what was refused, one event per field. */
export function auditEventsOf(
  planId: string,
  author: ChangeAuthor,
  changes: readonly DomainChange[],
  refusals: readonly Refusal[],
  at: Date,
) {
  const actor = auditActorOf(author);
  return [
    ...changes.map((change) => ({
      planId,
      actor,
      action: change.action,
      entity: change.collection,
      entityId: change.entryId,
      field: change.field,
      before: change.before ?? undefined,
      after: change.after ?? undefined,
      at,
    })),
    ...refusals.map((refusal) => ({
      planId,
      actor,
      action: 'refused',
      entity: refusal.collection,
      entityId: refusal.entryId,
      field: null,
      details: { code: refusal.code, message: refusal.message },
      at,
    })),
  ];
}

/** What a change on a plan leads to: what the trail and the webhook outbox get, and what to undo. */
export function describeChange(input: {
  readonly planId: string;
  readonly author: ChangeAuthor;
  /** The stored update that carried it. */
  readonly updateId: number | null;
  readonly changes: readonly DomainChange[];
  /** A socket's change, which the rules judge after the fact (server changes were judged before). */
  readonly viaSocket: boolean;
  readonly at: Date;
  readonly doc: Y.Doc;
  readonly tracker: PlanTracker;
}): { record: ChangeRecord; refusals: readonly Refusal[]; corrections: Parameters<typeof applyCorrections>[1] } {
  const { planId, author, changes, at } = input;
  const review =
    input.viaSocket && changes.length > 0
      ? reviewChanges(input.tracker, changes, actorOf(author), at.toISOString())
      : { refusals: [], corrections: [] };
  const event: PlanChanged = { ...input, refusals: review.refusals };
  return {
    record: {
      planId,
      updateId: input.updateId,
      events: auditEventsOf(planId, author, changes, review.refusals, at),
      messages: changes.length === 0 ? [] : planMessagesOf(event),
    },
    refusals: review.refusals,
    corrections: review.corrections,
  };
}

/**
 * What the trail records of a change that could not be read in plan terms (a structure the plan
 * model does not know, or a reading that failed): who made it, when, and that it happened.
 */
export function unreadableChange(
  planId: string,
  author: ChangeAuthor,
  updateId: number | null,
  at: Date,
): ChangeRecord {
  return {
    planId,
    updateId,
    events: [
      {
        planId,
        actor: auditActorOf(author),
        action: 'updated',
        entity: 'document',
        entityId: null,
        field: null,
        details: { note: 'a change that could not be read in plan terms' },
        at,
      },
    ],
    messages: [],
  };
}

/**
 * Watches every plan document this instance has loaded. Each change made here (a socket's update or
 * a server change) is written to the audit trail in domain terms with its authenticated author,
 * with the webhook events it leads to, marking its stored update recorded; a socket's change that
 * breaks a governance rule (an editor approving, a gated milestone closed early) is reverted by a
 * change of the server's own, through the same durable path, and the refusal recorded. Server
 * changes were checked before they were stored (governedChange).
 */
@Injectable()
export class GovernanceWatcher implements DocumentWatcher {
  private server: CollabServer | null = null;
  private readonly corrections = new InFlight();
  private readonly listeners = new Set<(event: PlanChanged) => void>();

  constructor(
    private readonly audit: AuditTrailService,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  /** The collab server it corrects documents through (made after the watcher, which it is given to). */
  bind(server: CollabServer): void {
    this.server = server;
  }

  watch(planId: string, doc: Y.Doc): { close(): void } {
    const tracker = new PlanTracker(doc);
    // As stored: a crash may have come between a change and its reversal.
    this.enforce(planId, tracker, { stampsRequired: true });
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
        this.audit.recordChange(record);
        if (changes.length === 0) return;
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
          this.audit.recordChange(unreadableChange(planId, origin.author, origin.updateId, this.clock.now()));
      }
    };
    doc.on('afterTransaction', onTransaction);
    return { close: () => doc.off('afterTransaction', onTransaction) };
  }

  /** A stored update that could not be applied changed nothing: its mark is cleared all the same. */
  unapplied(planId: string, updateId: number): void {
    this.audit.recordChange({ planId, updateId, events: [], messages: [] });
  }

  /** Calls `listener` after each change made on this instance (not replicas); returns an unsubscribe. */
  onChange(listener: (event: PlanChanged) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Waits for the corrections under way, then writes the trail: called once the collab server has closed. */
  async close(): Promise<void> {
    await this.corrections.settled();
    await this.audit.drain();
  }

  /** Corrects, as Bascule, whatever in the plan as it stands breaks the rules, and records it. */
  private enforce(planId: string, tracker: PlanTracker, options: { stampsRequired: boolean }): void {
    const found = reviewState(tracker, options);
    if (found.corrections.length === 0) return;
    this.correct(planId, found.corrections, found.refusals);
    for (const event of auditEventsOf(planId, SYSTEM_AUTHOR, [], found.refusals, this.clock.now()))
      this.audit.record(event);
  }

  private correct(
    planId: string,
    corrections: Parameters<typeof applyCorrections>[1],
    refusals: readonly Refusal[],
  ): void {
    const server = this.server;
    if (server === null) return;
    this.logger.info(
      { planId, refusals: refusals.map((refusal) => refusal.code) },
      'change reverted by a governance rule',
    );
    const done = server
      .applyServerChange(planId, SYSTEM_AUTHOR, (doc) => applyCorrections(doc, corrections))
      .catch((error: unknown) => this.logger.error({ err: error, planId }, 'a governance correction failed'));
    this.corrections.track(done);
  }
}
