import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import type { DataSource } from 'typeorm';
import type { Logger } from '../logging/logger.js';

/** How often the log is copied back into the database file. */
const INTERVAL_MS = 1000;
/** SQLite's own default, given back to the server's connection if the thread stops. */
const AUTOCHECKPOINT_PAGES = 1000;

/** What one checkpoint did, as `PRAGMA wal_checkpoint` says it: frames in the log, and of them copied back. */
export interface CheckpointRound {
  readonly busy: number;
  readonly log: number;
  readonly checkpointed: number;
}

/**
 * The SQLite write-ahead log, checkpointed from a thread of its own. By default SQLite checkpoints
 * inside the commit that takes the log past 1,000 pages: that commit copies the pages back and
 * syncs the file, holding the event loop for milliseconds while every socket waits (the S1 tail of
 * docs/benchmarks.md). Here the server's connection never checkpoints (`wal_autocheckpoint = 0`) and
 * a second connection, on a worker thread, runs a PASSIVE checkpoint every second, which waits for
 * no reader or writer. Should the thread fail, the server's connection checkpoints itself again.
 * The CLI's short runs keep SQLite's default.
 */
export class WalCheckpointer {
  private readonly rounds = new Set<(round: CheckpointRound) => void>();
  private readonly exited: Promise<void>;
  private stopping = false;

  private constructor(
    private readonly dataSource: DataSource,
    private readonly worker: Worker,
    private readonly logger: Logger,
  ) {
    worker.on('message', (message: { round?: CheckpointRound; failure?: string }) => {
      if (message.failure !== undefined)
        this.logger.warn({ reason: message.failure }, 'SQLite checkpoint failed; retrying');
      if (message.round !== undefined) for (const listener of this.rounds) listener(message.round);
    });
    worker.on('error', (error) => this.lost(error.message));
    this.exited = new Promise((resolve) =>
      worker.once('exit', () => {
        this.lost('the thread stopped');
        resolve();
      }),
    );
  }

  /** Starts checkpointing `path`, the database `dataSource` has open; null for an in-memory database. */
  static async start(dataSource: DataSource, path: string, logger: Logger): Promise<WalCheckpointer | null> {
    if (path === ':memory:') return null;
    await dataSource.query(`PRAGMA wal_autocheckpoint = 0`);
    const source = `
      const { parentPort, workerData } = require('node:worker_threads');
      const Database = require(workerData.driver);
      const db = new Database(workerData.path, { fileMustExist: true });
      db.pragma('busy_timeout = 5000');
      const checkpoint = db.prepare('PRAGMA wal_checkpoint(PASSIVE)');
      const timer = setInterval(() => {
        try {
          parentPort.postMessage({ round: checkpoint.get() });
        } catch (error) {
          parentPort.postMessage({ failure: error.message });
        }
      }, workerData.intervalMs);
      parentPort.on('message', () => {
        clearInterval(timer);
        db.close();
        parentPort.close();
      });`;
    const driver = createRequire(import.meta.url).resolve('better-sqlite3');
    const worker = new Worker(source, { eval: true, workerData: { driver, path, intervalMs: INTERVAL_MS } });
    worker.unref();
    return new WalCheckpointer(dataSource, worker, logger);
  }

  /** Resolves with the next checkpoint's outcome. */
  nextRound(): Promise<CheckpointRound> {
    return new Promise((resolve) => {
      const listener = (round: CheckpointRound) => {
        this.rounds.delete(listener);
        resolve(round);
      };
      this.rounds.add(listener);
    });
  }

  /** Stops the thread, its connection closed, before the server's connection closes (which checkpoints last). */
  stop(): Promise<void> {
    if (!this.stopping) {
      this.stopping = true;
      // Held while it stops: a shutdown awaiting an unreferenced thread would let the process end first.
      this.worker.ref();
      this.worker.postMessage('stop');
    }
    return this.exited;
  }

  private lost(reason: string): void {
    if (this.stopping) return;
    this.stopping = true;
    this.logger.warn({ reason }, 'the SQLite checkpoint thread stopped; the server checkpoints the log itself');
    if (this.dataSource.isInitialized)
      void this.dataSource.query(`PRAGMA wal_autocheckpoint = ${AUTOCHECKPOINT_PAGES}`).catch(() => undefined);
  }
}
