import * as Y from 'yjs';
import { isIsoDate, isIsoInstant } from './dates.js';
import { currentSchemaVersionOf } from './migrations.js';
import {
  type CollectionName,
  COLLECTIONS,
  ENTITY_FIELDS,
  type EntityOf,
  type FieldSpec,
  META_FIELDS,
  META_MAP,
  NOTES_FIELD,
  type PlanContent,
  type PlanMeta,
  type ValidationIssue,
} from './schema.js';

type Values = Record<string, unknown>;

/** Entry ids are client-chosen (UUIDs by convention); longer ones are skipped. */
export const MAX_ID_LENGTH = 64;

/**
 * Reads a plan document into typed content. Total: whatever a client wrote, it returns a plan;
 * values that do not follow the schema are replaced by their default (or the entry is skipped) and
 * each one is reported in `issues`. Deterministic: the same document state gives the same result.
 */
export function readPlan(doc: Y.Doc): PlanContent {
  const issues: ValidationIssue[] = [];
  for (const name of [META_MAP, ...COLLECTIONS]) {
    // A client that used this name for a list or a text wrote items a map cannot see.
    if ((doc.getMap(name) as unknown as { _start: unknown })._start !== null)
      issues.push({ path: name, message: 'holds list or text content where a map is expected: ignored' });
  }
  const metaMap = doc.getMap<unknown>(META_MAP);
  const meta = {
    ...readFields(META_FIELDS, (key) => metaMap.get(key), META_MAP, issues),
    schemaVersion: currentSchemaVersionOf(doc),
  } as unknown as PlanMeta;
  const collections = Object.fromEntries(
    COLLECTIONS.map((name) => [name, readCollection(doc, name, issues)]),
  ) as unknown as { [C in CollectionName]: Values[] };
  dropDanglingReferences(collections, issues);
  for (const name of ['milestones', 'workloads', 'runbookTasks'] as const) breakCycles(collections[name], name, issues);
  return {
    meta,
    milestones: collections.milestones as unknown as EntityOf['milestones'][],
    risks: collections.risks as unknown as EntityOf['risks'][],
    checkpoints: collections.checkpoints as unknown as EntityOf['checkpoints'][],
    workloads: collections.workloads as unknown as EntityOf['workloads'][],
    runbooks: collections.runbooks as unknown as EntityOf['runbooks'][],
    runbookTasks: collections.runbookTasks as unknown as EntityOf['runbookTasks'][],
    runbookVotes: collections.runbookVotes as unknown as EntityOf['runbookVotes'][],
    comments: collections.comments as unknown as EntityOf['comments'][],
    notesText: fragmentText(doc.getXmlFragment(NOTES_FIELD)),
    issues,
  };
}

function readCollection(doc: Y.Doc, name: CollectionName, issues: ValidationIssue[]): Values[] {
  const entries: Values[] = [];
  for (const [key, value] of doc.getMap<unknown>(name).entries()) {
    const path = `${name}/${key.slice(0, MAX_ID_LENGTH)}`;
    if (key.length === 0 || key.length > MAX_ID_LENGTH) {
      issues.push({ path, message: `id empty or longer than ${MAX_ID_LENGTH} characters: skipped` });
      continue;
    }
    if (!(value instanceof Y.Map)) {
      issues.push({ path, message: 'not a map: skipped' });
      continue;
    }
    const entry = value as Y.Map<unknown>;
    if (entry.get('id') !== key)
      issues.push({ path: `${path}/id`, message: 'does not match its key: the key is used' });
    const position = entry.get('position');
    if (typeof position !== 'number' || !Number.isFinite(position))
      issues.push({ path: `${path}/position`, message: 'not a number: placed first' });
    entries.push({
      id: key,
      position: typeof position === 'number' && Number.isFinite(position) ? position : 0,
      ...readFields(ENTITY_FIELDS[name], (field) => entry.get(field), path, issues),
    });
  }
  return entries.sort(byPosition);
}

/**
 * One entry's values as the reader sees them (without the plan-wide checks: dangling references and
 * cycles), or null when the key holds no entry. For following changes entry by entry.
 */
export function readEntryValues(doc: Y.Doc, name: CollectionName, id: string): Values | null {
  const value = doc.getMap<unknown>(name).get(id);
  if (!(value instanceof Y.Map) || id.length === 0 || id.length > MAX_ID_LENGTH) return null;
  const entry = value as Y.Map<unknown>;
  const position = entry.get('position');
  return {
    id,
    position: typeof position === 'number' && Number.isFinite(position) ? position : 0,
    ...readFields(ENTITY_FIELDS[name], (field) => entry.get(field), name, []),
  };
}

/** The plan header's values as the reader sees them. */
export function readMetaValues(doc: Y.Doc): Values {
  const map = doc.getMap<unknown>(META_MAP);
  return readFields(META_FIELDS, (key) => map.get(key), META_MAP, []);
}

