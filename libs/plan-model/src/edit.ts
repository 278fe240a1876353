import * as Y from 'yjs';
import { datesOutOfOrder, isIsoDate, isIsoInstant } from './dates.js';
import { fragmentText, isLink, MAX_ID_LENGTH, type Values } from './document.js';
import { assertEditable } from './migrations.js';
import {
  type CollectionName,
  COLLECTIONS,
  ENTITY_FIELDS,
  type FieldSpec,
  type IsoDate,
  META_FIELDS,
  META_MAP,
  SERVER_FIELDS,
} from './schema.js';
import { PLAN_SCHEMA_VERSION } from './schema-version.js';

/** A change that does not follow the schema; nothing was written. `field` names the culprit. */
export class PlanInputError extends Error {
  constructor(
    readonly field: string,
    readonly reason: string,
  ) {
    super(`${field}: ${reason}`);
    this.name = 'PlanInputError';
  }
}

/** An entry id that is not in the plan. */
export class UnknownEntryError extends Error {
  constructor(
    readonly collection: CollectionName,
    readonly id: string,
  ) {
    super(`no ${singular(collection)} ${id} in this plan`);
    this.name = 'UnknownEntryError';
  }
}

/** `runbookTasks` -> `runbook task`: an entry's kind in messages. */
export const singular = (collection: CollectionName): string =>
  collection.replace(/s$/, '').replace(/([a-z])([A-Z])/g, (_, a: string, b: string) => `${a} ${b.toLowerCase()}`);

export interface WriteOptions {
  /** Lets the server set fields users may not (`automatic` on risks it raises itself). */
  readonly trusted?: boolean;
  /** Today's date: a milestone set to DONE without a completion date is completed today. */
  readonly today?: IsoDate;
}

/** Starts an empty plan document at the current schema. */
export function initializePlan(doc: Y.Doc, meta: Values): void {
  const values = validateValues(META_FIELDS, meta, { creating: true });
  checkDateOrder(values, 'startDate', 'targetDate', () => undefined);
  doc.transact(() => {
    const map = doc.getMap<unknown>(META_MAP);
    map.set('schemaVersion', PLAN_SCHEMA_VERSION);
    writeValues(map, META_FIELDS, values);
  });
}

/** Changes the plan's header fields (title, status, target, dates...). */
export function updateMeta(doc: Y.Doc, patch: Values): void {
  assertEditable(doc);
  const map = doc.getMap<unknown>(META_MAP);
  const values = validateValues(META_FIELDS, patch, { creating: false });
  checkDateOrder(values, 'startDate', 'targetDate', (key) => map.get(key));
  doc.transact(() => writeValues(map, META_FIELDS, values));
}

/** Adds an entry at the end of its collection; returns its id. */
export function createEntry(
  doc: Y.Doc,
  collection: CollectionName,
  input: Values,
  options: WriteOptions & { readonly id?: string } = {},
): string {
  assertEditable(doc);
  const id = options.id ?? globalThis.crypto.randomUUID();
  if (id.length === 0 || id.length > MAX_ID_LENGTH)
    throw new PlanInputError('id', `must be 1 to ${MAX_ID_LENGTH} characters`);
  const entries = doc.getMap<Y.Map<unknown>>(collection);
  if (entries.has(id)) throw new PlanInputError('id', `${id} is already used in this plan`);
  const values = validateEntry(doc, collection, id, input, {
    ...options,
    creating: true,
    trusted: options.trusted === true,
  });
  doc.transact(() => {
    const entry = new Y.Map<unknown>();
    entries.set(id, entry);
    entry.set('id', id);
    entry.set('position', lastPosition(entries) + 1);
    writeValues(entry, ENTITY_FIELDS[collection], values);
  });
  return id;
}

/** Changes some fields of an entry; the others keep their value (and their concurrent edits). */
export function updateEntry(
  doc: Y.Doc,
  collection: CollectionName,
  id: string,
  patch: Values,
  options: WriteOptions = {},
): void {
  assertEditable(doc);
  const entry = requireEntry(doc, collection, id);
  const values = validateEntry(doc, collection, id, patch, {
    ...options,
    creating: false,
    trusted: options.trusted === true,
  });
  doc.transact(() => writeValues(entry, ENTITY_FIELDS[collection], values));
}

/**
 * Removes an entry and every reference to it from the other entries; entries that cannot exist
 * without it (a runbook's tasks, a task's votes: a required reference) go with it.
 */
