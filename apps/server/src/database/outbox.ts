import {
  type DataSource,
  type EntityTarget,
  type FindOptionsOrder,
  type FindOptionsWhere,
  LessThanOrEqual,
} from 'typeorm';
import { sqlDialect } from './sql-dialect.js';

/**
 * What an outbox table (webhook deliveries, e-mails) has in common: rows written in the transaction
 * of what caused them, sent later by the worker role, retried with backoff, given up after
 * MAX_ATTEMPTS. Writing first and sending after means nothing is lost when a process dies; the lock
 * lets several workers share one table, and another take over a dead one's rows.
 */
export interface OutboxRow {
  readonly id: string;
  readonly status: string;
  readonly nextAttemptAt: Date;
  readonly lockedUntil: Date | null;
}

/** Attempts at one row before it is given up (FAILED). */
export const MAX_ATTEMPTS = 12;
const MAX_BACKOFF_MS = 60 * 60 * 1000;
/** Longer than one attempt may take: a row still locked after this was held by a process that died. */
const LOCK_MS = 60_000;

/** How long to wait before attempt `attempts + 1`: doubling from the base, at most an hour, with jitter. */
export function backoffMs(attempts: number, baseMs: number): number {
  const delay = Math.min(baseMs * 2 ** Math.max(0, attempts - 1), MAX_BACKOFF_MS);
  return Math.round(delay * (0.8 + Math.random() * 0.4));
}

/**
 * Runs `attempt` on the PENDING rows of `entity` that are due (at most `limit`, oldest due first),
 * one after the other, each claimed by this process just before (so that a row waiting behind slow
 * ones is not held for nothing). Returns how many were attempted; `attempt` records the outcome.
 */
export async function attemptDue<T extends OutboxRow>(
  dataSource: DataSource,
  entity: EntityTarget<T>,
  now: Date,
  limit: number,
  attempt: (row: T) => Promise<void>,
): Promise<number> {
  const repository = dataSource.getRepository(entity);
  // The claim reads and writes only the columns every outbox has.
  const claims = dataSource.getRepository<OutboxRow>(entity);
  const due = await repository.find({
    where: { status: 'PENDING', nextAttemptAt: LessThanOrEqual(now) } as FindOptionsWhere<T>,
    order: { nextAttemptAt: 'ASC' } as FindOptionsOrder<T>,
    take: limit,
  });
  let attempted = 0;
  for (const row of due) {
    if (row.lockedUntil !== null && row.lockedUntil > now) continue;
    const claimed = await claims
      .createQueryBuilder()
      .update()
      .set({ lockedUntil: new Date(now.getTime() + LOCK_MS) })
      .where('id = :id AND status = :pending AND (locked_until IS NULL OR locked_until <= :now)', {
        id: row.id,
        pending: 'PENDING',
        now: sqlDialect(dataSource).time(now),
      })
      .execute();
    if (claimed.affected !== 1) continue;
    await attempt(row);
    attempted += 1;
  }
  return attempted;
}
