import type { CollabLogger, DocumentStore, PendingUpdate } from './ports.js';

interface Waiting {
  readonly entry: PendingUpdate;
  resolve(): void;
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

  constructor(
    private readonly store: DocumentStore,
    private readonly logger: CollabLogger,
    private readonly retry = { initialMs: 50, maxMs: 5000 },
  ) {}

  /** Resolves once the update is durable. */
  append(entry: PendingUpdate): Promise<void> {
    return new Promise<void>((resolve) => {
      this.queue.push({ entry, resolve });
      this.running ??= new Promise<void>((done) => setImmediate(done)).then(() => this.run());
    });
  }

  /** Resolves when everything appended so far is stored. */
  async drain(): Promise<void> {
    while (this.running !== null) await this.running;
  }

  private async run(): Promise<void> {
    while (this.queue.length > 0) {
      const batch = this.queue.slice(0, MAX_BATCH);
      await this.storeWithRetry(batch);
      this.queue.splice(0, batch.length);
      for (const waiting of batch) waiting.resolve();
    }
    this.running = null;
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