export function deleteEntry(doc: Y.Doc, collection: CollectionName, id: string): void {
  assertEditable(doc);
  requireEntry(doc, collection, id);
  doc.transact(() => removeEntry(doc, collection, id));
}

function removeEntry(doc: Y.Doc, collection: CollectionName, id: string): void {
  if (!doc.getMap(collection).has(id)) return;
  doc.getMap(collection).delete(id);
  for (const other of COLLECTIONS) {
    for (const [field, spec] of Object.entries(ENTITY_FIELDS[other]) as [string, FieldSpec][]) {
      if ((spec.type !== 'ids' && spec.type !== 'ref') || spec.ref !== collection) continue;
      for (const [key, entry] of [...doc.getMap<Y.Map<unknown>>(other).entries()]) {
        if (!(entry instanceof Y.Map)) continue;
        const value = entry.get(field);
        if (spec.type === 'ref') {
          if (value !== id) continue;
          if (spec.required === true) removeEntry(doc, other, key);
          else entry.delete(field);
          continue;
        }
        if (!(value instanceof Y.Array)) continue;
        const list = value.toArray() as unknown[];
        for (let index = list.length - 1; index >= 0; index -= 1) if (list[index] === id) value.delete(index, 1);
      }
    }
  }
}

/** Moves an entry to `index` (0 = first) in its collection's display order. */
export function moveEntry(doc: Y.Doc, collection: CollectionName, id: string, index: number): void {
  assertEditable(doc);
  const moved = requireEntry(doc, collection, id);
  if (!Number.isInteger(index) || index < 0) throw new PlanInputError('index', 'must be a whole number, 0 or more');
  const entries = doc.getMap<Y.Map<unknown>>(collection);
  const others = [...entries.values()]
    .filter((entry) => entry !== moved)
    .map((entry) => ({ entry, position: positionOf(entry), id: String(entry.get('id')) }))
    .sort((a, b) => a.position - b.position || (a.id < b.id ? -1 : 1));
  const at = Math.min(index, others.length);
  const before = others[at - 1]?.position;
  const after = others[at]?.position;
  doc.transact(() => {
    if (before !== undefined && after !== undefined && after - before < 1e-9) {
      // Repeated moves into one gap exhaust the float's precision: renumber everything once.
      others.splice(at, 0, { entry: moved, position: 0, id });
      others.forEach(({ entry }, order) => entry.set('position', order + 1));
      return;
    }
    const position =
      before !== undefined && after !== undefined
        ? (before + after) / 2
        : before !== undefined
          ? before + 1
          : after !== undefined
            ? after - 1
            : 1;
    moved.set('position', position);
  });
}

function requireEntry(doc: Y.Doc, collection: CollectionName, id: string): Y.Map<unknown> {
  const entry = doc.getMap<unknown>(collection).get(id);
  if (!(entry instanceof Y.Map)) throw new UnknownEntryError(collection, id);
  return entry as Y.Map<unknown>;
}

const positionOf = (entry: Y.Map<unknown>) => {
  const position = entry.get('position');
  return typeof position === 'number' && Number.isFinite(position) ? position : 0;
};

function lastPosition(entries: Y.Map<Y.Map<unknown>>): number {
  let last = 0;
  for (const entry of entries.values()) if (entry instanceof Y.Map) last = Math.max(last, positionOf(entry));
  return last;
}

function validateEntry(
  doc: Y.Doc,
  collection: CollectionName,
  id: string,
  input: Values,
  mode: { creating: boolean; trusted: boolean; today?: IsoDate },
): Values {
  const fields = ENTITY_FIELDS[collection] as Record<string, FieldSpec>;
  if (!mode.trusted)
    for (const key of Object.keys(input))
      if (SERVER_FIELDS[collection]?.includes(key) === true) throw new PlanInputError(key, 'is set by the server');
  const values = validateValues(fields, input, mode);
  const current = doc.getMap<unknown>(collection).get(id);
  const existing = (key: string) => (current instanceof Y.Map ? (current as Y.Map<unknown>).get(key) : undefined);
  if (
    collection === 'milestones' &&
    mode.today !== undefined &&
    values.status === 'DONE' &&
    !('completedOn' in values) &&
    !isIsoDate(existing('completedOn'))
  )
    values.completedOn = mode.today;
  if (collection === 'milestones') checkDateOrder(values, 'startDate', 'dueDate', existing);
  for (const [key, spec] of Object.entries(fields)) {
    if (spec.type === 'ref' && typeof values[key] === 'string') {
      const target = values[key];
      if (target === id) throw new PlanInputError(key, 'an entry cannot refer to itself');
      if (!(doc.getMap<unknown>(spec.ref).get(target) instanceof Y.Map))
        throw new PlanInputError(key, `no ${singular(spec.ref)} ${target} in this plan`);
      continue;
    }
    if (spec.type !== 'ids' || !(key in values)) continue;
    const ids = values[key] as string[];
    const targets = doc.getMap<unknown>(spec.ref);
    for (const target of ids) {
      if (target === id) throw new PlanInputError(key, 'an entry cannot refer to itself');
      if (!(targets.get(target) instanceof Y.Map))
        throw new PlanInputError(key, `no ${singular(spec.ref)} ${target} in this plan`);
    }
    if (spec.ref === collection && key === 'dependsOn') checkNoCycle(doc, collection, id, ids);
  }
  return values;
}