const byPosition = (a: Values, b: Values) =>
  (a.position as number) - (b.position as number) || ((a.id as string) < (b.id as string) ? -1 : 1);

function readFields(
  fields: Record<string, FieldSpec>,
  get: (key: string) => unknown,
  path: string,
  issues: ValidationIssue[],
): Values {
  const values: Values = {};
  for (const [key, spec] of Object.entries(fields)) {
    const report = (message: string) => issues.push({ path: `${path}/${key}`, message });
    values[key] = readValue(spec, get(key), report);
  }
  return values;
}

function readValue(spec: FieldSpec, raw: unknown, report: (message: string) => void): unknown {
  const missing = raw === undefined || raw === null;
  switch (spec.type) {
    case 'string': {
      if (typeof raw === 'string' && raw.trim() !== '') {
        if (raw.length <= spec.max) return raw;
        report(`longer than ${spec.max} characters: cut`);
        return raw.slice(0, spec.max);
      }
      if (!missing && typeof raw !== 'string') report('not a string: ignored');
      if (spec.required === true) {
        report('required: empty');
        return '';
      }
      return null;
    }
    case 'text': {
      const text = raw instanceof Y.Text ? raw.toString() : typeof raw === 'string' ? raw : '';
      if (!missing && !(raw instanceof Y.Text) && typeof raw !== 'string') report('not a text: ignored');
      if (text.length <= spec.max) return text;
      report(`longer than ${spec.max} characters: cut`);
      return text.slice(0, spec.max);
    }
    case 'enum':
      if (typeof raw === 'string' && spec.values.includes(raw)) return raw;
      if (!missing) report(`not one of ${spec.values.join(', ')}: ${spec.fallback} used`);
      return spec.fallback;
    case 'score':
      if (isInteger(raw, 1, 5)) return raw;
      if (!missing) report(`not a whole number from 1 to 5: ${spec.fallback} used`);
      return spec.fallback;
    case 'int':
      if (isInteger(raw, spec.min, spec.max)) return raw;
      if (!missing) report(`not a whole number from ${spec.min} to ${spec.max}: ignored`);
      return null;
    case 'date':
      if (isIsoDate(raw)) return raw;
      if (!missing) report('not a date (YYYY-MM-DD): ignored');
      return null;
    case 'instant':
      if (isIsoInstant(raw)) return raw;
      if (!missing) report('not an ISO 8601 instant: ignored');
      return null;
    case 'ref':
      if (typeof raw === 'string' && raw !== '' && raw.length <= MAX_ID_LENGTH) return raw;
      if (!missing) report('not an entry id: ignored');
      if (spec.required === true) report('required: empty');
      return null;
    case 'rich': {
      const text =
        raw instanceof Y.XmlFragment
          ? fragmentText(raw)
          : raw instanceof Y.Text || typeof raw === 'string'
            ? String(raw)
            : '';
      if (!missing && !(raw instanceof Y.XmlFragment) && !(raw instanceof Y.Text) && typeof raw !== 'string')
        report('not rich text: ignored');
      if (text.length <= spec.max) return text;
      report(`longer than ${spec.max} characters: cut`);
      return text.slice(0, spec.max);
    }
    case 'strings': {
      const items = raw instanceof Y.Array ? (raw.toArray() as unknown[]) : Array.isArray(raw) ? raw : [];
      if (!missing && !(raw instanceof Y.Array) && !Array.isArray(raw)) report('not a list: ignored');
      const kept = [
        ...new Set(
          items.filter(
            (item): item is string => typeof item === 'string' && item !== '' && item.length <= spec.itemMax,
          ),
        ),
      ];
      if (kept.length < items.length) report('holds duplicates or invalid items: dropped');
      if (kept.length > spec.max)
        report(`holds ${kept.length} items, more than ${spec.max}: the first ${spec.max} kept`);
      return kept.slice(0, spec.max);
    }
    case 'ids':
    case 'links': {
      const items = raw instanceof Y.Array ? (raw.toArray() as unknown[]) : Array.isArray(raw) ? raw : [];
      if (!missing && !(raw instanceof Y.Array) && !Array.isArray(raw)) report('not a list: ignored');
      const kept = [...new Set(items.filter((item): item is string => typeof item === 'string'))];
      const valid = spec.type === 'links' ? kept.filter(isLink) : kept;
      if (valid.length < items.length) report('holds duplicates or invalid items: dropped');
      if (valid.length > spec.max)
        report(`holds ${valid.length} items, more than ${spec.max}: the first ${spec.max} kept`);
      return valid.slice(0, spec.max);
    }
  }
}

function isInteger(value: unknown, min: number, max: number): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= min && value <= max;
}

/** Evidence links: absolute http(s) URLs only, so that nothing else ends up behind a link in the UI. */
export function isLink(value: string): boolean {
  if (value.length > 2000) return false;
  try {
    const url = new URL(value);
    return url.protocol === 'https:' || url.protocol === 'http:';
  } catch {
    return false;
  }
}

