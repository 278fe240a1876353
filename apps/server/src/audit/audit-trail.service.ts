import { createHash } from 'node:crypto';
import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { DataSource, type EntityManager, QueryFailedError } from 'typeorm';
import type { AuthContext } from '../access/auth-context.js';
import { CLOCK, type Clock, LOGGER } from '../core/core.module.js';
import { sqlDialect } from '../database/sql-dialect.js';
import { Transactor } from '../database/transactor.js';
import { KeyedTurns } from '../common/turns.js';
import type { Logger } from '../logging/logger.js';
import { callerNameOf } from '../identity/caller-name.js';
import { type AuditActorKind, AuditEventEntity } from './audit-event.entity.js';

export interface AuditActor {
  readonly kind: AuditActorKind;
  /** The user's or API token's id; null for the system. */
  readonly id: string | null;
  readonly name: string;
}

export interface AuditInput {
  /** Given for events outside plans; plan events find it from their plan. */
  readonly organizationId?: string;
  readonly planId: string | null;
  readonly actor: AuditActor;
  readonly action: string;
  readonly entity: string;
  readonly entityId: string | null;
  readonly field: string | null;
  readonly before?: unknown;
  readonly after?: unknown;
  readonly details?: Readonly<Record<string, unknown>>;
  readonly at: Date;
}

/** The last event of a chain: recorded outside the database, it shows later that nothing after it was cut. */
export interface ChainHead {
  readonly seq: number;
  readonly hash: string;
}

export interface ChainCheck {
  readonly organizationId: string;
  readonly events: number;
  /** The first event whose hash or link does not hold, or null when the whole chain verifies. */
  readonly brokenAt: number | null;
  readonly problem: string | null;
  /** The last event checked (null for an empty chain). */
  readonly head: ChainHead | null;
}

const GENESIS = '0'.repeat(64);
/** Events recorded without waiting are written within this time, several in one transaction. */
const FLUSH_MS = 1000;
/** Rows per INSERT: 17 columns each, under both dialects' limits on bound parameters. */
const INSERT_CHUNK = 200;
/** Attempts at appending when another instance took the same place in the chain. */
const CHAIN_ATTEMPTS = 8;
/** Events kept in memory while the database refuses them; past this the oldest are dropped (and logged). */
const MAX_PENDING = 100_000;

const json = (value: unknown): string | null => (value === undefined ? null : JSON.stringify(value));

/** An event's recorded values in order: the CSV export's columns (with the hash), and what the hash covers. */
export function eventValues(event: Omit<AuditEventEntity, 'id' | 'hash' | 'prevHash' | 'organizationId'>) {
  return [
    event.seq,
    event.occurredAt.toISOString(),
    event.planId,
    event.actorKind,
    event.actorId,
    event.actorName,
    event.action,
    event.entity,
    event.entityId,
    event.field,
    event.before,
    event.after,
    event.details,
  ];
}

/** The hash of an event: over the previous event's hash, its organization and all its values. */
export function hashOf(event: Omit<AuditEventEntity, 'id' | 'hash'>): string {
  return createHash('sha256')
    .update(JSON.stringify([event.prevHash, event.organizationId, ...eventValues(event)]))
    .digest('hex');
}

/** An event outside any stored change (an administrative act, a sign-in): its organization is known. */
export type OrganizationEvent = AuditInput & { readonly organizationId: string };

/** Appends events to the chain of the organization a turn was taken for, in the turn's transaction. */
export type AppendEvents = (events: readonly AuditInput[]) => Promise<void>;

/**
 * The audit trail: append-only, one hash chain per organization. Whoever writes takes the chain's
 * turn (`inTurn`): a transaction in which it appends events and writes what must commit with them
 * (the changes module adds webhook deliveries and the marks of stored updates). Instances share a
 * chain through the database: the (organization, seq) key refuses a second event at the same place,
 * and the loser runs its turn again after the winner. Events outside plan changes (`record`) wait
 * up to a second and go several in one turn.
 */
@Injectable()
export class AuditTrailService implements OnApplicationShutdown {
  private pending: OrganizationEvent[] = [];
  private timer: NodeJS.Timeout | undefined;
  private flushing: Promise<void> | null = null;
  /** Each organization's chain is appended to by one transaction of this process at a time. */
  private readonly chains = new KeyedTurns();

