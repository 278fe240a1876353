import { Inject, Injectable } from '@nestjs/common';
import { type DocumentStore, type PendingUpdate, replayStored, type StoredDocument } from '@bascule/collab';
import { DataSource } from 'typeorm';
import * as Y from 'yjs';
import { CLOCK, type Clock } from '../core.module.js';
import { sqlDialect as dialect } from '../database/sql-dialect.js';
import { Transactor } from '../database/transactor.js';

const toBytes = (value: Buffer | Uint8Array) => new Uint8Array(value.buffer, value.byteOffset, value.byteLength);

export interface CompactionResult {
  readonly planId: string;
  readonly merged: number;
}

/**
 * The plan documents in the database: an append-only log of updates (plan_updates) and one
 * snapshot per plan (plan_snapshots), written in SQL for both dialects because TypeORM has no
 * binary column type common to them.
 */
@Injectable()
export class SqlDocumentStore implements DocumentStore {
  private readonly sql: ReturnType<typeof dialect>;

  constructor(
    private readonly dataSource: DataSource,
    private readonly transactor: Transactor,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {
    this.sql = dialect(dataSource);
  }

  async load(planId: string): Promise<StoredDocument> {
    const p = this.sql.param;
    const [snapshot] = (await this.dataSource.query(
      `SELECT state, through_id FROM plan_snapshots WHERE plan_id = ${p(1)}`,
      [planId],
    )) as {
      state: Buffer;
      through_id: string | number;
    }[];
    const rows = (await this.dataSource.query(
      `SELECT data FROM plan_updates WHERE plan_id = ${p(1)} AND id > ${p(2)} ORDER BY id`,
      [planId, snapshot?.through_id ?? 0],
    )) as { data: Buffer }[];
    return {
      snapshot: snapshot === undefined ? null : toBytes(snapshot.state),
      updates: rows.map((row) => toBytes(row.data)),
    };
  }

  async append(updates: readonly PendingUpdate[]): Promise<void> {
    const p = this.sql.param;
    const now = this.sql.time(this.clock.now());
    await this.transactor.run(async (manager) => {
      for (const update of updates) {
        await manager.query(
          `INSERT INTO plan_updates (plan_id, data, actor_id, created_at) VALUES (${p(1)}, ${p(2)}, ${p(3)}, ${p(4)})`,
          [
            update.planId,
            Buffer.from(update.update.buffer, update.update.byteOffset, update.update.byteLength),
            update.actorId,
            now,
          ],
        );
      }
    });
  }

  /** Plans whose log holds at least `minUpdates` rows past their snapshot: the compaction worker's list. */
  async plansToCompact(minUpdates: number, limit: number): Promise<string[]> {
    const p = this.sql.param;
    const rows = (await this.dataSource.query(
      `SELECT u.plan_id AS plan_id, COUNT(*) AS n FROM plan_updates u
       LEFT JOIN plan_snapshots s ON s.plan_id = u.plan_id
       WHERE u.id > COALESCE(s.through_id, 0)
       GROUP BY u.plan_id HAVING COUNT(*) >= ${p(1)} ORDER BY COUNT(*) DESC LIMIT ${p(2)}`,
      [minUpdates, limit],
    )) as { plan_id: string }[];
    return rows.map((row) => row.plan_id);
  }

  /**
   * Merges a plan's log into its snapshot. Forward-only: the snapshot is replaced only by one that
   * covers more of the log, and merged rows are deleted only after it is written, in the same
   * transaction. Safe to run twice or on several instances at once: the loser changes nothing.
   */
  async compact(planId: string): Promise<CompactionResult> {
    const p = this.sql.param;
    const [previous] = (await this.dataSource.query(
      `SELECT state, through_id FROM plan_snapshots WHERE plan_id = ${p(1)}`,
      [planId],
    )) as {
      state: Buffer;
      through_id: string | number;
    }[];
    const rows = (await this.dataSource.query(
      `SELECT id, data FROM plan_updates WHERE plan_id = ${p(1)} AND id > ${p(2)} ORDER BY id`,
      [planId, previous?.through_id ?? 0],
    )) as { id: string | number; data: Buffer }[];
    const last = rows.at(-1)?.id;
    if (last === undefined) return { planId, merged: 0 };
    const doc = new Y.Doc();
    await replayStored(doc, {
      snapshot: previous === undefined ? null : toBytes(previous.state),
      updates: rows.map((row) => toBytes(row.data)),
    });
    const state = Buffer.from(Y.encodeStateAsUpdate(doc));
    doc.destroy();
    const now = this.sql.time(this.clock.now());
    return this.transactor.run(async (manager) => {
      const written = (await manager.query(
        this.sql.postgres
          ? `INSERT INTO plan_snapshots (plan_id, state, through_id, updated_at) VALUES ($1, $2, $3, $4)
             ON CONFLICT (plan_id) DO UPDATE SET state = EXCLUDED.state, through_id = EXCLUDED.through_id, updated_at = EXCLUDED.updated_at
             WHERE plan_snapshots.through_id < EXCLUDED.through_id RETURNING plan_id`
          : `INSERT INTO plan_snapshots (plan_id, state, through_id, updated_at) VALUES (?, ?, ?, ?)
             ON CONFLICT (plan_id) DO UPDATE SET state = excluded.state, through_id = excluded.through_id, updated_at = excluded.updated_at
             WHERE plan_snapshots.through_id < excluded.through_id RETURNING plan_id`,
        [planId, state, last, now],
      )) as unknown[];
      if (written.length === 0) return { planId, merged: 0 };
      await manager.query(`DELETE FROM plan_updates WHERE plan_id = ${p(1)} AND id <= ${p(2)}`, [planId, last]);
      return { planId, merged: rows.length };
    });
  }
}
