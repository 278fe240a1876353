import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';

/** How long close waits for the tasks under way. */
const CLOSE_GRACE_MS = 5000;

/**
 * One worker thread, started on first use, that runs a Yjs task per message in order of arrival:
 * work whose time grows with a document (decoding a large update, merging a stored log) runs there
 * and costs the sockets of every other room nothing. `task` is the body of a CommonJS function that
 * sees `Y` (the worker's own copy of Yjs) and returns the function run on each input; it is given as
 * text so that it runs the same from the build and from tests that load the TypeScript sources.
 * A task that throws rejects its call; a worker that dies rejects what it held, and the next call
 * starts another.
 */
export class YjsWorker<Input, Output> {
  private worker: Worker | null = null;
  private nextId = 0;
  private readonly waiting = new Map<number, { resolve: (output: Output) => void; reject: (error: Error) => void }>();

  constructor(
    private readonly name: string,
    private readonly task: string,
  ) {}

  /** `transfer`: buffers of `input` handed over to the worker (unusable here afterwards), not copied. */
  run(input: Input, transfer: readonly ArrayBuffer[] = []): Promise<Output> {
    return new Promise((resolve, reject) => {
      const id = (this.nextId += 1);
      this.waiting.set(id, { resolve, reject });
      this.started().postMessage({ id, input }, [...transfer]);
    });
  }

  /** Lets the tasks under way finish (a few seconds at most), then stops the thread. */
  async close(): Promise<void> {
    const deadline = Date.now() + CLOSE_GRACE_MS;
    while (this.waiting.size > 0 && this.worker !== null && Date.now() < deadline)
      await new Promise((resolve) => setTimeout(resolve, 10));
    const worker = this.worker;
    this.worker = null;
    if (worker !== null) await worker.terminate();
    this.settleAll(`the ${this.name} was closed`);
  }

  private started(): Worker {
    if (this.worker !== null) return this.worker;
    const source = `
      const { parentPort, workerData } = require('node:worker_threads');
      const Y = require(workerData.yjs);
      const run = (function (Y) { ${this.task} })(Y);
      parentPort.on('message', ({ id, input }) => {
        let output;
        try {
          output = run(input);
        } catch (error) {
          parentPort.postMessage({ id, failure: error instanceof Error ? error.message : String(error) });
          return;
        }
        parentPort.postMessage({ id, output });
      });`;
    const yjs = createRequire(import.meta.url).resolve('yjs');
    const worker = new Worker(source, { eval: true, workerData: { yjs } });
    worker.unref();
    worker.on('message', ({ id, output, failure }: { id: number; output?: Output; failure?: string }) => {
      const waiting = this.waiting.get(id);
      this.waiting.delete(id);
      if (failure === undefined) waiting?.resolve(output as Output);
      else waiting?.reject(new Error(failure));
    });
    const lost = (reason: string) => {
      if (this.worker === worker) this.worker = null;
      this.settleAll(reason);
    };
    worker.on('error', (error) => lost(`the ${this.name} failed: ${error.message}`));
    worker.on('exit', () => lost(`the ${this.name} stopped`));
    this.worker = worker;
    return worker;
  }

  private settleAll(reason: string): void {
    for (const { reject } of this.waiting.values()) reject(new Error(reason));
    this.waiting.clear();
  }
}
