import type { CollabLogger, DocumentStore, PendingUpdate } from './ports.js';

interface Waiting {
  readonly entry: PendingUpdate;
  resolve(): void;
  reject(error: Error): void;
}

const MAX_BATCH = 500;

/**
 * Group commit: updates that arrive while a transaction is being written wait and go together in
 * the next one, so a burst costs one transaction, not one per update. A failed transaction is
 * retried with backoff, keeping order; nothing is acknowledged until it is stored.
 */
export class Committer {
  private queue: Waiting[] = [];
  private running: Promise<void> | null = null;
  private stopped = false;

  constructor(
    private readonly store: DocumentStore,
    private readonly logger: CollabLogger,
    private readonly retry = { initialMs: 50, maxMs: 5000 },
  ) {}

  /** Resolves once the update is durable. */
  append(entry: PendingUpdate): Promise<void> {
    if (this.stopped) return Promise.reject(new Error('the committer is stopped'));
    return new Promise<void>((resolve, reject) => {
      this.queue.push({ entry, resolve, reject });
      this.running ??= new Promise<void>((done) => setImmediate(done)).then(() => this.run());
    });
  }

  /** Resolves when everything appended so far is stored. */
  async drain(): Promise<void> {
    while (this.running !== null) await this.running;
  }

  /** Stops retrying: what is still queued is rejected. Used only when the process must exit now. */
  abandon(): void {
    this.stopped = true;
    for (const waiting of this.queue.splice(0)) waiting.reject(new Error('shutting down before the update was stored'));
  }

  private async run(): Promise<void> {
    try {
      while (this.queue.length > 0 && !this.stopped) {
        const batch = this.queue.slice(0, MAX_BATCH);
        await this.storeWithRetry(batch);
        this.queue.splice(0, batch.length);
        for (const waiting of batch) waiting.resolve();
      }
    } finally {
      this.running = null;
      if (this.queue.length > 0 && !this.stopped) this.running = this.run();
    }
  }

  private async storeWithRetry(batch: Waiting[]): Promise<void> {
    let delay = this.retry.initialMs;
    for (let attempt = 1; ; attempt += 1) {
      try {
        await this.store.append(batch.map((waiting) => waiting.entry));
        if (attempt > 1)
          this.logger.info({ attempt, updates: batch.length }, 'document store reachable again: updates stored');
        return;
      } catch (error) {
        if (this.stopped) throw error;
        this.logger.error(
          { err: error, attempt, updates: batch.length, retryInMs: delay },
          'document store failed: keeping updates in memory and retrying',
        );
        await new Promise((resolve) => setTimeout(resolve, delay));
        delay = Math.min(delay * 2, this.retry.maxMs);
      }
    }
  }
}
