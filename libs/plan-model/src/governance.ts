import type * as Y from 'yjs';
import { readEntryValues, readMetaValues, type Values } from './document.js';
import { createEntry, updateEntry } from './edit.js';
import { type CheckpointStatus, type CollectionName, COLLECTIONS, META_MAP, NOTES_FIELD } from './schema.js';

/** What a change touched, in the words of the plan: an entry's field, the header, or the notes. */
export interface DomainChange {
  readonly collection: CollectionName | 'plan' | 'notes';
  /** The entry's id; null for the header and the notes. */
  readonly entryId: string | null;
  readonly action: 'created' | 'updated' | 'deleted';
  /** The field that changed; null when a whole entry was created or deleted, or for the notes. */
  readonly field: string | null;
  /** Values as the reader sees them (a whole entry for created and deleted); null for the notes. */
  readonly before: unknown;
  readonly after: unknown;
}

/** A shared type as Yjs names it in a transaction's changes. */
type SharedType = Parameters<Y.Transaction['changed']['get']>[0];

const same = (a: unknown, b: unknown) => a === b || JSON.stringify(a) === JSON.stringify(b);

/**
 * Follows a live plan document and tells, for each transaction, what it changed in domain terms
 * (entity, field, before, after). It keeps the last values it saw of every entry, so a change costs
 * the reading of the entries it touched, not of the whole plan.
 */
export class PlanTracker {
  private readonly entries = new Map<CollectionName, Map<string, Values>>();
  private meta: Values;
  /** Top-level types by identity, to tell which part of the plan a changed type belongs to. */
  private readonly tops = new Map<unknown, CollectionName | 'plan' | 'notes'>();

  constructor(private readonly doc: Y.Doc) {
    for (const name of COLLECTIONS) {
      const values = new Map<string, Values>();
      for (const id of doc.getMap<unknown>(name).keys()) {
        const entry = readEntryValues(doc, name, id);
        if (entry !== null) values.set(id, entry);
      }
      this.entries.set(name, values);
    }
    this.meta = readMetaValues(doc);
    // Made now if missing, so that changes to a part created later are seen too.
    for (const name of COLLECTIONS) this.tops.set(doc.getMap(name), name);
    this.tops.set(doc.getMap(META_MAP), 'plan');
    try {
      this.tops.set(doc.getXmlFragment(NOTES_FIELD), 'notes');
    } catch {
      // `notes` used as another kind of type by some client: the reader reports it; nothing to follow.
    }
  }

  /** The entry as last seen. */
  entry(collection: CollectionName, id: string): Values | undefined {
    return this.entries.get(collection)?.get(id);
  }

  /** Every entry of a collection as last seen, in no particular order. */
  all(collection: CollectionName): Iterable<Values> {
    return this.entries.get(collection)?.values() ?? [];
  }

  /** What `transaction` changed; call it for every transaction on the document, in order. */
  changesOf(transaction: Y.Transaction): DomainChange[] {
    const touched = this.touched(transaction);
    const changes: DomainChange[] = [];
    if (touched.has('plan')) {
      const meta = readMetaValues(this.doc);
      for (const [field, after] of Object.entries(meta)) {
        const before = this.meta[field];
        if (!same(before, after))
          changes.push({ collection: 'plan', entryId: null, action: 'updated', field, before, after });
      }
      this.meta = meta;
    }
    for (const name of COLLECTIONS) {
      const ids = touched.get(name);
      if (ids === undefined) continue;
      const known = this.entries.get(name) ?? new Map<string, Values>();
      this.entries.set(name, known);
      for (const id of ids) {
        const before = known.get(id) ?? null;
        const after = readEntryValues(this.doc, name, id);
        if (after === null) known.delete(id);
        else known.set(id, after);
        if (before === null && after === null) continue;
        if (before === null)
          changes.push({ collection: name, entryId: id, action: 'created', field: null, before, after });
        else if (after === null)
          changes.push({ collection: name, entryId: id, action: 'deleted', field: null, before, after });
        else
          for (const [field, value] of Object.entries(after)) {
            if (!same(before[field], value))
              changes.push({
                collection: name,
                entryId: id,
                action: 'updated',
                field,
                before: before[field],
                after: value,
              });
          }
      }
    }
    if (touched.has('notes'))
      changes.push({ collection: 'notes', entryId: null, action: 'updated', field: null, before: null, after: null });
    return changes;
  }

