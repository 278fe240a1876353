import * as Y from 'yjs';
import { isCleared } from './checkpoint-status.js';
import { datesOutOfOrder } from './dates.js';
import { mentionsInFragment, readEntryValues, readMetaValues, type Values } from './document.js';
import { createEntry, deleteEntry, emptyValue, updateEntry, updateMeta } from './edit.js';
import { reviewCommentChanges, unstampedComments } from './comment-rules.js';
import type { RuleReview } from './rule-review.js';
import { reconcileDecisions, reviewRunbookChanges, unstampedRunbookState } from './runbook-rules.js';
import {
  type CollectionName,
  COLLECTIONS,
  ENTITY_FIELDS,
  type FieldSpec,
  META_FIELDS,
  META_MAP,
  NOTES_FIELD,
} from './schema.js';

/** What a change touched, in the words of the plan: an entry's field, the header, or the notes. */
export interface DomainChange {
  readonly collection: CollectionName | 'plan' | 'notes';
  /** The entry's id; null for the header and the notes. */
  readonly entryId: string | null;
  readonly action: 'created' | 'updated' | 'deleted';
  /**
   * The field that changed; null when a whole entry was created or deleted, or for the notes' text
   * (`mentions` when the members the notes mention changed, beside it).
   */
  readonly field: string | null;
  /** Values as the reader sees them (a whole entry for created and deleted); null for the notes' text. */
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
  /** The members the notes mention, as last seen. */
  private noteMentions: string[] = [];

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
      const notes = doc.getXmlFragment(NOTES_FIELD);
      this.tops.set(notes, 'notes');
      this.noteMentions = mentionsInFragment(notes);
    } catch {
      // `notes` used as another kind of type by some client: the reader reports it; nothing to follow.
    }
  }

  /** The entry as last seen. */
  entry(collection: CollectionName, id: string): Values | undefined {
    return this.entries.get(collection)?.get(id);
  }

  /** The plan's header as last seen. */
  header(): Values {
    return this.meta;
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
    if (touched.has('notes')) {
      changes.push({ collection: 'notes', entryId: null, action: 'updated', field: null, before: null, after: null });
      const mentions = mentionsInFragment(this.doc.getXmlFragment(NOTES_FIELD));
      if (!same(mentions, this.noteMentions))
        changes.push({
          collection: 'notes',
          entryId: null,
          action: 'updated',
          field: 'mentions',
          before: this.noteMentions,
          after: mentions,
        });
      this.noteMentions = mentions;
    }
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
  /** May act on every runbook task and start or end runbooks (plan OWNER or EDITOR). */
  readonly canEdit: boolean;
  /** The member, for the tasks they own and the go / no-go points they approve; null for the server. */
  readonly userId: string | null;
  /** Shown as the approver. */
  readonly name: string;
}

export type RefusalCode =
  | 'APPROVAL_REQUIRED'
  | 'JUSTIFICATION_REQUIRED'
  | 'GATE_BLOCKED'
  | 'APPROVAL_FORGED'
  | 'SERVER_FIELD'
  | 'DATE_ORDER'
  | 'TASK_ACTOR'
  | 'TASK_ORDER'
  | 'REASON_REQUIRED'
  | 'VOTE_REFUSED'
  | 'COMMENT_REFUSED';

/** What a refusal or a correction is about: an entry of a collection, or the plan's header. */
export type GovernedPart = CollectionName | 'plan';

/** A rule a change broke; the change is reverted (or, through the API, refused). */
export interface Refusal {
  readonly code: RefusalCode;
  readonly collection: GovernedPart;
  /** The entry's id; null for the plan's header. */
  readonly entryId: string | null;
  readonly message: string;
  /** For GATE_BLOCKED: the open checkpoints (of a milestone), or the done milestones (of a checkpoint). */
  readonly related: readonly string[];
}

/**
 * Values to write back on one entry (or the header): reverting what broke a rule, or stamping what
 * the server writes (an approval, a completion date). With `restore`, the entry was deleted and is
 * put back whole (same id, same place).
 */
export interface Correction {
  readonly collection: GovernedPart;
  readonly entryId: string | null;
  readonly values: Values;
  readonly restore?: true;
  /** The entry was made by the change and is taken out. */
  readonly remove?: true;
}

export interface Review {
  readonly refusals: readonly Refusal[];
  readonly corrections: readonly Correction[];
}

const APPROVAL_FIELDS = ['approvedBy', 'approvedAt'];