  constructor(
    private readonly dataSource: DataSource,
    private readonly transactor: Transactor,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  /** Queues an event; it is written within a second (or by drain), again later if the database fails. */
  record(input: OrganizationEvent): void {
    this.pending.push(input);
    if (this.pending.length > MAX_PENDING) {
      const dropped = this.pending.splice(0, this.pending.length - MAX_PENDING);
      this.logger.error({ dropped: dropped.length }, 'audit events dropped: the database has refused them too long');
    }
    // Shutdown drains the queue itself: no need to hold the process.
    this.timer ??= setTimeout(() => void this.flush(), FLUSH_MS).unref();
  }

  /** Writes events now, durably before it resolves; queued for the next flush if the database fails. */
  async recordNow(inputs: readonly OrganizationEvent[]): Promise<void> {
    try {
      await this.append(inputs);
    } catch (error) {
      this.logger.error({ err: error, events: inputs.length }, 'audit events could not be written now; queued');
      for (const input of inputs) this.record(input);
    }
  }

  async onApplicationShutdown(): Promise<void> {
    await this.drain();
  }

  /** Writes everything queued so far. */
  async drain(): Promise<void> {
    while (this.pending.length > 0 || this.flushing !== null) await this.flush();
  }

  /** Appends events to their organizations' chains now, in order; resolves once they are stored. */
  async append(inputs: readonly OrganizationEvent[]): Promise<void> {
    const byOrganization = new Map<string, OrganizationEvent[]>();
    for (const input of inputs) {
      const events = byOrganization.get(input.organizationId) ?? [];
      events.push(input);
      byOrganization.set(input.organizationId, events);
    }
    await Promise.all(
      [...byOrganization].map(([organizationId, events]) =>
        this.inTurn(organizationId, (_manager, appendEvents) => appendEvents(events)),
      ),
    );
  }

  /**
   * Runs `work` in one transaction in the organization's chain turn (in order within this process),
   * again from the start when another instance appended at the same place first.
   */
  inTurn<T>(organizationId: string, work: (manager: EntityManager, append: AppendEvents) => Promise<T>): Promise<T> {
    return this.chains.run(organizationId, () => this.withRetry(organizationId, work));
  }

  private async withRetry<T>(
    organizationId: string,
    work: (manager: EntityManager, append: AppendEvents) => Promise<T>,
  ): Promise<T> {
    for (let attempt = 1; ; attempt += 1) {
      try {
        return await this.transactor.run((manager) =>
          work(manager, (events) => this.write(manager, organizationId, events)),
        );
      } catch (error) {
        // Another instance appended at the same place first: read the new end and go again.
        if (
          !(error instanceof QueryFailedError) ||
          !/unique|duplicate/i.test(error.message) ||
          attempt >= CHAIN_ATTEMPTS
        )
          throw error;
      }
    }
  }

  private async flush(): Promise<void> {
    if (this.flushing !== null) return this.flushing;
    clearTimeout(this.timer);
    this.timer = undefined;
    const events = this.pending;
    this.pending = [];
    if (events.length === 0) return;
    this.flushing = this.append(events)
      .catch((error: unknown) => {
        this.logger.error({ err: error, events: events.length }, 'audit events could not be stored; retrying');
        this.pending = [...events, ...this.pending];
        this.timer ??= setTimeout(() => void this.flush(), FLUSH_MS * 4).unref();
      })
      .finally(() => {
        this.flushing = null;
      });
    return this.flushing;
  }

  /**
   * Recomputes the chains (every organization's, or one) from their first event. With `anchors`,
   * heads recorded earlier outside the database, a chain must still hold each anchored event with
   * the same hash: removing the newest events, which a chain alone cannot show, then shows.
   */
  async verify(
    organizationId?: string,
    onProgress?: (checked: number) => void,
    anchors: ReadonlyMap<string, ChainHead> = new Map(),
  ): Promise<ChainCheck[]> {
    const repository = this.dataSource.getRepository(AuditEventEntity);
    const organizations =
      organizationId === undefined
        ? (
            (await this.dataSource.query(
              'SELECT DISTINCT organization_id FROM audit_events ORDER BY organization_id',
            )) as {
              organization_id: string;
            }[]
          ).map((row) => row.organization_id)
        : [organizationId];
    for (const anchored of anchors.keys()) if (!organizations.includes(anchored)) organizations.push(anchored);
    const checks: ChainCheck[] = [];
    let checked = 0;
    for (const organization of organizations) {
      let previous = GENESIS;
      let expected = 1;
      let problem: string | null = null;
      let brokenAt: number | null = null;
      let events = 0;
      let head: ChainHead | null = null;
      const anchor = anchors.get(organization);
      for (let after = 0; problem === null;) {
        const batch = await repository
          .createQueryBuilder('event')
          .where('event.organization_id = :organization AND event.seq > :after', { organization, after })
          .orderBy('event.seq', 'ASC')
          .take(1000)
          .getMany();
        if (batch.length === 0) break;
        for (const event of batch) {
          events += 1;
          if (event.seq !== expected) problem = `event ${expected} is missing`;
          else if (event.prevHash !== previous) problem = `event ${event.seq} does not follow event ${event.seq - 1}`;
          else if (hashOf(event) !== event.hash) problem = `event ${event.seq} was altered`;
          else if (anchor?.seq === event.seq && anchor.hash !== event.hash)
            problem = `event ${event.seq} differs from the recorded head`;
          if (problem !== null) {
            brokenAt = expected;
            break;
          }
          previous = event.hash;
          head = { seq: event.seq, hash: event.hash };
          expected += 1;
        }
        after = batch[batch.length - 1]?.seq ?? after;
        checked += batch.length;
        onProgress?.(checked);
      }
      if (problem === null && anchor !== undefined && (head?.seq ?? 0) < anchor.seq) {
        problem = `events ${(head?.seq ?? 0) + 1} to ${anchor.seq} were removed (a head recorded earlier had them)`;
        brokenAt = (head?.seq ?? 0) + 1;
      }
      checks.push({ organizationId: organization, events, brokenAt, problem, head });
    }
    return checks;
  }

  private async write(manager: EntityManager, organizationId: string, inputs: readonly AuditInput[]): Promise<void> {
    const last = await manager
      .getRepository(AuditEventEntity)
      .createQueryBuilder('event')
      .select(['event.seq', 'event.hash'])
      .where('event.organization_id = :organizationId', { organizationId })
      .orderBy('event.seq', 'DESC')
      .limit(1)
      .getOne();
    let seq = last?.seq ?? 0;
    let prevHash = last?.hash ?? GENESIS;
    const rows = inputs.map((input) => {
      seq += 1;
      const row = {
        organizationId,
        seq,
        occurredAt: input.at,
        planId: input.planId,
        actorKind: input.actor.kind,
        actorId: input.actor.id,
        actorName: input.actor.name.slice(0, 200),
        action: input.action,
        entity: input.entity,
        entityId: input.entityId,
        field: input.field,
        before: json(input.before),
        after: json(input.after),
        details: json(input.details),
        prevHash,
      };
      prevHash = hashOf(row);
      return { ...row, hash: prevHash };
    });
    for (let start = 0; start < rows.length; start += INSERT_CHUNK)
      await manager.insert(AuditEventEntity, rows.slice(start, start + INSERT_CHUNK));
  }

  /**
   * Records an administrative act (a plan shared, the catalog edited, a webhook registered) by the
   * authenticated caller, in the caller's organization's trail.
   */
  async recordAdmin(
    auth: Pick<AuthContext, 'principal' | 'userId' | 'apiTokenId' | 'organizationId'>,
    event: Pick<AuditInput, 'action' | 'entity' | 'entityId' | 'before' | 'after' | 'details'> & {
      readonly planId?: string | null;
    },
  ): Promise<void> {
    if (auth.organizationId === null) return;
    const name = (await callerNameOf(this.dataSource, auth)) ?? auth.userId;
    await this.recordNow([
      {
        organizationId: auth.organizationId,
        planId: event.planId ?? null,
        actor:
          auth.principal === 'apiToken'
            ? { kind: 'apiToken', id: auth.apiTokenId, name }
            : { kind: 'user', id: auth.userId, name },
        field: null,
        at: this.clock.now(),
        ...event,
      },
    ]);
  }

  /** A user's display name for the trail (their id when the account is gone). */
  async nameOf(userId: string | null): Promise<string> {
    if (userId === null) return 'Bascule';
    const [row] = (await this.dataSource.query(
      `SELECT display_name FROM users WHERE id = ${sqlDialect(this.dataSource).param(1)}`,
      [userId],
    )) as { display_name: string }[];
    return row?.display_name ?? userId;
  }
}