  /** The parts of the plan whose types the transaction changed, with the entry ids under each collection. */
  private touched(transaction: Y.Transaction): Map<string, Set<string>> {
    const touched = new Map<string, Set<string>>();
    const mark = (top: string, id: string | null) => {
      let ids = touched.get(top);
      if (ids === undefined) touched.set(top, (ids = new Set()));
      if (id !== null) ids.add(id);
    };
    for (const [type, keys] of transaction.changed) {
      const direct = this.tops.get(type);
      if (direct !== undefined) {
        if (direct === 'plan' || direct === 'notes') mark(direct, null);
        else for (const key of keys) if (key !== null) mark(direct, key);
        continue;
      }
      // A type inside an entry (its Y.Map, a Y.Text or Y.Array field): climb to the collection.
      let node: SharedType = type;
      for (;;) {
        const item = node._item;
        if (item === null) break;
        const parent = item.parent as SharedType;
        const top = this.tops.get(parent);
        if (top !== undefined) {
          mark(top, top === 'plan' || top === 'notes' ? null : item.parentSub);
          break;
        }
        node = parent;
      }
    }
    return touched;
  }
}

/** Who made a change, as the server vouches for it. */
export interface ChangeActor {
  /** May set checkpoints to passed or waived (plan OWNER or APPROVER). */
  readonly canApprove: boolean;
  /** Shown as the approver. */
  readonly name: string;
}

export type RefusalCode = 'APPROVAL_REQUIRED' | 'JUSTIFICATION_REQUIRED' | 'GATE_BLOCKED' | 'APPROVAL_FORGED';

/** A rule a change broke; the change is reverted (or, through the API, refused). */
export interface Refusal {
  readonly code: RefusalCode;
  readonly collection: 'milestones' | 'checkpoints';
  readonly entryId: string;
  readonly message: string;
  /** For GATE_BLOCKED: the open checkpoints (of a milestone), or the done milestones (of a checkpoint). */
  readonly related: readonly string[];
}

/**
 * Values to write back on one entry: reverting what broke a rule, or stamping an approval. With
 * `restore`, the entry was deleted and is put back whole (same id, same place).
 */
export interface Correction {
  readonly collection: 'milestones' | 'checkpoints';
  readonly entryId: string;
  readonly values: Values;
  readonly restore?: true;
}

export interface Review {
  readonly refusals: readonly Refusal[];
  readonly corrections: readonly Correction[];
}

const CLEARED: ReadonlySet<string> = new Set<CheckpointStatus>(['PASSED', 'WAIVED']);
export const isCleared = (status: unknown): boolean => typeof status === 'string' && CLEARED.has(status);
const APPROVAL_FIELDS = ['approvedBy', 'approvedAt'];

/**
 * The governance rules, checked on what a transaction changed (with `tracker` already past it):
 * - only approvers set a checkpoint to PASSED or WAIVED or change a waiver's justification, a waiver
 *   needs a justification, and the approval (who, when) is stamped by the server, never taken from
 *   the client;
 * - a milestone gated by checkpoints (they list it in `milestoneIds`) is DONE only while every one of
 *   them is PASSED or WAIVED: setting it DONE too early is reverted, and so is a checkpoint change
 *   (un-approving, linking an open one) that would leave a DONE milestone gated by an open checkpoint;
 * - only approvers loosen a gate: deleting a checkpoint that is not yet passed or waived while it
 *   gates a milestone, or taking a milestone out of such a checkpoint's list, is reverted otherwise.
 * Returns the broken rules and what to write back: the reverted values and the approval stamps.
 */