/** References to entries that do not exist (deleted concurrently, or from another plan) are dropped. */
function dropDanglingReferences(collections: { [C in CollectionName]: Values[] }, issues: ValidationIssue[]): void {
  for (const name of COLLECTIONS) {
    for (const [field, spec] of Object.entries(ENTITY_FIELDS[name]) as [string, FieldSpec][]) {
      if (spec.type === 'ref') {
        const known = new Set(collections[spec.ref].map((entry) => entry.id as string));
        for (const entry of collections[name]) {
          const id = entry[field];
          if (id === null || (known.has(id as string) && id !== entry.id)) continue;
          issues.push({
            path: `${name}/${entry.id as string}/${field}`,
            message: 'refers to an unknown entry: dropped',
          });
          entry[field] = null;
        }
        continue;
      }
      if (spec.type !== 'ids') continue;
      const known = new Set(collections[spec.ref].map((entry) => entry.id as string));
      for (const entry of collections[name]) {
        const ids = entry[field] as string[];
        const kept = ids.filter((id) => known.has(id) && id !== entry.id);
        if (kept.length === ids.length) continue;
        issues.push({ path: `${name}/${entry.id as string}/${field}`, message: 'refers to unknown entries: dropped' });
        entry[field] = kept;
      }
    }
  }
}

/**
 * Two editors can each add a dependency that is fine alone and a cycle together; the reader removes
 * the edge that closes each cycle (depth-first in display order, so every reader removes the same).
 */
function breakCycles(entries: Values[], name: CollectionName, issues: ValidationIssue[]): void {
  const byId = new Map(entries.map((entry) => [entry.id as string, entry]));
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (entry: Values) => {
    const id = entry.id as string;
    state.set(id, 'visiting');
    const kept: string[] = [];
    for (const dependency of entry.dependsOn as string[]) {
      if (state.get(dependency) === 'visiting') {
        issues.push({
          path: `${name}/${id}/dependsOn`,
          message: `dependency on ${dependency} closes a cycle: ignored`,
        });
        continue;
      }
      kept.push(dependency);
      const next = byId.get(dependency);
      if (next !== undefined && !state.has(dependency)) visit(next);
    }
    entry.dependsOn = kept;
    state.set(id, 'done');
  };
  for (const entry of entries) if (!state.has(entry.id as string)) visit(entry);
}

/** Plain text of a ProseMirror fragment (the notes, a task's instructions): one line per block. */
export function fragmentText(fragment: Y.XmlFragment): string {
  const lines: string[] = [];
  const walk = (node: Y.XmlElement | Y.XmlText | Y.XmlFragment, line: string[]): void => {
    if (node instanceof Y.XmlText) {
      for (const op of node.toDelta() as { insert: unknown }[]) if (typeof op.insert === 'string') line.push(op.insert);
      return;
    }
    for (const child of node.toArray()) {
      if (child instanceof Y.XmlText) walk(child, line);
      else if (child instanceof Y.XmlElement && child.nodeName === MENTION_NODE)
        line.push(`@${String(child.getAttribute('label') ?? child.getAttribute('id') ?? '')}`);
      else if (child instanceof Y.XmlElement) {
        const inner: string[] = [];
        walk(child, inner);
        if (inner.length > 0) lines.push(inner.join(''));
      }
    }
  };
  const top: string[] = [];
  walk(fragment, top);
  if (top.length > 0) lines.unshift(top.join(''));
  return lines.join('\n');
}

/** How the notes' editor writes a mention of a member: an inline node with the user's `id` and `label`. */
export const MENTION_NODE = 'mention';

/** The members mentioned in rich text (their user ids), each once, in order. */
export function mentionsInFragment(fragment: Y.XmlFragment): string[] {
  const ids = new Set<string>();
  for (const node of fragment.createTreeWalker(
    (found) => found instanceof Y.XmlElement && found.nodeName === MENTION_NODE,
  )) {
    const id = (node as Y.XmlElement).getAttribute('id');
    if (typeof id === 'string' && id !== '' && id.length <= MAX_ID_LENGTH) ids.add(id);
  }
  return [...ids];
}

export type { Values };

/**
 * The shared fragment of an entry's rich-text field (a task's instructions), for an editor to bind
 * to and edit in place; null when the entry is gone or the field holds something else.
 */
export function richFieldOf(doc: Y.Doc, collection: CollectionName, id: string, field: string): Y.XmlFragment | null {
  if ((ENTITY_FIELDS[collection] as Record<string, FieldSpec>)[field]?.type !== 'rich') return null;
  const entry = doc.getMap<unknown>(collection).get(id);
  const value = entry instanceof Y.Map ? (entry as Y.Map<unknown>).get(field) : undefined;
  return value instanceof Y.XmlFragment ? value : null;
}
