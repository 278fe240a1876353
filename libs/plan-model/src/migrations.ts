import type * as Y from 'yjs';
import { META_MAP } from './schema.js';
import { PLAN_SCHEMA_VERSION } from './schema-version.js';

/** A document written by a newer Bascule: this code may read it but must not change it. */
export class NewerSchemaError extends Error {
  constructor(readonly found: number) {
    super(`this plan was written with document schema ${found}; this version understands up to ${PLAN_SCHEMA_VERSION}`);
    this.name = 'NewerSchemaError';
  }
}

/**
 * The schema version a document says it follows; 0 for a document that predates the schema (a plan
 * created empty, or written by a client that knows nothing of it).
 */
export function currentSchemaVersionOf(doc: Y.Doc): number {
  const version = doc.getMap<unknown>(META_MAP).get('schemaVersion');
  return typeof version === 'number' && Number.isInteger(version) && version >= 0 ? version : 0;
}

export interface MigrationContext {
  /** The plan's title in the registry, for documents that have none. */
  readonly title: string;
}

/**
 * Step n turns a version-n document into a version n+1 one. Steps must be safe to run concurrently
 * on two replicas (both results merge into the same document): they only set values, never move them.
 */
const STEPS: readonly ((doc: Y.Doc, context: MigrationContext) => void)[] = [
  // 0 -> 1: a document from before the schema gets the meta fields every reader expects.
  (doc, context) => {
    const meta = doc.getMap<unknown>(META_MAP);
    if (typeof meta.get('title') !== 'string') meta.set('title', context.title);
    if (typeof meta.get('status') !== 'string') meta.set('status', 'DRAFT');
    if (typeof meta.get('dataSensitivity') !== 'string') meta.set('dataSensitivity', 'INTERNAL');
  },
  // 1 -> 2: runbooks (`runbooks`, `runbookTasks`, `runbookVotes`) join the plan. A version-1 plan has
  // none, so nothing moves; the version rises because a version-1 Bascule, which knows nothing of the
  // runbook rules (start order, votes, the server's stamps), must not edit a plan that has some.
  () => undefined,
  // 2 -> 3: the conversation (`comments`) joins the plan, and milestones, risks and checkpoints get an
  // owner who is a member (`ownerId`). Nothing moves; a version-2 Bascule, which knows neither the
  // comment rules (authors stamped by the server, only authors edit) nor who to notify, must not edit it.
  () => undefined,
];

/** Brings a document to the current schema in one transaction; returns whether anything changed. */
export function migratePlan(doc: Y.Doc, context: MigrationContext, origin?: unknown): boolean {
  const found = currentSchemaVersionOf(doc);
  if (found > PLAN_SCHEMA_VERSION) throw new NewerSchemaError(found);
  if (found === PLAN_SCHEMA_VERSION) return false;
  doc.transact(() => {
    for (const step of STEPS.slice(found, PLAN_SCHEMA_VERSION)) step(doc, context);
    doc.getMap<unknown>(META_MAP).set('schemaVersion', PLAN_SCHEMA_VERSION);
  }, origin);
  return true;
}

/** Throws when the document was written by a newer Bascule (call before editing it). */
export function assertEditable(doc: Y.Doc): void {
  const found = currentSchemaVersionOf(doc);
  if (found > PLAN_SCHEMA_VERSION) throw new NewerSchemaError(found);
}