export function reviewChanges(
  tracker: PlanTracker,
  changes: readonly DomainChange[],
  actor: ChangeActor,
  at: string,
): Review {
  const refusals: Refusal[] = [];
  const corrections = new Map<string, Correction>();
  const correct = (collection: Correction['collection'], entryId: string, values: Values) => {
    const key = `${collection}/${entryId}`;
    corrections.set(key, { collection, entryId, values: { ...corrections.get(key)?.values, ...values } });
  };
  const refuse = (
    code: RefusalCode,
    collection: Refusal['collection'],
    entryId: string,
    message: string,
    related: readonly string[] = [],
  ) => refusals.push({ code, collection, entryId, message, related });

  const checkpoints = new Map<string, EntryChanges>();
  const milestones = new Map<string, EntryChanges>();
  for (const change of changes) {
    if (change.entryId === null) continue;
    const into =
      change.collection === 'checkpoints' ? checkpoints : change.collection === 'milestones' ? milestones : null;
    if (into === null) continue;
    let fields = into.get(change.entryId);
    if (fields === undefined) into.set(change.entryId, (fields = new Map()));
    // Changes of several transactions: the first `before` and the last `after` of each field.
    const prior = fields.get(change.field);
    fields.set(change.field, prior === undefined ? change : { ...change, before: prior.before });
  }

  // Approvals.
  for (const [entryId, fields] of checkpoints) {
    const current = tracker.entry('checkpoints', entryId);
    if (current === undefined) continue; // deleted
    const before = (field: string) => valueBefore(fields, field, current);
    const revert = (names: readonly string[]) =>
      correct('checkpoints', entryId, Object.fromEntries(names.map((name) => [name, before(name) ?? null])));
    const statusChanged = !same(before('status'), current.status);
    const cleared = isCleared(current.status);
    if (statusChanged && cleared && !actor.canApprove) {
      refuse(
        'APPROVAL_REQUIRED',
        'checkpoints',
        entryId,
        `only the plan's owners and approvers may set a checkpoint to ${String(current.status)}`,
      );
      revert(['status', ...APPROVAL_FIELDS]);
    } else if (current.status === 'WAIVED' && String(current.justification).trim() === '') {
      refuse('JUSTIFICATION_REQUIRED', 'checkpoints', entryId, 'a waiver needs a justification');
      revert(statusChanged ? ['status', 'justification', ...APPROVAL_FIELDS] : ['justification']);
    } else if (!statusChanged && current.status === 'WAIVED' && fields.has('justification') && !actor.canApprove) {
      refuse(
        'APPROVAL_REQUIRED',
        'checkpoints',
        entryId,
        "only the plan's owners and approvers may change a waiver's justification",
      );
      revert(['justification']);
    } else if (statusChanged) {
      // The approval is the server's to write: who, as authenticated, and when.
      correct(
        'checkpoints',
        entryId,
        cleared ? { approvedBy: actor.name, approvedAt: at } : { approvedBy: null, approvedAt: null },
      );
    } else if (APPROVAL_FIELDS.some((field) => fields.has(field))) {
      refuse(
        'APPROVAL_FORGED',
        'checkpoints',
        entryId,
        'who approved a checkpoint, and when, is recorded by the server',
      );
      revert(APPROVAL_FIELDS);
    }
  }

  // Loosening a gate: an open checkpoint deleted, or a milestone taken out of its list.
  if (!actor.canApprove) {
    for (const [entryId, fields] of checkpoints) {
      const whole = fields.get(null);
      if (whole?.action === 'deleted') {
        const removed = whole.before as Values;
        const gated = (removed.milestoneIds as string[]).filter((id) => tracker.entry('milestones', id) !== undefined);
        if (isCleared(removed.status) || gated.length === 0) continue;
        refuse(
          'APPROVAL_REQUIRED',
          'checkpoints',
          entryId,
          `only the plan's owners and approvers may remove "${String(removed.title)}", which gates a milestone`,
          gated,
        );
        corrections.set(`checkpoints/${entryId}`, {
          collection: 'checkpoints',
          entryId,
          values: removed,
          restore: true,
        });
        continue;
      }
      const current = tracker.entry('checkpoints', entryId);
      const linksBefore = fields.get('milestoneIds')?.before;
      if (current === undefined || whole !== undefined || !Array.isArray(linksBefore)) continue;
      const status = corrections.get(`checkpoints/${entryId}`)?.values.status ?? current.status;
      if (isCleared(status)) continue;
      const links = current.milestoneIds as string[];
      const dropped = (linksBefore as string[]).filter(
        (id) => !links.includes(id) && tracker.entry('milestones', id) !== undefined,
      );
      if (dropped.length === 0) continue;
      refuse(
        'APPROVAL_REQUIRED',
        'checkpoints',
        entryId,
        `only the plan's owners and approvers may take a milestone out of the gate "${String(current.title)}"`,
        dropped,
      );
      correct('checkpoints', entryId, { milestoneIds: [...links, ...dropped] });
    }
  }

  // Gates: the checkpoints' statuses and links as they will be once the corrections above apply.
  const statusOf = (checkpoint: Values) =>
    corrections.get(`checkpoints/${checkpoint.id as string}`)?.values.status ?? checkpoint.status;
  const gatesOf = (milestoneId: string) =>
    [...tracker.all('checkpoints')].filter((checkpoint) => (checkpoint.milestoneIds as string[]).includes(milestoneId));
  const open = (milestoneId: string) => gatesOf(milestoneId).filter((checkpoint) => !isCleared(statusOf(checkpoint)));
  const describe = (list: Values[]) => list.map((checkpoint) => `"${String(checkpoint.title)}"`).join(', ');

  const closing = new Set<string>();
  for (const [entryId, fields] of milestones) {
    const current = tracker.entry('milestones', entryId);
    if (current === undefined || current.status !== 'DONE') continue;
    const before = (field: string) => valueBefore(fields, field, current);
    if (before('status') === 'DONE') continue;
    const blocking = open(entryId);
    if (blocking.length === 0) continue;
    closing.add(entryId);
    refuse(
      'GATE_BLOCKED',
      'milestones',
      entryId,
      `"${String(current.title)}" stays open until ${describe(blocking)} ${blocking.length === 1 ? 'is' : 'are'} passed or waived`,
      blocking.map((checkpoint) => checkpoint.id as string),
    );
    correct('milestones', entryId, {
      status: before('status') ?? 'NOT_STARTED',
      completedOn: before('completedOn') ?? null,
    });
  }
  for (const [entryId, fields] of checkpoints) {
    const current = tracker.entry('checkpoints', entryId);
    if (current === undefined || isCleared(statusOf(current))) continue;
    const before = (field: string) => valueBefore(fields, field, current);
    // Its links as they will be (a dropped link may just have been put back above).
    const links =
      (corrections.get(`checkpoints/${entryId}`)?.values.milestoneIds as string[] | undefined) ??
      (current.milestoneIds as string[]);
    const doneGated = links.filter(
      (milestoneId) => tracker.entry('milestones', milestoneId)?.status === 'DONE' && !closing.has(milestoneId),
    );
    if (doneGated.length === 0) continue;
    const titles = doneGated
      .map((milestoneId) => `"${String(tracker.entry('milestones', milestoneId)?.title)}"`)
      .join(', ');
    refuse(
      'GATE_BLOCKED',
      'checkpoints',
      entryId,
      `"${String(current.title)}" gates ${titles}, already done: it must stay passed or waived`,
      doneGated,
    );
    if (isCleared(before('status'))) {
      correct('checkpoints', entryId, {
        status: before('status'),
        approvedBy: before('approvedBy') ?? null,
        approvedAt: before('approvedAt') ?? null,
      });
    } else {
      const kept = (before('milestoneIds') as string[] | undefined) ?? [];
      correct('checkpoints', entryId, {
        milestoneIds: links.filter((id) => kept.includes(id) || !doneGated.includes(id)),
      });
    }
  }
  return { refusals, corrections: [...corrections.values()] };
}