/** A new dependency list for `id` must not let any of its dependencies reach back to `id`. */
function checkNoCycle(doc: Y.Doc, collection: CollectionName, id: string, dependsOn: readonly string[]): void {
  const entries = doc.getMap<unknown>(collection);
  const seen = new Set<string>();
  const stack = [...dependsOn];
  for (let next = stack.pop(); next !== undefined; next = stack.pop()) {
    if (next === id) throw new PlanInputError('dependsOn', 'this dependency would create a cycle');
    if (seen.has(next)) continue;
    seen.add(next);
    const entry = entries.get(next);
    const deps = entry instanceof Y.Map ? (entry as Y.Map<unknown>).get('dependsOn') : undefined;
    if (deps instanceof Y.Array) for (const dep of deps.toArray()) if (typeof dep === 'string') stack.push(dep);
  }
}

function checkDateOrder(values: Values, startKey: string, endKey: string, existing: (key: string) => unknown): void {
  if (!(startKey in values) && !(endKey in values)) return;
  const start = startKey in values ? values[startKey] : existing(startKey);
  const end = endKey in values ? values[endKey] : existing(endKey);
  if (datesOutOfOrder(start, end))
    throw new PlanInputError(endKey, `${String(end)} is before ${startKey} ${String(start)}`);
}

/** Checks every given value against its field; on creation, required fields must be there. */
function validateValues(fields: Record<string, FieldSpec>, input: Values, mode: { creating: boolean }): Values {
  const values: Values = {};
  for (const [key, raw] of Object.entries(input)) {
    if (raw === undefined) continue;
    const spec = fields[key];
    if (spec === undefined) throw new PlanInputError(key, 'is not a field of this entry');
    values[key] = validateValue(key, spec, raw);
  }
  const required = (spec: FieldSpec) => (spec.type === 'string' || spec.type === 'ref') && spec.required === true;
  if (mode.creating)
    for (const [key, spec] of Object.entries(fields))
      if (required(spec) && (values[key] ?? null) === null) throw new PlanInputError(key, 'is required');
  if (!mode.creating)
    for (const [key, spec] of Object.entries(fields))
      if (required(spec) && key in values && values[key] === null) throw new PlanInputError(key, 'cannot be empty');
  return values;
}

function validateValue(key: string, spec: FieldSpec, raw: unknown): unknown {
  const fail = (reason: string): never => {
    throw new PlanInputError(key, reason);
  };
  if (raw === null) {
    if (spec.type === 'enum' || spec.type === 'score') fail('cannot be null');
    return emptyValue(spec);
  }
  switch (spec.type) {
    case 'string': {
      if (typeof raw !== 'string') return fail('must be a string');
      const value = raw.trim();
      if (value.length > spec.max) fail(`must be at most ${spec.max} characters`);
      return value === '' ? null : value;
    }
    case 'text':
      if (typeof raw !== 'string') return fail('must be a string');
      if (raw.length > spec.max) fail(`must be at most ${spec.max} characters`);
      return raw;
    case 'enum':
      if (typeof raw !== 'string' || !spec.values.includes(raw)) fail(`must be one of ${spec.values.join(', ')}`);
      return raw;
    case 'score':
      if (typeof raw !== 'number' || !Number.isInteger(raw) || raw < 1 || raw > 5)
        fail('must be a whole number from 1 to 5');
      return raw;
    case 'int':
      if (typeof raw !== 'number' || !Number.isInteger(raw) || raw < spec.min || raw > spec.max)
        fail(`must be a whole number from ${spec.min} to ${spec.max}`);
      return raw;
    case 'date':
      if (!isIsoDate(raw)) fail('must be a date written YYYY-MM-DD');
      return raw;
    case 'instant':
      if (!isIsoInstant(raw)) fail('must be an ISO 8601 instant');
      return raw;
    case 'ref':
      if (typeof raw !== 'string' || raw === '' || raw.length > MAX_ID_LENGTH) fail('must be an entry id');
      return raw;
    case 'rich':
      if (typeof raw !== 'string') return fail('must be a string');
      if (raw.length > spec.max) fail(`must be at most ${spec.max} characters`);
      return raw;
    case 'strings': {
      if (
        !Array.isArray(raw) ||
        raw.some((item) => typeof item !== 'string' || item === '' || item.length > spec.itemMax)
      )
        return fail(`must be a list of strings of 1 to ${spec.itemMax} characters`);
      const items = [...new Set(raw as string[])];
      if (items.length > spec.max) fail(`must hold at most ${spec.max} items`);
      return items;
    }
    case 'ids':
    case 'links': {
      if (!Array.isArray(raw) || raw.some((item) => typeof item !== 'string')) return fail('must be a list of strings');
      const items = [...new Set(raw as string[])];
      if (items.length > spec.max) fail(`must hold at most ${spec.max} items`);
      if (spec.type === 'links') for (const link of items) if (!isLink(link)) fail(`${link} is not an http(s) URL`);
      return items;
    }
  }
}

