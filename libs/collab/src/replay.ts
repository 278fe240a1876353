import * as Y from 'yjs';
import type { StoredDocument } from './ports.js';

/** Longest the replay holds the event loop before letting sockets and timers run (ms). */
const SLICE_MS = 8;

const yieldToEventLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * Applies a stored document (snapshot, then its log) to `doc`, in slices of a few milliseconds so
 * that replaying a long log (a cold load, a compaction, a catch-up) never stalls the other rooms on
 * this process. A part that cannot be applied goes to `onInvalid` when given, and throws otherwise.
 * Resolves with the number of bytes applied.
 */
export async function replayStored(
  doc: Y.Doc,
  stored: StoredDocument,
  options: { origin?: unknown; onInvalid?: (error: unknown, index: number) => void } = {},
): Promise<number> {
  const parts = stored.snapshot === null ? stored.updates : [stored.snapshot, ...stored.updates];
  let applied = 0;
  let sliceStart = performance.now();
  for (const [index, part] of parts.entries()) {
    try {
      Y.applyUpdate(doc, part, options.origin);
      applied += part.byteLength;
    } catch (error) {
      if (options.onInvalid === undefined) throw error;
      options.onInvalid(error, index);
    }
    if (performance.now() - sliceStart >= SLICE_MS) {
      await yieldToEventLoop();
      sliceStart = performance.now();
    }
  }
  return applied;
}