/**
 * The rules as they stand on a whole plan, whoever wrote it: for a document loaded from storage (a
 * crash may have come between a change and its reversal) and after changes that were not reviewed
 * as they were made (replicas from another instance, a server change judged on an earlier copy).
 * A done milestone gated by an open checkpoint is reopened; with `stampsRequired` (at load), a
 * passed or waived checkpoint without the server's approval stamp goes back to review.
 */
export function reviewState(tracker: PlanTracker, options: { readonly stampsRequired: boolean }): Review {
  const refusals: Refusal[] = [];
  const corrections: Correction[] = [];
  const reopened = new Map<string, unknown>();
  if (options.stampsRequired)
    for (const checkpoint of tracker.all('checkpoints')) {
      if (!isCleared(checkpoint.status) || APPROVAL_FIELDS.every((field) => typeof checkpoint[field] === 'string'))
        continue;
      const entryId = checkpoint.id as string;
      refusals.push({
        code: 'APPROVAL_REQUIRED',
        collection: 'checkpoints',
        entryId,
        message: `"${String(checkpoint.title)}" was ${String(checkpoint.status)} without the server's approval stamp`,
        related: [],
      });
      corrections.push({
        collection: 'checkpoints',
        entryId,
        values: { status: 'IN_REVIEW', approvedBy: null, approvedAt: null },
      });
      reopened.set(entryId, 'IN_REVIEW');
    }
  const open = [...tracker.all('checkpoints')].filter(
    (checkpoint) => !isCleared(reopened.get(checkpoint.id as string) ?? checkpoint.status),
  );
  for (const milestone of tracker.all('milestones')) {
    if (milestone.status !== 'DONE') continue;
    const entryId = milestone.id as string;
    const blocking = open.filter((checkpoint) => (checkpoint.milestoneIds as string[]).includes(entryId));
    if (blocking.length === 0) continue;
    refusals.push({
      code: 'GATE_BLOCKED',
      collection: 'milestones',
      entryId,
      message: `"${String(milestone.title)}" was done while ${blocking.map((checkpoint) => `"${String(checkpoint.title)}"`).join(', ')} ${blocking.length === 1 ? 'was' : 'were'} not passed or waived`,
      related: blocking.map((checkpoint) => checkpoint.id as string),
    });
    corrections.push({ collection: 'milestones', entryId, values: { status: 'IN_PROGRESS', completedOn: null } });
  }
  return { refusals, corrections };
}

