import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import {
  type ChangeAuthor,
  type DocumentStore,
  type PendingUpdate,
  type StoredDocument,
  StoredMerger,
  type StoredUpdateId,
} from '@bascule/collab';
import { LRUCache } from 'lru-cache';
import { DataSource, type EntityManager, type QueryResult } from 'typeorm';
import { SpanStatusCode } from '@opentelemetry/api';
import { CLOCK, type Clock } from '../core/core.module.js';
import { tracer } from '../telemetry/tracing.js';
import { sqlDialect as dialect } from '../database/sql-dialect.js';
import { Transactor } from '../database/transactor.js';

/** Updates per INSERT: 5 parameters each, far under both dialects' limits on bound parameters. */
const APPEND_CHUNK = 500;
/** Merged rows deleted per statement, and update ids per statement when marking them recorded. */
const DELETE_CHUNK = 1000;
const ID_CHUNK = 500;

const toBytes = (value: Buffer | Uint8Array) => new Uint8Array(value.buffer, value.byteOffset, value.byteLength);

/**
 * Snapshot bytes kept in memory between loads, by plan. A snapshot row never changes in place: a
 * compaction writes a new generation, so an entry is used only for the same generation, write time
 * and length as the row the load finds (an archive imported again starts at generation 1 anew).
 */
const SNAPSHOT_CACHE_BYTES = 64 * 1024 * 1024;

/** What names one version of a plan's snapshot row, from plan_snapshots' generation, updated_at and LENGTH(state). */
const snapshotVersion = (row: { generation: string | number; stamp: Date | string; size: string | number }) =>
  `${row.generation}/${row.stamp instanceof Date ? row.stamp.getTime() : row.stamp}/${row.size}`;

/** A row of a plan's log as recovery reads it. */
export interface LoggedUpdate {
  readonly id: StoredUpdateId;
  readonly data: Uint8Array;
  /** Null for rows stored before authors were. */
  readonly author: ChangeAuthor | null;
  /** What it changed is not yet in the audit trail and the webhook outbox. */
  readonly pending: boolean;
  readonly createdAt: Date;
}

/**
 * An author as plan_updates.author holds it: the engine's `role` under `planRole`, the key rows
 * have always had, so that every row reads the same whichever release wrote it.
 */
const authorToRow = ({ role, ...author }: ChangeAuthor): string => JSON.stringify({ ...author, planRole: role });
const authorFromRow = (json: string): ChangeAuthor => {
  const { planRole, ...author } = JSON.parse(json) as Omit<ChangeAuthor, 'role'> & { planRole: string | null };
  return { ...author, role: planRole };
};

/** A timestamp read by raw SQL: a Date on PostgreSQL, SQLite's UTC datetime text otherwise. */
const timeOf = (value: Date | string): Date =>
  value instanceof Date ? value : new Date(`${value.replace(' ', 'T')}Z`);

export interface CompactionResult {
  readonly planId: string;
  /** Log rows folded into the snapshot and deleted; 0 when another compaction came first. */
  readonly merged: number;
  /** Of those, stored updates that could not be applied (left out, as a load leaves them out). */
  readonly skipped: number;
}

/**
 * The plan documents in the database: an append-only log of updates (plan_updates) and one
 * snapshot per plan (plan_snapshots), written in SQL for both dialects because TypeORM has no
 * binary column type common to them.
 */
@Injectable()
export class SqlDocumentStore implements DocumentStore, OnApplicationShutdown {
  private readonly sql: ReturnType<typeof dialect>;
  private readonly merger = new StoredMerger();
  private readonly snapshots = new LRUCache<string, { version: string; state: Uint8Array }>({
    maxSize: SNAPSHOT_CACHE_BYTES,
    sizeCalculation: (entry) => Math.max(1, entry.state.byteLength),
  });

