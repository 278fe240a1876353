import { readdirSync } from 'node:fs';
import { getPriority, setPriority } from 'node:os';

const TASKS = '/proc/self/task';

/**
 * The ids of this process's threads other than the main one (whose id is the process id), on Linux;
 * null where threads cannot be listed (no /proc).
 */
export function otherThreads(tasks = TASKS): number[] | null {
  let names: string[];
  try {
    names = readdirSync(tasks);
  } catch {
    return null;
  }
  return names.map(Number).filter((tid) => Number.isInteger(tid) && tid !== process.pid);
}

/**
 * Gives `threads` the niceness `nice`, never lowering one a thread already has (that would need a
 * privilege, and an operator who started Bascule under `nice` meant it). A thread that ended meanwhile
 * is skipped. Gives how many threads now run at `nice` or lower priority.
 */
export function lowerThreads(threads: readonly number[], nice: number): number {
  let lowered = 0;
  for (const tid of threads) {
    try {
      if (getPriority(tid) < nice) setPriority(tid, nice);
      lowered += 1;
    } catch {
      // The thread ended between the listing and now.
    }
  }
  return lowered;
}

/**
 * Runs Node's helper threads below the event loop: V8's compilers and garbage-collector helpers and
 * libuv's pool, all started before the application is. The main thread stays as it is, and so do
 * the threads it starts later (they take its priority: compaction's among them). On a
 * small machine these threads share the event loop's core: on two cores, with the server pinned to
 * one, the collab fan-out's p99 fell by half when they yield to it, and a saturated core's
 * throughput by about a tenth (docs/benchmarks.md). Only on Linux, where each thread has its own
 * niceness; elsewhere, and with `nice` 0, nothing is changed and null is given.
 */
export function lowerHelperThreads(nice: number): { threads: number; nice: number } | null {
  if (nice === 0 || process.platform !== 'linux') return null;
  const threads = otherThreads();
  if (threads === null) return null;
  return { threads: lowerThreads(threads, nice), nice };
}
