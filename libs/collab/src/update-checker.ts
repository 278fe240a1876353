import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import * as Y from 'yjs';

/**
 * Updates up to this size are checked on the event loop (well under a millisecond); larger ones in a
 * worker thread, so that a large or hostile frame costs the other rooms nothing until it is known
 * to be well formed. Measured here: fully decoding a 1 MiB update of scattered one-character edits
 * takes about 75 ms.
 */
export const INLINE_CHECK_BYTES = 64 * 1024;

// The worker is plain CommonJS given as text, so that it runs the same from the build and from
// tests that load the TypeScript sources; it decodes with its own copy of Yjs.
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Y = require(workerData.yjs);
parentPort.on('message', ({ id, update }) => {
  try {
    Y.decodeUpdate(update);
    parentPort.postMessage({ id, error: null });
  } catch (error) {
    parentPort.postMessage({ id, error: error instanceof Error ? error.message : String(error) });
  }
});
`;

/**
 * Checks that Yjs updates are well formed (fully decodable) before any document sees them: small
 * ones at once, large ones in one worker thread started on first use. Gives null when the update is
 * well formed, or what is wrong with it; rejects only if the worker itself fails.
 */
export class UpdateChecker {
  private worker: Worker | null = null;
  private nextId = 0;
  private readonly waiting = new Map<
    number,
    { resolve: (error: string | null) => void; reject: (error: Error) => void }
  >();

  check(update: Uint8Array): string | null | Promise<string | null> {
    if (update.byteLength <= INLINE_CHECK_BYTES) return checkUpdate(update);
    return new Promise((resolve, reject) => {
      const id = (this.nextId += 1);
      this.waiting.set(id, { resolve, reject });
      this.started().postMessage({ id, update });
    });
  }

  async close(): Promise<void> {
    const worker = this.worker;
    this.worker = null;
    if (worker !== null) await worker.terminate();
    this.settleAll('the update checker was closed');
  }

  private started(): Worker {
    if (this.worker !== null) return this.worker;
    const yjs = createRequire(import.meta.url).resolve('yjs');
    const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { yjs } });
    worker.unref();
    worker.on('message', ({ id, error }: { id: number; error: string | null }) => {
      this.waiting.get(id)?.resolve(error);
      this.waiting.delete(id);
    });
    // A worker that dies takes its pending checks with it; the next large update starts another.
    const lost = (reason: string) => {
      if (this.worker === worker) this.worker = null;
      this.settleAll(reason);
    };
    worker.on('error', (error) => lost(`the update checker failed: ${error.message}`));
    worker.on('exit', () => lost('the update checker stopped'));
    this.worker = worker;
    return worker;
  }

  private settleAll(reason: string): void {
    for (const { reject } of this.waiting.values()) reject(new Error(reason));
    this.waiting.clear();
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
