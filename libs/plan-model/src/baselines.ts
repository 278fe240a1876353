import type * as Y from 'yjs';
import { daysBetween } from './dates.js';
import { readPlan } from './document.js';
import { createEntry, deleteEntry, updateEntry, updateMeta } from './edit.js';
import {
  type PlanCollectionName,
  PLAN_COLLECTIONS,
  ENTITY_FIELDS,
  type EntityOf,
  type FieldSpec,
  META_FIELDS,
  type PlanContent,
} from './schema.js';

/** What a baseline keeps of a plan: its header and entries as the reader returned them. */
export type BaselineContent = Pick<PlanContent, 'meta' | 'milestones' | 'risks' | 'checkpoints' | 'workloads'>;

export interface FieldDifference {
  readonly field: string;
  readonly before: unknown;
  readonly after: unknown;
}

export interface EntryDifference {
  readonly id: string;
  /** The entry's title (a workload's name), as it is after; before for a removed entry. */
  readonly title: string;
  readonly fields: readonly FieldDifference[];
  /** Milestones only: days the due date moved (positive: later), or null when it did not move. */
  readonly slipDays: number | null;
}

export interface CollectionDifference {
  readonly added: readonly EntryDifference[];
  readonly removed: readonly EntryDifference[];
  readonly changed: readonly EntryDifference[];
}

export type PlanDifference = {
  readonly meta: readonly FieldDifference[];
} & { readonly [C in PlanCollectionName]: CollectionDifference };

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);
const titleOf = (entry: object): string =>
  String((entry as { title?: string; name?: string }).title ?? (entry as { name?: string }).name ?? '');

/** Keeps what a baseline needs of a plan, dropping the notes and the reader's issues. */
export function baselineOf(plan: PlanContent): BaselineContent {
  const { meta, milestones, risks, checkpoints, workloads } = plan;
  return { meta, milestones, risks, checkpoints, workloads };
}

/**
 * What changed from one version of a plan to another: header fields, and per collection the entries
 * added, removed and changed (field by field; for milestones, the due date's slip in days). Order
 * changes (`position`) are not differences.
 */
export function comparePlans(before: BaselineContent, after: BaselineContent): PlanDifference {
  const meta = Object.keys(META_FIELDS)
    .filter(
      (field) => !same(before.meta[field as keyof typeof before.meta], after.meta[field as keyof typeof after.meta]),
    )
    .map((field) => ({
      field,
      before: before.meta[field as keyof typeof before.meta],
      after: after.meta[field as keyof typeof after.meta],
    }));
  const collections = Object.fromEntries(
    PLAN_COLLECTIONS.map((name) => [name, compareCollection(name, before[name], after[name])]),
  ) as { [C in PlanCollectionName]: CollectionDifference };
  return { meta, ...collections };
}

function compareCollection<C extends PlanCollectionName>(
  name: C,
  before: readonly EntityOf[C][],
  after: readonly EntityOf[C][],
): CollectionDifference {
  const old = new Map(before.map((entry) => [entry.id, entry]));
  const now = new Map(after.map((entry) => [entry.id, entry]));
  const fields = Object.keys(ENTITY_FIELDS[name]);
  const whole = (entry: EntityOf[C]): EntryDifference => ({
    id: entry.id,
    title: titleOf(entry),
    fields: [],
    slipDays: null,
  });
  const changed: EntryDifference[] = [];
  for (const entry of after) {
    const previous = old.get(entry.id);
    if (previous === undefined) continue;
    const differences = fields
      .filter((field) => !same(previous[field as keyof typeof previous], entry[field as keyof typeof entry]))
      .map((field) => ({
        field,
        before: previous[field as keyof typeof previous],
        after: entry[field as keyof typeof entry],
      }));
    if (differences.length === 0) continue;
    const due = (value: unknown) => (typeof value === 'string' ? value : null);
    const from = name === 'milestones' ? due((previous as EntityOf['milestones']).dueDate) : null;
    const to = name === 'milestones' ? due((entry as EntityOf['milestones']).dueDate) : null;
    changed.push({
      id: entry.id,
      title: titleOf(entry),
      fields: differences,
      slipDays: from !== null && to !== null && from !== to ? daysBetween(from, to) : null,
    });
  }
  return {
    added: after.filter((entry) => !old.has(entry.id)).map(whole),
    removed: before.filter((entry) => !now.has(entry.id)).map(whole),
    changed,
  };
}

/**
 * Brings a plan document back to a baseline's content, as one change on top of what is there (so it
 * is attributed, audited and reversible like any other): the header and every entry take the
 * baseline's values, entries added since are deleted, entries removed since come back with their
 * ids, and the order is the baseline's. The notes are left as they are.
 */
export function restoreBaseline(doc: Y.Doc, baseline: BaselineContent): void {
  doc.transact(() => {
    const { schemaVersion: _schemaVersion, ...meta } = baseline.meta;
    updateMeta(doc, meta);
    const current = readPlan(doc);
    for (const name of PLAN_COLLECTIONS) {
      const keep = new Set(baseline[name].map((entry) => entry.id));
      for (const entry of current[name]) if (!keep.has(entry.id)) deleteEntry(doc, name, entry.id);
    }
    // References last: an entry may refer to one the loop has not brought back yet.
    const references = (name: PlanCollectionName) =>
      Object.entries(ENTITY_FIELDS[name] as Record<string, FieldSpec>)
        .filter(([, spec]) => spec.type === 'ids')
        .map(([field]) => field);
    for (const name of PLAN_COLLECTIONS) {
      const present = new Set(readPlan(doc)[name].map((entry) => entry.id));
      for (const entry of baseline[name]) {
        const values = valuesOf(name, entry, references(name));
        if (present.has(entry.id)) updateEntry(doc, name, entry.id, values, { trusted: true });
        else createEntry(doc, name, values, { id: entry.id, trusted: true });
      }
    }
    for (const name of PLAN_COLLECTIONS)
      for (const entry of baseline[name]) {
        const refs = references(name);
        if (refs.length > 0)
          updateEntry(
            doc,
            name,
            entry.id,
            Object.fromEntries(refs.map((field) => [field, entry[field as keyof typeof entry]])),
            { trusted: true },
          );
      }
    // The baseline's order: each entry back at the position it had.
    for (const name of PLAN_COLLECTIONS)
      for (const entry of baseline[name]) {
        const map = doc.getMap<Y.Map<unknown>>(name).get(entry.id);
        if (map !== undefined && map.get('position') !== entry.position) map.set('position', entry.position);
      }
  });
}

function valuesOf(name: PlanCollectionName, entry: object, skip: readonly string[]): Record<string, unknown> {
  return Object.fromEntries(
    Object.keys(ENTITY_FIELDS[name])
      .filter((field) => !skip.includes(field))
      .map((field) => [field, (entry as Record<string, unknown>)[field]]),
  );
}
