import { afterEach, describe, expect, it } from '@jest/globals';
import { mkdtempSync } from 'node:fs';
import { getPriority, tmpdir } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { lowerHelperThreads, lowerThreads, otherThreads } from './helper-threads.js';

const linux = process.platform === 'linux';

/** A thread of this process that tells its own id, and waits until terminated. */
async function startThread(): Promise<{ tid: number; worker: Worker }> {
  const worker = new Worker(
    `const { parentPort } = require('node:worker_threads');
     const link = require('node:fs').readlinkSync('/proc/thread-self');
     parentPort.postMessage(Number(link.split('/').pop()));
     setInterval(() => undefined, 1000);`,
    { eval: true },
  );
  const tid = await new Promise<number>((resolve, reject) => {
    worker.once('message', resolve);
    worker.once('error', reject);
  });
  return { tid, worker };
}

(linux ? describe : describe.skip)("Node's helper threads, lowered below the event loop", () => {
  const workers: Worker[] = [];
  afterEach(async () => {
    await Promise.all(workers.splice(0).map((worker) => worker.terminate()));
  });

  it("lists this process's threads but the main one", async () => {
    const { tid, worker } = await startThread();
    workers.push(worker);
    const threads = otherThreads();
    expect(threads).toContain(tid);
    expect(threads).not.toContain(process.pid);
    expect(otherThreads(join(mkdtempSync(join(tmpdir(), 'bascule-')), 'no-such-folder'))).toBeNull();
  });

  it('gives each thread the niceness asked, never lowering one it already has, past threads that ended', async () => {
    const [first, second, ended] = await Promise.all([startThread(), startThread(), startThread()]);
    workers.push(first.worker, second.worker);
    await ended.worker.terminate();
    const mainNice = getPriority(process.pid);
    expect(lowerThreads([second.tid], 15)).toBe(1);

    expect(lowerThreads([first.tid, second.tid, ended.tid], 10)).toBe(2);
    expect(getPriority(first.tid)).toBe(10);
    expect(getPriority(second.tid)).toBe(15);
    expect(getPriority(process.pid)).toBe(mainNice);
  });

  it('changes nothing when asked for niceness 0', async () => {
    const { tid, worker } = await startThread();
    workers.push(worker);
    const before = getPriority(tid);
    expect(lowerHelperThreads(0)).toBeNull();
    expect(getPriority(tid)).toBe(before);
  });
});
