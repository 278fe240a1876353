/** Runs at most `limit` tasks at once; the others wait, first come first served. */
export class Turns {
  private active = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(private readonly limit: number) {}

  async run<T>(task: () => Promise<T>): Promise<T> {
    if (this.active >= this.limit) await new Promise<void>((resolve) => this.waiting.push(resolve));
    else this.active += 1;
    try {
      return await task();
    } finally {
      // The slot passes straight to the next waiter, so a newcomer cannot overtake the queue.
      const next = this.waiting.shift();
      if (next === undefined) this.active -= 1;
      else next();
    }
  }
}

/**
 * Runs the tasks of one key one after the other, in the order given, whatever the previous one's
 * outcome; tasks of different keys run side by side (a plan's projections, an audit chain's writes).
 */
export class KeyedTurns {
  private readonly last = new Map<string, Promise<unknown>>();

  run<T>(key: string, task: () => Promise<T>): Promise<T> {
    const next = (this.last.get(key) ?? Promise.resolve()).catch(() => undefined).then(task);
    this.last.set(key, next);
    const forget = () => {
      if (this.last.get(key) === next) this.last.delete(key);
    };
    next.then(forget, forget);
    return next;
  }

  /** Whether a task of `key` is waiting or running. */
  busy(key: string): boolean {
    return this.last.has(key);
  }

  /** Keys with a task waiting or running. */
  get size(): number {
    return this.last.size;
  }

  /** Resolves once the tasks of `key` (of every key, without one) given so far have settled. */
  async settled(key?: string): Promise<void> {
    await Promise.allSettled(key === undefined ? [...this.last.values()] : [this.last.get(key)]);
  }
}
