import * as Y from 'yjs';
import { YjsWorker } from './yjs-worker.js';

/**
 * Updates up to this size are checked on the event loop (well under a millisecond); larger ones in a
 * worker thread, so that a large or hostile frame costs the other rooms nothing until it is known
 * to be well formed. Measured here: fully decoding a 1 MiB update of scattered one-character edits
 * takes about 75 ms.
 */
export const INLINE_CHECK_BYTES = 64 * 1024;

/**
 * Checks that Yjs updates are well formed (fully decodable) before any document sees them: small
 * ones at once, large ones in one worker thread started on first use. Gives null when the update is
 * well formed, or what is wrong with it; rejects only if the worker itself fails.
 */
export class UpdateChecker {
  private readonly worker = new YjsWorker<Uint8Array, string | null>(
    'update checker',
    `return (update) => {
      try {
        Y.decodeUpdate(update);
        return null;
      } catch (error) {
        return error instanceof Error ? error.message : String(error);
      }
    };`,
  );

  check(update: Uint8Array): string | null | Promise<string | null> {
    if (update.byteLength <= INLINE_CHECK_BYTES) return checkUpdate(update);
    return this.worker.run(update);
  }

  close(): Promise<void> {
    return this.worker.close();
  }
}

/** Null when `update` is a well-formed Yjs update, or what is wrong with it (on the calling thread). */
export function checkUpdate(update: Uint8Array): string | null {
  try {
    Y.decodeUpdate(update);
    return null;
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
}
