import type { ChangeAuthor } from '@bascule/collab';
import {
  type applyCorrections,
  type ChangeActor,
  type DomainChange,
  type Language,
  type PlanTracker,
  type Refusal,
  reviewChanges,
} from '@bascule/plan-model';
import type * as Y from 'yjs';
import type { AuditActor, AuditInput } from '../audit/audit-trail.service.js';
import { noticesOf } from './plan-notices.js';
import type { PlanNotice } from '../notifications/notifications.service.js';
import type { PlanMessage } from '../webhooks/webhooks.service.js';
import type { PlanChanged } from './plan-changed.js';
import { planMessagesOf } from './plan-messages.js';

/**
 * Everything one change leads to, written together in one transaction: its events in the trail,
 * its webhook messages, and, for a change carried by a stored update, the mark that it is recorded.
 */
export interface ChangeRecord {
  readonly planId: string;
  /** The stored update that carried it (its log row); null for what no update carries (a refusal). */
  readonly updateId: number | null;
  readonly events: readonly AuditInput[];
  readonly messages: readonly PlanMessage[];
  /** Who it tells what (notifications and their e-mails). */
  readonly notices?: readonly PlanNotice[];
}

/** Plan roles that may approve compliance checkpoints. */
const APPROVING_ROLES = new Set(['OWNER', 'APPROVER']);

/** Plan roles that may act on every runbook task. */
const EDITING_ROLES = new Set(['OWNER', 'EDITOR']);

export const actorOf = (author: ChangeAuthor): ChangeActor => ({
  canApprove: author.kind === 'system' || APPROVING_ROLES.has(author.role ?? ''),
  canEdit: author.kind === 'system' || EDITING_ROLES.has(author.role ?? ''),
  userId: author.kind === 'system' ? null : author.userId,
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
  const messages = changes.length === 0 ? [] : planMessagesOf(event);
  const header = input.tracker.header();
  const notices = changes.length === 0 ? [] : noticesOf(event, messages);
  return {
    record: {
      planId,
      updateId: input.updateId,
      events: auditEventsOf(planId, author, changes, review.refusals, at),
      messages,
      notices: notices.map((notice) => ({
        ...notice,
        planTitle: String(header.title ?? ''),
        planLanguage: header.language as Language,
      })),
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