  constructor(
    private readonly dataSource: DataSource,
    private readonly transactor: Transactor,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {
    this.sql = dialect(dataSource);
  }

  /** Stops the compaction thread (it does not hold the process open either way). */
  async onApplicationShutdown(): Promise<void> {
    await this.merger.close();
  }

  /**
   * The plan's snapshot and its log. Every row in the log is one no compaction has merged (it
   * deletes the rows it merges in the transaction that writes the snapshot). The log is read with
   * the version of the snapshot, in one statement; the snapshot's bytes come from memory when this
   * version was read before, and are read next otherwise. A compaction in between only makes the
   * snapshot read newer than the log: it holds the rows it deleted, and applying them again changes
   * nothing. Whatever is stored after the read reaches the room through the fan-out, subscribed first.
   */
  async load(planId: string): Promise<StoredDocument> {
    const p = this.sql.param;
    const rows = (await this.dataSource.query(
      `SELECT 0 AS part, generation AS id, NULL AS data, updated_at AS stamp, LENGTH(state) AS size
       FROM plan_snapshots WHERE plan_id = ${p(1)}
       UNION ALL SELECT 1 AS part, id, data, NULL, NULL FROM plan_updates WHERE plan_id = ${p(2)}
       ORDER BY part, id`,
      [planId, planId],
    )) as { part: number | string; id: string | number; data: Buffer; stamp: Date | string; size: string | number }[];
    const [first] = rows;
    const head = first !== undefined && Number(first.part) === 0 ? first : undefined;
    const updates = (head === undefined ? rows : rows.slice(1)).map((row) => toBytes(row.data));
    if (head === undefined) return { snapshot: null, updates };
    const cached = this.snapshots.get(planId);
    if (cached?.version === snapshotVersion({ ...head, generation: head.id }))
      return { snapshot: cached.state, updates };
    return { snapshot: await this.readSnapshot(planId), updates };
  }

  /** The snapshot's bytes from the database, kept in memory for the next load of the same version. */
  private async readSnapshot(planId: string): Promise<Uint8Array | null> {
    const [row] = (await this.dataSource.query(
      `SELECT state, generation, updated_at AS stamp, LENGTH(state) AS size FROM plan_snapshots
       WHERE plan_id = ${this.sql.param(1)}`,
      [planId],
    )) as { state: Buffer; generation: string | number; stamp: Date | string; size: string | number }[];
    if (row === undefined) return null;
    const state = toBytes(row.state);
    this.snapshots.set(planId, { version: snapshotVersion(row), state });
    return state;
  }

  /** Appends a batch (one group commit), traced as `collab.append` with its size. */
  append(updates: readonly PendingUpdate[]): Promise<StoredUpdateId[]> {
    return tracer.startActiveSpan('collab.append', async (span) => {
      span.setAttribute('bascule.collab.updates', updates.length);
      try {
        return await this.appendRows(updates);
      } catch (error) {
        span.recordException(error as Error);
        span.setStatus({ code: SpanStatusCode.ERROR });
        throw error;
      } finally {
        span.end();
      }
    });
  }

  private async appendRows(updates: readonly PendingUpdate[]): Promise<StoredUpdateId[]> {
    const p = this.sql.param;
    const now = this.sql.time(this.clock.now());
    // One statement per chunk: a multi-row INSERT is atomic by itself, so a batch that fits in one
    // (the group commit's usual case) costs a single round trip, without BEGIN and COMMIT.
    const statements: [string, unknown[]][] = [];
    for (let start = 0; start < updates.length; start += APPEND_CHUNK) {
      const chunk = updates.slice(start, start + APPEND_CHUNK);
      const values = chunk.map(
        (_, row) => `(${[1, 2, 3, 4, 5].map((column) => p(row * 5 + column)).join(', ')}, TRUE)`,
      );
      statements.push([
        `INSERT INTO plan_updates (plan_id, data, actor_id, author, created_at, audit_pending)
         VALUES ${values.join(', ')} RETURNING id`,
        chunk.flatMap((update) => [
          update.documentName,
          Buffer.from(update.update.buffer, update.update.byteOffset, update.update.byteLength),
          update.author.userId,
          authorToRow(update.author),
          now,
        ]),
      ]);
    }
    // Rows of one INSERT take increasing ids in the order of its VALUES; RETURNING's own order is
    // not promised, so the ids are sorted back into that order.
    const idsOf = (rows: { id: string | number }[]) => rows.map((row) => Number(row.id)).sort((a, b) => a - b);
    if (statements.length === 1) {
      const [[sql, parameters]] = statements as [[string, unknown[]]];
      return idsOf((await this.dataSource.query(sql, parameters)) as { id: string | number }[]);
    }
    return this.transactor.run(async (manager) => {
      const ids: StoredUpdateId[] = [];
      for (const [sql, parameters] of statements)
        ids.push(...idsOf((await manager.query(sql, parameters)) as { id: string | number }[]));
      return ids;
    });
  }

  /**
   * A plan's snapshot and every row of its log, in order, with their authors: what recovery replays
   * to tell what the updates whose changes were never recorded changed.
   */
  async loadLog(planId: string): Promise<{ snapshot: Uint8Array | null; rows: LoggedUpdate[] }> {
    const p = this.sql.param;
    const rows = (await this.dataSource.query(
      `SELECT id, data, author, audit_pending, created_at FROM plan_updates WHERE plan_id = ${p(1)} ORDER BY id`,
      [planId],
    )) as {
      id: string | number;
      data: Buffer;
      author: string | null;
      audit_pending: boolean | number;
      created_at: Date | string;
    }[];
    return {
      snapshot: await this.snapshotOf(planId),
      rows: rows.map((row) => ({
        id: Number(row.id),
        data: toBytes(row.data),
        author: row.author === null ? null : authorFromRow(row.author),
        pending: Boolean(row.audit_pending),
        createdAt: timeOf(row.created_at),
      })),
    };
  }

  private async snapshotOf(planId: string): Promise<Uint8Array | null> {
    const [snapshot] = (await this.dataSource.query(
      `SELECT state FROM plan_snapshots WHERE plan_id = ${this.sql.param(1)}`,
      [planId],
    )) as { state: Buffer }[];
    return snapshot === undefined ? null : toBytes(snapshot.state);
  }

  /** Plans holding updates stored before `before` whose changes were never recorded. */
  async plansWithUnrecordedChanges(before: Date, limit: number): Promise<string[]> {
    const p = this.sql.param;
    const rows = (await this.dataSource.query(
      `SELECT DISTINCT plan_id FROM plan_updates WHERE audit_pending AND created_at < ${p(1)} LIMIT ${p(2)}`,
      [this.sql.time(before), limit],
    )) as { plan_id: string }[];
    return rows.map((row) => row.plan_id);
  }

  /**
   * Marks updates recorded within the caller's transaction; returns those that already were (another
   * process recorded them). On PostgreSQL the rows stay locked until the transaction ends, so two
   * writers cannot both take one.
   */
  async markRecorded(manager: EntityManager, updateIds: readonly number[]): Promise<Set<number>> {
    const recorded = new Set<number>();
    const p = this.sql.param;
    const list = (ids: readonly unknown[]) => ids.map((_, index) => p(index + 1)).join(', ');
    for (let start = 0; start < updateIds.length; start += ID_CHUNK) {
      const ids = updateIds.slice(start, start + ID_CHUNK);
      const pending = new Set(
        (
          (await manager.query(
            `SELECT id FROM plan_updates WHERE audit_pending AND id IN (${list(ids)})${this.sql.postgres ? ' FOR UPDATE' : ''}`,
            ids,
          )) as { id: string | number }[]
        ).map((row) => Number(row.id)),
      );
      for (const id of ids) if (!pending.has(id)) recorded.add(id);
      if (pending.size > 0) {
        const taken = [...pending];
        await manager.query(`UPDATE plan_updates SET audit_pending = FALSE WHERE id IN (${list(taken)})`, taken);
      }
    }
    return recorded;
  }

  /**
   * Plans holding an update or a snapshot newer than their read model (a crash or a shutdown between
   * commit and projection): the worker projects them again.
   */
  async plansNewerThanProjection(limit: number): Promise<string[]> {
    const rows = (await this.dataSource.query(
      `SELECT s.plan_id AS id FROM plan_summaries s
       WHERE EXISTS (SELECT 1 FROM plan_updates u WHERE u.plan_id = s.plan_id AND u.created_at > s.projected_at)
          OR EXISTS (SELECT 1 FROM plan_snapshots n WHERE n.plan_id = s.plan_id AND n.updated_at > s.projected_at)
       LIMIT ${this.sql.param(1)}`,
      [limit],
    )) as { id: string }[];
    return rows.map((row) => row.id);
  }

  /** Writes the first snapshot of a plan brought from another installation, in the caller's transaction. */
  async importSnapshot(manager: EntityManager, planId: string, state: Uint8Array): Promise<void> {
    const p = this.sql.param;
    await manager.query(
      `INSERT INTO plan_snapshots (plan_id, state, generation, updated_at) VALUES (${p(1)}, ${p(2)}, 1, ${p(3)})`,
      [planId, Buffer.from(state), this.sql.time(this.clock.now())],
    );
  }

  async ping(): Promise<void> {
    await this.dataSource.query('SELECT 1');
  }

  /** Plans whose log holds at least `minUpdates` unmerged rows: the compaction worker's list. */
  async plansToCompact(minUpdates: number, limit: number): Promise<string[]> {
    const p = this.sql.param;
    const rows = (await this.dataSource.query(
      `SELECT plan_id, COUNT(*) AS n FROM plan_updates
       GROUP BY plan_id HAVING COUNT(*) >= ${p(1)} ORDER BY COUNT(*) DESC LIMIT ${p(2)}`,
      [minUpdates, limit],
    )) as { plan_id: string }[];
    return rows.map((row) => row.plan_id);
  }

  /**
   * Merges a plan's log into its snapshot, then deletes exactly the rows it merged, in the same
   * transaction. Rows are named by id, never by a watermark: on PostgreSQL a lower id can commit
   * after a higher one (two instances appending at once), and it must stay in the log for the next
   * round. Forward-only: the snapshot is written only if its generation is still the one read, so
   * of two compactions racing (several workers, the CLI) the second changes nothing. A stored update
   * that cannot be applied is left out of the snapshot, as a load leaves it out, and counted. Rows
   * from the first one whose changes are not yet recorded on stay in the log: recovery replays them
   * on the state just before each of them.
   */
  async compact(planId: string): Promise<CompactionResult> {
    const p = this.sql.param;
    const [previous] = (await this.dataSource.query(
      `SELECT state, generation FROM plan_snapshots WHERE plan_id = ${p(1)}`,
      [planId],
    )) as { state: Buffer; generation: string | number }[];
    const rows = (await this.dataSource.query(
      `SELECT id, data FROM plan_updates WHERE plan_id = ${p(1)} AND NOT EXISTS (
         SELECT 1 FROM plan_updates pending
         WHERE pending.plan_id = plan_updates.plan_id AND pending.audit_pending AND pending.id <= plan_updates.id)
       ORDER BY id`,
      [planId],
    )) as { id: string | number; data: Buffer }[];
    if (rows.length === 0) return { planId, merged: 0, skipped: 0 };
    // Merged off the event loop: a day's snapshot is applied in one piece.
    const { state: merged, skipped } = await this.merger.merge({
      snapshot: previous === undefined ? null : toBytes(previous.state),
      updates: rows.map((row) => toBytes(row.data)),
    });
    const state = Buffer.from(merged.buffer, merged.byteOffset, merged.byteLength);
    const now = this.sql.time(this.clock.now());
    return this.transactor.run(async (manager) => {
      // Counted by rows affected: TypeORM's plain results differ by dialect for UPDATE ... RETURNING.
      const runner = manager.queryRunner;
      if (runner === undefined) throw new Error('compaction writes inside a transaction');
      const written = (
        (await (previous === undefined
          ? runner.query(
              `INSERT INTO plan_snapshots (plan_id, state, generation, updated_at)
               VALUES (${p(1)}, ${p(2)}, 1, ${p(3)}) ON CONFLICT (plan_id) DO NOTHING`,
              [planId, state, now],
              true,
            )
          : runner.query(
              `UPDATE plan_snapshots SET state = ${p(1)}, generation = generation + 1, updated_at = ${p(2)}
               WHERE plan_id = ${p(3)} AND generation = ${p(4)}`,
              [state, now, planId, previous.generation],
              true,
            ))) as QueryResult
      ).affected;
      if (written !== 1) return { planId, merged: 0, skipped: 0 };
      for (let start = 0; start < rows.length; start += DELETE_CHUNK) {
        const ids = rows.slice(start, start + DELETE_CHUNK).map((row) => row.id);
        await manager.query(
          `DELETE FROM plan_updates WHERE plan_id = ${p(1)} AND id IN (${ids.map((_, index) => p(index + 2)).join(', ')})`,
          [planId, ...ids],
        );
      }
      return { planId, merged: rows.length, skipped };
    });
  }
}
