/**
 * Version of the plan document schema that this code reads and writes.
 * Third-party Yjs clients compare it with the `schemaVersion` stored in a document: a document with a
 * higher version was written by a newer Bascule and must not be edited by an older client.
 */
export const PLAN_SCHEMA_VERSION = 3;
