import * as Y from 'yjs';
import type { StoredDocument } from './ports.js';
import { YjsWorker } from './yjs-worker.js';

/** Longest the replay holds the event loop before letting sockets and timers run (ms). */
const SLICE_MS = 8;
/**
 * Most parts applied in one transaction. Its clean-up, after the slice's time is counted, grows with
 * what the transaction holds: 200 small updates keep it to a few milliseconds (docs/benchmarks.md).
 */
const SLICE_PARTS = 200;

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
  let index = 0;
  while (index < parts.length) {
    const sliceStart = performance.now();
    const sliceFirst = index;
    // A slice's parts in one transaction: the clean-up Yjs runs after each transaction (merging
    // structs and deletions, calling observers) is most of what applying one small update costs.
    doc.transact(() => {
      do {
        const part = parts[index] as Uint8Array;
        try {
          Y.applyUpdate(doc, part, options.origin);
          applied += part.byteLength;
        } catch (error) {
          if (options.onInvalid === undefined) throw error;
          options.onInvalid(error, index);
        }
        index += 1;
      } while (index < parts.length && performance.now() - sliceStart < SLICE_MS && index - sliceFirst < SLICE_PARTS);
    }, options.origin);
    if (index < parts.length) await yieldToEventLoop();
  }
  return applied;
}

/**
 * Merges stored documents (snapshot and log) into one update in a worker thread, for compaction: a
 * snapshot is applied in one piece, and a document edited all day makes a snapshot whose replay would
 * hold the event loop for tens of milliseconds, a stall every socket of the process would feel.
 * Gives the merged state and how many parts could not be applied (left out).
 */
export class StoredMerger {
  private readonly worker = new YjsWorker<
    { bytes: Uint8Array; ends: Uint32Array },
    { state: Uint8Array; skipped: number }
  >(
    'document merger',
    `return ({ bytes, ends }) => {
      const doc = new Y.Doc();
      let skipped = 0;
      let start = 0;
      // One transaction: Yjs's clean-up runs once, not after each part.
      doc.transact(() => {
        for (const end of ends) {
          try {
            Y.applyUpdate(doc, bytes.subarray(start, end));
          } catch {
            skipped += 1;
          }
          start = end;
        }
      });
      const state = Y.encodeStateAsUpdate(doc);
      doc.destroy();
      return { state, skipped };
    };`,
  );

  merge(stored: StoredDocument): Promise<{ state: Uint8Array; skipped: number }> {
    // The parts end to end in one buffer handed over to the worker: one copy here, and none of the
    // per-object cost of cloning a thousand small arrays on this thread.
    const parts = stored.snapshot === null ? stored.updates : [stored.snapshot, ...stored.updates];
    const bytes = new Uint8Array(parts.reduce((total, part) => total + part.byteLength, 0));
    const ends = new Uint32Array(parts.length);
    let at = 0;
    parts.forEach((part, index) => {
      bytes.set(part, at);
      at += part.byteLength;
      ends[index] = at;
    });
    return this.worker.run({ bytes, ends }, [bytes.buffer, ends.buffer]);
  }

  close(): Promise<void> {
    return this.worker.close();
  }
}
