import type { CollabLogger, DocumentStore, PendingUpdate, StoredUpdateId } from './ports.js';

interface Waiting {
  readonly entry: PendingUpdate;
  resolve(id: StoredUpdateId): void;
  reject(error: Error): void;
  /** Times it failed alone while the store answered. */
  aloneFailures: number;
}

const MAX_BATCH = 500;
/**
 * An update the store refuses this often, alone, while it answers otherwise is dropped (a row that
 * breaks a constraint). Its sender is told and reconnects; the client still holds the update.
 */
const POISON_FAILURES = 2;

export interface CommitterOptions {
  /** First and longest wait between attempts while the store fails. */
  readonly initialMs: number;
  readonly maxMs: number;
  /** Update bytes held while the store is behind; beyond, appends are refused at once. */
  readonly maxQueuedBytes: number;
}

/** The store is behind by more than the committer holds: the sender should try again later. */
export class StoreBacklogError extends Error {}

/** The store keeps refusing this update while it stores others (a constraint it breaks). */
export class UpdateRefusedError extends Error {}

/**
 * Group commit: updates that arrive while a transaction is being written wait and go together in
 * the next one, so a burst costs one transaction, not one per update. Nothing is acknowledged
 * until it is stored. A failed transaction is retried with backoff while the store is down; the
 * updates held meanwhile are bounded (`maxQueuedBytes`), beyond which new ones are refused at once.
 * A batch that fails while the store answers (`ping`) is halved from the front until the update
 * that breaks it is found and refused, so that one bad row never holds up every document.
 */
export class Committer {
  private queue: Waiting[] = [];
  private queuedBytes = 0;
  private running: Promise<void> | null = null;

  private readonly options: CommitterOptions;

  constructor(
    private readonly store: DocumentStore,
    private readonly logger: CollabLogger,
    options: Partial<CommitterOptions> = {},
  ) {
    this.options = { initialMs: 50, maxMs: 5000, maxQueuedBytes: 64 * 1024 * 1024, ...options };
  }

  /** Resolves with its id once the update is durable; rejects with StoreBacklogError or UpdateRefusedError. */
  append(entry: PendingUpdate): Promise<StoredUpdateId> {
    if (this.queuedBytes + entry.update.byteLength > this.options.maxQueuedBytes) {
      return Promise.reject(new StoreBacklogError('the document store is behind; try again later'));
    }
    return new Promise<StoredUpdateId>((resolve, reject) => {
      this.queue.push({ entry, resolve, reject, aloneFailures: 0 });
      this.queuedBytes += entry.update.byteLength;
      this.running ??= new Promise<void>((done) => setImmediate(done)).then(() => this.run());
    });
  }

  /** Resolves when everything appended so far is stored (or refused). */
  async drain(): Promise<void> {
    while (this.running !== null) await this.running;
  }

  private async run(): Promise<void> {
    let delay = this.options.initialMs;
    let failing = false;
    let size = MAX_BATCH;
    while (this.queue.length > 0) {
      const batch = this.queue.slice(0, size);
      if (await this.tryStore(batch)) {
        if (failing) this.logger.info({ updates: batch.length }, 'document store reachable again: updates stored');
        failing = false;
        delay = this.options.initialMs;
        size = MAX_BATCH;
        continue;
      }
      if (await this.storeAnswers()) {
        // The store works but refuses this batch: halve it from the front until the update it
        // refuses stands alone, storing what comes before it on the way.
        if (batch.length > 1) {
          size = Math.ceil(batch.length / 2);
          continue;
        }
        const [lone] = batch as [Waiting];
        lone.aloneFailures += 1;
        if (lone.aloneFailures >= POISON_FAILURES) {
          this.refuse(lone);
          size = MAX_BATCH;
          continue;
        }
      }
      failing = true;
      await new Promise((resolve) => setTimeout(resolve, delay));
      delay = Math.min(delay * 2, this.options.maxMs);
    }
    this.running = null;
  }

  /** Whether the store answers at all (a store without `ping` is assumed down when a write fails). */
  private async storeAnswers(): Promise<boolean> {
    if (this.store.ping === undefined) return false;
    try {
      await this.store.ping();
      return true;
    } catch {
      return false;
    }
  }

  /** Stores `batch` in one write; on success removes its updates from the queue and resolves them. */
  private async tryStore(batch: Waiting[]): Promise<boolean> {
    let ids: readonly StoredUpdateId[];
    try {
      ids = await this.store.append(batch.map((waiting) => waiting.entry));
    } catch (error) {
      this.logger.error(
        { err: error, updates: batch.length },
        'document store failed: keeping updates in memory and retrying',
      );
      return false;
    }
    this.settle(batch);
    if (ids.length !== batch.length) {
      // A store that does not say where each update went breaks its contract: fail them all loudly.
      const error = new Error(`the store named ${ids.length} of the ${batch.length} updates it stored`);
      for (const waiting of batch) waiting.reject(error);
      return true;
    }
    batch.forEach((waiting, index) => waiting.resolve(ids[index] as StoredUpdateId));
    return true;
  }

  private refuse(waiting: Waiting): void {
    this.settle([waiting]);
    this.logger.error(
      { document: waiting.entry.documentName, bytes: waiting.entry.update.byteLength, failures: waiting.aloneFailures },
      'an update the store keeps refusing while it stores others was dropped',
    );
    waiting.reject(new UpdateRefusedError('the document store refuses this update'));
  }

  private settle(done: Waiting[]): void {
    const gone = new Set(done);
    this.queue = this.queue.filter((waiting) => !gone.has(waiting));
    for (const waiting of done) this.queuedBytes -= waiting.entry.update.byteLength;
  }
}