/** Start and end dates that must come in order, as the API checks them. */
const DATE_PAIRS: readonly (readonly [GovernedPart, string, string])[] = [
  ['plan', 'startDate', 'targetDate'],
  ['milestones', 'startDate', 'dueDate'],
];

const fieldsOf = (part: GovernedPart): Record<string, FieldSpec> =>
  part === 'plan' ? META_FIELDS : ENTITY_FIELDS[part];

/**
 * The value a field goes back to when it has no earlier value to go back to (an entry made by the
 * change itself): what a new entry gets by default, so a checkpoint goes back to TODO unapproved.
 */
function safeValue(part: GovernedPart, field: string): unknown {
  const spec = fieldsOf(part)[field];
  if (spec === undefined) return null;
  if (spec.type === 'enum' || spec.type === 'score') return spec.fallback;
  return emptyValue(spec);
}

const keyOf = (part: GovernedPart, entryId: string | null) => `${part}/${entryId ?? ''}`;

/**
 * The governance rules, checked on what a client's transaction changed (with `tracker` already past
 * it):
 * - only approvers set a checkpoint to PASSED or WAIVED or change a waiver's justification, a waiver
 *   needs a justification, and the approval (who, when) is stamped by the server, never taken from
 *   the client;
 * - a milestone gated by checkpoints (they list it in `milestoneIds`) is DONE only while every one of
 *   them is PASSED or WAIVED: setting it DONE too early is reverted, and so is a checkpoint change
 *   (un-approving, linking an open one) that would leave a DONE milestone gated by an open checkpoint;
 *   a done milestone left without a completion date is completed on the day of the change;
 * - only approvers loosen a gate: deleting a checkpoint that is not yet passed or waived while it
 *   gates a milestone, or taking a milestone out of such a checkpoint's list, is reverted otherwise;
 * - `automatic` on risks is the server's: a client's write of it is reverted;
 * - start and end dates (a milestone's, the plan's) stay in order: the date that moved goes back.
 * A reverted field goes back to its value before the change, or, on an entry the change made, to
 * the value a new entry gets (`safeValue`). Returns the broken rules and what to write back.
 */
