import * as Y from 'yjs';

/** A server change that would take a document past its size limit; nothing was stored. */
export class DocumentTooLargeError extends Error {}

/**
 * Runs `change` on a copy of `doc` and gives its result with the update it made: exactly what the
 * change did (merged), or null when it did nothing. A diff against the state vector would also
 * carry the whole delete set, so a change that did nothing would still store (and announce) an
 * update.
 */
export function changeOnCopy<T>(doc: Y.Doc, change: (doc: Y.Doc) => T): { result: T; update: Uint8Array | null } {
  const scratch = new Y.Doc({ gc: false });
  Y.applyUpdate(scratch, Y.encodeStateAsUpdate(doc));
  const made: Uint8Array[] = [];
  scratch.on('update', (update: Uint8Array) => made.push(update));
  let result: T;
  try {
    result = change(scratch);
  } finally {
    scratch.destroy();
  }
  return { result, update: made.length === 0 ? null : Y.mergeUpdates(made) };
}
