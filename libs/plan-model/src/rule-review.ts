import type { Values } from './document.js';
import type { ChangeActor, DomainChange, RefusalCode } from './governance.js';
import type { CollectionName } from './schema.js';

/** The changes of one entry by field (null: the entry created or deleted as a whole). */
export type EntryChanges = ReadonlyMap<string | null, DomainChange>;

/** What a family of rules (the runbooks', the comments') needs from the review that runs them. */
export interface RuleReview {
  readonly actor: ChangeActor;
  /** The server's clock, ISO 8601. */
  readonly at: string;
  changed(collection: CollectionName): ReadonlyMap<string, EntryChanges>;
  /** An entry as it is now (after the change). */
  entry(collection: CollectionName, id: string): Values | undefined;
  all(collection: CollectionName): Iterable<Values>;
  /** A field's value before the change (undefined on an entry the change made). */
  before(fields: EntryChanges, field: string, current: Values): unknown;
  correct(collection: CollectionName, entryId: string, values: Values): void;
  /** The values a correction of this review already writes on an entry. */
  corrected(collection: CollectionName, entryId: string): Values | undefined;
  refuse(
    code: RefusalCode,
    collection: CollectionName,
    entryId: string,
    message: string,
    related?: readonly string[],
  ): void;
  /** Puts a deleted entry back whole. */
  restore(collection: CollectionName, entryId: string, values: Values): void;
  /** Takes out an entry the change made. */
  remove(collection: CollectionName, entryId: string): void;
}