export function reviewChanges(
  tracker: PlanTracker,
  changes: readonly DomainChange[],
  actor: ChangeActor,
  at: string,
): Review {
  const refusals: Refusal[] = [];
  const corrections = new Map<string, Correction>();
  const correct = (collection: GovernedPart, entryId: string | null, values: Values) => {
    const key = keyOf(collection, entryId);
    corrections.set(key, { collection, entryId, values: { ...corrections.get(key)?.values, ...values } });
  };
  const corrected = (collection: GovernedPart, entryId: string | null) =>
    corrections.get(keyOf(collection, entryId))?.values;
  const refuse = (
    code: RefusalCode,
    collection: GovernedPart,
    entryId: string | null,
    message: string,
    related: readonly string[] = [],
  ) => refusals.push({ code, collection, entryId, message, related });

  // Changes of several transactions: the first `before` and the last `after` of each field.
  const byPart = new Map<GovernedPart, Map<string | null, EntryChanges>>();
  for (const change of changes) {
    if (change.collection === 'notes') continue;
    let entries = byPart.get(change.collection);
    if (entries === undefined) byPart.set(change.collection, (entries = new Map()));
    let fields = entries.get(change.entryId);
    if (fields === undefined) entries.set(change.entryId, (fields = new Map()));
    const prior = fields.get(change.field);
    fields.set(change.field, prior === undefined ? change : { ...change, before: prior.before });
  }
  const changed = (part: GovernedPart) => byPart.get(part) ?? new Map<string | null, EntryChanges>();
  const checkpoints = changed('checkpoints') as Map<string, EntryChanges>;
  const milestones = changed('milestones') as Map<string, EntryChanges>;

  // Approvals.
  for (const [entryId, fields] of checkpoints) {
    const current = tracker.entry('checkpoints', entryId);
    if (current === undefined) continue; // deleted
    const before = (field: string) => valueBefore(fields, field, current);
    const revert = (names: readonly string[]) =>
      correct(
        'checkpoints',
        entryId,
        Object.fromEntries(names.map((name) => [name, before(name) ?? safeValue('checkpoints', name)])),
      );
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
        corrections.set(keyOf('checkpoints', entryId), {
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
      const status = corrected('checkpoints', entryId)?.status ?? current.status;
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
    corrected('checkpoints', checkpoint.id as string)?.status ?? checkpoint.status;
  const gatesOf = (milestoneId: string) =>
    [...tracker.all('checkpoints')].filter((checkpoint) => (checkpoint.milestoneIds as string[]).includes(milestoneId));
  const open = (milestoneId: string) => gatesOf(milestoneId).filter((checkpoint) => !isCleared(statusOf(checkpoint)));
  const describe = (list: Values[]) => list.map((checkpoint) => `"${String(checkpoint.title)}"`).join(', ');

  const closing = new Set<string>();
  for (const [entryId, fields] of milestones) {
    const current = tracker.entry('milestones', entryId);
    if (current === undefined || current.status !== 'DONE') continue;
    const before = (field: string) => valueBefore(fields, field, current);
    const blocking = before('status') === 'DONE' ? [] : open(entryId);
    if (blocking.length === 0) {
      // A done milestone has its day: the server's when the client gave none, as through the API.
      if (current.completedOn === null) correct('milestones', entryId, { completedOn: at.slice(0, 10) });
      continue;
    }
    closing.add(entryId);
    refuse(
      'GATE_BLOCKED',
      'milestones',
      entryId,
      `"${String(current.title)}" stays open until ${describe(blocking)} ${blocking.length === 1 ? 'is' : 'are'} passed or waived`,
      blocking.map((checkpoint) => checkpoint.id as string),
    );
    correct('milestones', entryId, {
      status: before('status') ?? safeValue('milestones', 'status'),
      completedOn: before('completedOn') ?? null,
    });
  }
  for (const [entryId, fields] of checkpoints) {
    const current = tracker.entry('checkpoints', entryId);
    if (current === undefined || isCleared(statusOf(current))) continue;
    const before = (field: string) => valueBefore(fields, field, current);
    // Its links as they will be (a dropped link may just have been put back above).
    const links =
      (corrected('checkpoints', entryId)?.milestoneIds as string[] | undefined) ?? (current.milestoneIds as string[]);
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

  // Fields only the server writes.
  for (const [entryId, fields] of changed('risks') as Map<string, EntryChanges>) {
    const current = tracker.entry('risks', entryId);
    if (current === undefined) continue;
    const before = valueBefore(fields, 'automatic', current) ?? null;
    if (same(before, current.automatic)) continue;
    refuse(
      'SERVER_FIELD',
      'risks',
      entryId,
      `"automatic" marks the risks Bascule raises itself: it is not written by clients`,
    );
    correct('risks', entryId, { automatic: before });
  }

  // Dates in order: the one that moved goes back (both when both moved); a new entry loses its end.
  for (const [part, startKey, endKey] of DATE_PAIRS) {
    for (const [entryId, fields] of changed(part)) {
      const current = entryId === null ? tracker.header() : tracker.entry(part as CollectionName, entryId);
      if (current === undefined) continue;
      const start = corrected(part, entryId)?.[startKey] ?? current[startKey];
      const end = corrected(part, entryId)?.[endKey] ?? current[endKey];
      if (!datesOutOfOrder(start, end)) continue;
      refuse('DATE_ORDER', part, entryId, `${endKey} ${end} is before ${startKey} ${start}`);
      if (fields.get(null)?.action === 'created') {
        correct(part, entryId, { [endKey]: null });
        continue;
      }
      const moved = [startKey, endKey].filter((key) => fields.has(key));
      correct(part, entryId, Object.fromEntries(moved.map((key) => [key, valueBefore(fields, key, current) ?? null])));
    }
  }

  const relinks: Correction[] = [];
  const rules: RuleReview = {
    actor,
    at,
    changed: (collection) => changed(collection) as Map<string, EntryChanges>,
    entry: (collection, id) => tracker.entry(collection, id),
    all: (collection) => tracker.all(collection),
    before: valueBefore,
    correct,
    corrected,
    refuse,
    // Put back whole; references to entries of the same collection once every one is back.
    restore: (collection, entryId, values) => {
      const links = Object.entries(ENTITY_FIELDS[collection] as Record<string, FieldSpec>)
        .filter(([, spec]) => (spec.type === 'ids' || spec.type === 'ref') && spec.ref === collection)
        .map(([field]) => field);
      const own = Object.fromEntries(Object.entries(values).filter(([field]) => !links.includes(field)));
      corrections.set(keyOf(collection, entryId), { collection, entryId, values: own, restore: true });
      const linked = Object.fromEntries(Object.entries(values).filter(([field]) => links.includes(field)));
      if (Object.keys(linked).length > 0) relinks.push({ collection, entryId, values: linked });
    },
    remove: (collection, entryId) =>
      corrections.set(keyOf(collection, entryId), { collection, entryId, values: {}, remove: true }),
  };
  reviewRunbookChanges(rules);
  reviewCommentChanges(rules);
  return { refusals, corrections: [...corrections.values(), ...relinks] };
}

/** An entry that lacks the server's stamps, with what putting it right takes. */
interface StampFix {
  readonly refusal: Refusal;
  readonly correction: Correction;
  /** The status a checkpoint goes back to (gates then count it as open). */
  readonly reopens?: string;
}

/** An entry's key in a set of entries: `collection/id`. */
const entryKey = (collection: string, entryId: string | null) => `${collection}/${entryId ?? ''}`;

/**
 * What in the plan lacks the server's stamps: a passed or waived checkpoint without its approval
 * stamp goes back to review, runbook execution without its stamps goes back to where a stamp says
 * it was, and a comment without its author's stamp is taken out.
 */
function stampFixes(tracker: PlanTracker): StampFix[] {
  const fixes: StampFix[] = [];
  for (const checkpoint of tracker.all('checkpoints')) {
    if (!isCleared(checkpoint.status) || APPROVAL_FIELDS.every((field) => typeof checkpoint[field] === 'string'))
      continue;
    const entryId = checkpoint.id as string;
    fixes.push({
      refusal: {
        code: 'APPROVAL_REQUIRED',
        collection: 'checkpoints',
        entryId,
        message: `"${String(checkpoint.title)}" was ${String(checkpoint.status)} without the server's approval stamp`,
        related: [],
      },
      correction: {
        collection: 'checkpoints',
        entryId,
        values: { status: 'IN_REVIEW', approvedBy: null, approvedAt: null },
      },
      reopens: 'IN_REVIEW',
    });
  }
  for (const fix of [
    ...unstampedRunbookState((collection) => tracker.all(collection)),
    ...unstampedComments((collection) => tracker.all(collection)),
  ])
    fixes.push({
      refusal: {
        code: 'SERVER_FIELD',
        collection: fix.collection,
        entryId: fix.entryId,
        message: fix.message,
        related: [],
      },
      correction: {
        collection: fix.collection,
        entryId: fix.entryId,
        values: fix.values,
        ...(fix.remove === true ? { remove: true as const } : {}),
      },
    });
  return fixes;
}

/**
 * The entries of a plan that lack the server's stamps (`collection/id`). Where several instances
 * share the plans, a stamp may be on its way from the instance that took the change: the caller
 * waits, then requires the stamps of the entries that lacked them then (`reviewState`).
 */
export function unstampedEntries(tracker: PlanTracker): ReadonlySet<string> {
  return new Set(stampFixes(tracker).map(({ correction }) => entryKey(correction.collection, correction.entryId)));
}

/**
 * The rules as they stand on a whole plan, whoever wrote it: for a document loaded from storage (a
 * crash may have come between a change and its reversal) and after changes that were not reviewed
 * as they were made (replicas from another instance, a server change judged on an earlier copy).
 * A done milestone gated by an open checkpoint is reopened, an end date before its start is
 * removed; with `stampsRequired`, what lacks the server's stamps is put right (stampFixes): true
 * for every entry, or only for the entries of a set (`unstampedEntries` taken earlier).
 */
export function reviewState(
  tracker: PlanTracker,
  options: { readonly stampsRequired: boolean | ReadonlySet<string> },
): Review {
  const refusals: Refusal[] = [];
  const corrections: Correction[] = [];
  const reopened = new Map<string, unknown>();
  const { stampsRequired } = options;
  if (stampsRequired !== false)
    for (const fix of stampFixes(tracker)) {
      const { collection, entryId } = fix.correction;
      if (stampsRequired !== true && !stampsRequired.has(entryKey(collection, entryId))) continue;
      refusals.push(fix.refusal);
      corrections.push(fix.correction);
      if (fix.reopens !== undefined && entryId !== null) reopened.set(entryId, fix.reopens);
    }
  // Go / no-go points as their stamped votes decide them (votes judged apart may decide together).
  const votes = reconcileDecisions((collection) => tracker.all(collection));
  for (const fix of votes.duplicates) {
    refusals.push({
      code: 'VOTE_REFUSED',
      collection: fix.collection,
      entryId: fix.entryId,
      message: fix.message,
      related: [],
    });
    corrections.push({ collection: fix.collection, entryId: fix.entryId, values: {}, remove: true });
  }
  for (const fix of votes.decisions)
    corrections.push({ collection: fix.collection, entryId: fix.entryId, values: fix.values });
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
  // An end date before its start is removed.
  for (const [part, startKey, endKey] of DATE_PAIRS) {
    for (const values of part === 'plan' ? [tracker.header()] : tracker.all(part)) {
      if (!datesOutOfOrder(values[startKey], values[endKey])) continue;
      const entryId = part === 'plan' ? null : (values.id as string);
      refusals.push({
        code: 'DATE_ORDER',
        collection: part,
        entryId,
        message: `${endKey} ${String(values[endKey])} was before ${startKey} ${String(values[startKey])}`,
        related: [],
      });
      corrections.push({ collection: part, entryId, values: { [endKey]: null } });
    }
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
 * Writes the corrections of a review, as the server (approvals are its to write). A correction is
 * never left out because the document moved on since the review: references to entries deleted
 * since are dropped, a value the entry no longer accepts (an end date before a start moved
 * meanwhile) goes to its safe value, and an entry that still cannot be put right is removed. Only a
 * correction whose entry is gone is skipped (nothing is left to correct); those are returned.
 */
export function applyCorrections(doc: Y.Doc, corrections: readonly Correction[]): Correction[] {
  const skipped: Correction[] = [];
  doc.transact(() => {
    for (const correction of corrections) {
      try {
        if (!applyCorrection(doc, correction)) skipped.push(correction);
      } catch {
        // A document this server may not edit (a newer schema): nothing it writes would stick.
        skipped.push(correction);
      }
    }
  });
  return skipped;
}

function applyCorrection(doc: Y.Doc, correction: Correction): boolean {
  const { collection: part, entryId } = correction;
  if (correction.remove === true && part !== 'plan' && entryId !== null) {
    if (!(doc.getMap<unknown>(part).get(entryId) instanceof Y.Map)) return false;
    deleteEntry(doc, part, entryId);
    return true;
  }
  const values = sanitize(doc, part, entryId, correction.values);
  if (correction.restore === true && part !== 'plan') {
    restoreEntry(doc, part, values);
    return true;
  }
  let write: (values: Values) => void;
  if (part === 'plan') write = (patch) => updateMeta(doc, patch);
  else if (entryId !== null && doc.getMap<unknown>(part).get(entryId) instanceof Y.Map)
    write = (patch) => updateEntry(doc, part, entryId, patch, { trusted: true });
  else return false;
  // All at once; else field by field, a value the entry no longer takes going to its safe value;
  // else, for an entry that cannot be put right at all, without it.
  tryInTurn(
    () => write(values),
    () => {
      for (const [key, value] of Object.entries(values))
        tryInTurn(
          () => write({ [key]: value }),
          () => write({ [key]: safeValue(part, key) }),
        );
    },
    () => {
      if (part !== 'plan' && entryId !== null) deleteEntry(doc, part, entryId);
    },
  );
  return true;
}

/** Runs the first of `attempts` that does not throw; rethrows the last one's error. */
function tryInTurn(...attempts: (() => void)[]): void {
  for (const [index, attempt] of attempts.entries()) {
    try {
      attempt();
      return;
    } catch (error) {
      if (index === attempts.length - 1) throw error;
    }
  }
}

/** Values made writable on the document as it is now: references to entries gone since are dropped. */
function sanitize(doc: Y.Doc, part: GovernedPart, entryId: string | null, values: Values): Values {
  const fields = fieldsOf(part);
  const out: Values = {};
  for (const [key, value] of Object.entries(values)) {
    const spec = fields[key];
    if (key === 'id' || key === 'position' || spec === undefined) {
      out[key] = value;
      continue;
    }
    if (spec.type === 'ref') {
      const target = doc.getMap<unknown>(spec.ref).get(String(value));
      out[key] = typeof value === 'string' && value !== entryId && target instanceof Y.Map ? value : null;
    } else if (spec.type === 'ids' && Array.isArray(value)) {
      const targets = doc.getMap<unknown>(spec.ref);
      out[key] = (value as unknown[]).filter(
        (id) => typeof id === 'string' && id !== entryId && targets.get(id) instanceof Y.Map,
      );
    } else out[key] = value ?? safeValue(part, key);
  }
  return out;
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