/** Writes validated values: plain values replaced, texts edited in place, lists replaced. */
function writeValues(map: Y.Map<unknown>, fields: Record<string, FieldSpec>, values: Values): void {
  for (const [key, spec] of Object.entries(fields)) {
    const creating = !map.has(key);
    if (!(key in values)) {
      // A new entry gets every field, so clients can observe them without guessing defaults.
      if (!creating) continue;
      if (spec.type === 'text') map.set(key, new Y.Text());
      else if (spec.type === 'rich') map.set(key, new Y.XmlFragment());
      else if (isList(spec)) map.set(key, new Y.Array<string>());
      else if (spec.type === 'enum' || spec.type === 'score') map.set(key, spec.fallback);
      continue;
    }
    const value = values[key];
    if (spec.type === 'text') {
      const current = map.get(key);
      if (current instanceof Y.Text) replaceText(current, value as string);
      else map.set(key, new Y.Text(value as string));
    } else if (spec.type === 'rich') {
      const current = map.get(key);
      if (current instanceof Y.XmlFragment) writeParagraphs(current, value as string);
      else {
        const fragment = new Y.XmlFragment();
        map.set(key, fragment);
        writeParagraphs(fragment, value as string);
      }
    } else if (isList(spec)) {
      const list = new Y.Array<string>();
      list.push(value as string[]);
      map.set(key, list);
    } else if (value === null) map.delete(key);
    else map.set(key, value);
  }
}

const isList = (spec: FieldSpec) => spec.type === 'ids' || spec.type === 'links' || spec.type === 'strings';

/** What a field holds when it is cleared. */
export const emptyValue = (spec: FieldSpec): unknown =>
  isList(spec) ? [] : spec.type === 'text' || spec.type === 'rich' ? '' : null;

/**
 * Rich text given as plain text (through the API): one paragraph per line, as the editor writes
 * them. Leaves the fragment alone when it already reads the same, so its marks survive.
 */
function writeParagraphs(fragment: Y.XmlFragment, text: string): void {
  if (fragmentText(fragment) === text) return;
  fragment.delete(0, fragment.length);
  const paragraphs = text === '' ? [] : text.split('\n');
  fragment.insert(
    0,
    paragraphs.map((line) => {
      const paragraph = new Y.XmlElement('paragraph');
      if (line !== '') paragraph.insert(0, [new Y.XmlText(line)]);
      return paragraph;
    }),
  );
}

/** Edits a Y.Text to `next` touching only the changed middle, so concurrent edits elsewhere survive. */
function replaceText(text: Y.Text, next: string): void {
  const current = text.toString();
  if (current === next) return;
  let start = 0;
  while (start < current.length && start < next.length && current[start] === next[start]) start += 1;
  let end = 0;
  while (
    end < current.length - start &&
    end < next.length - start &&
    current[current.length - 1 - end] === next[next.length - 1 - end]
  )
    end += 1;
  // Never split a surrogate pair: step back over a high surrogate at the edge of the change.
  if (start > 0 && isHighSurrogate(current.charCodeAt(start - 1))) start -= 1;
  if (end > 0 && isHighSurrogate(current.charCodeAt(current.length - end - 1))) end -= 1;
  text.delete(start, current.length - start - end);
  text.insert(start, next.slice(start, next.length - end));
}

const isHighSurrogate = (code: number) => code >= 0xd800 && code <= 0xdbff;