type EntryChanges = Map<string | null, DomainChange>;

/** A field's value before the transaction: the change's, the value now when unchanged, undefined for a new entry. */
function valueBefore(fields: EntryChanges, field: string, current: Values): unknown {
  const whole = fields.get(null);
  if (whole !== undefined) return whole.action === 'created' ? undefined : (whole.before as Values)[field];
  const change = fields.get(field);
  return change === undefined ? current[field] : change.before;
}

/**
 * Writes the corrections of a review, as the server (approvals are its to write). A correction the
 * document no longer allows (its entry deleted since, a reference gone) is skipped and returned.
 */
export function applyCorrections(doc: Y.Doc, corrections: readonly Correction[]): Correction[] {
  const skipped: Correction[] = [];
  doc.transact(() => {
    for (const correction of corrections) {
      try {
        if (correction.restore === true) restoreEntry(doc, correction.collection, correction.values);
        else updateEntry(doc, correction.collection, correction.entryId, correction.values, { trusted: true });
      } catch {
        skipped.push(correction);
      }
    }
  });
  return skipped;
}

/** Puts a deleted entry back with its values, its id and its place in the list. */
function restoreEntry(doc: Y.Doc, collection: CollectionName, values: Values): void {
  const { id, position, ...fields } = values;
  if (typeof id !== 'string') throw new Error('an entry to restore needs its id');
  if (doc.getMap<unknown>(collection).has(id)) return;
  createEntry(doc, collection, fields, { id, trusted: true });
  if (typeof position === 'number') doc.getMap<Y.Map<unknown>>(collection).get(id)?.set('position', position);
}

/** Changes that broke governance rules, refused as a whole (the API's answer). */
export class GovernanceError extends Error {
  constructor(readonly refusals: readonly Refusal[]) {
    super(refusals.map((refusal) => refusal.message).join('; '));
    this.name = 'GovernanceError';
  }
}

/**
 * Runs `change` on `doc` under the governance rules, for changes the server makes for someone: when
 * it breaks a rule it throws a GovernanceError (the caller discards the document), otherwise the
 * approval stamps are written in and the result returned. The same rules as for sockets, checked
 * before anything is stored rather than reverted after.
 */
export function governedChange<T>(doc: Y.Doc, actor: ChangeActor, at: string, change: (doc: Y.Doc) => T): T {
  const tracker = new PlanTracker(doc);
  const changes: DomainChange[] = [];
  const follow = (transaction: Y.Transaction) => changes.push(...tracker.changesOf(transaction));
  doc.on('afterTransaction', follow);
  let result: T;
  try {
    result = change(doc);
  } finally {
    doc.off('afterTransaction', follow);
  }
  const review = reviewChanges(tracker, changes, actor, at);
  if (review.refusals.length > 0) throw new GovernanceError(review.refusals);
  applyCorrections(doc, review.corrections);
  return result;
}
