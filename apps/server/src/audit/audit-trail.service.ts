import { createHash } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { DataSource, type EntityManager, QueryFailedError } from 'typeorm';
import type { AuthContext } from '../access/auth-context.js';
import { CLOCK, type Clock, LOGGER } from '../core.module.js';
import { sqlDialect } from '../database/sql-dialect.js';
import { Transactor } from '../database/transactor.js';
import type { Logger } from '../logging/logger.js';
import { callerNameOf } from '../identity/caller-name.js';
import { PlanOrganizations } from '../plans/plan-organizations.js';
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

/** A webhook event a plan change gave rise to; its organization is the plan's. */
export interface PlanMessage {
  readonly event: string;
  readonly planId: string;
  readonly data: Readonly<Record<string, unknown>>;
}

/**
 * Everything one change leads to, written together in one transaction: its events in the trail,
 * its webhook messages, and, for a change carried by a stored update, the mark that it is recorded.
 */
export interface ChangeRecord {
  readonly planId: string;
  /** The stored update that carried it (its log row); null for what no update carries (a refusal). */
  readonly updateId: number | null;
  readonly events: readonly AuditInput[];
  readonly messages: readonly PlanMessage[];
}

/** Writes webhook messages into the outbox within the trail's transaction. */
export type OutboxWriter = (
  manager: EntityManager,
  organizationId: string,
  messages: readonly PlanMessage[],
) => Promise<void>;

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
/**
 * Changes wait this long at most, merged by field, before they are written: it is also the most a
 * plan's `plan.changed` webhook event comes, one per plan and write.
 */
const FLUSH_MS = 1000;
/** Writes a change waits for its plan to be found (its creation committing) before it is dropped. */
const UNKNOWN_PLAN_TRIES = 5;
/** Update ids per statement when marking them recorded. */
const ID_CHUNK = 500;
/** Rows per INSERT: 17 columns each, under both dialects' limits on bound parameters. */
const INSERT_CHUNK = 200;
/** Attempts at appending when another instance took the same place in the chain. */
const CHAIN_ATTEMPTS = 8;
/**
 * Events kept in memory while the database refuses them; past this the oldest are dropped (and
 * logged). Those of stored updates are not lost: their updates stay marked, and recovery records them.
 */
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

interface OrganizationBatch {
  readonly events: QueuedEvent[];
  readonly messages: QueuedMessage[];
  readonly updateIds: number[];
}

interface QueuedEvent {
  input: AuditInput;
  /** The stored updates it stands for (several when changes to one field were merged). */
  readonly updateIds: number[];
}

interface QueuedMessage {
  readonly message: PlanMessage;
  readonly updateId: number | null;
}

/**
 * The audit trail: append-only, one hash chain per organization. Plan changes arrive in bursts (a
 * typed title is many updates): they wait up to a second, the changes of one field by one actor
 * merged into one event (first value before, last after), then go in one transaction with the
 * webhook deliveries they lead to and the marks that their updates are recorded. Instances share a
 * chain through the database: the (organization, seq) key refuses a second event at the same
 * place, and the loser appends again after the winner.
 */
@Injectable()
export class AuditTrailService {
  private pending: QueuedEvent[] = [];
  private messages: QueuedMessage[] = [];
  private updates: { planId: string; updateId: number }[] = [];
  private readonly latest = new Map<string, number>();
  private outbox: OutboxWriter | null = null;
  /** Plans not found at a write, and how many writes have not found them. */
  private readonly unknownPlans = new Map<string, number>();
  private timer: NodeJS.Timeout | undefined;
  private flushing: Promise<void> | null = null;
  private readonly chains = new Map<string, Promise<unknown>>();

  constructor(
    private readonly dataSource: DataSource,
    private readonly transactor: Transactor,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {
    this.organizations = new PlanOrganizations(dataSource);
  }

  private readonly organizations: PlanOrganizations;

  /** Where webhook messages go (the webhooks module, when it is loaded). */
  useOutbox(writer: OutboxWriter): void {
    this.outbox = writer;
  }

  /** Queues an event that no stored update carries; it is written within a second (or by drain). */
  record(input: AuditInput): void {
    this.queue(input, null);
    this.schedule();
  }

  /**
   * Queues what a change led to; written within a second (or by drain) in one transaction with the
   * mark that its update is recorded. A record whose update recovery recorded first is dropped then.
   */
  recordChange(record: ChangeRecord): void {
    for (const input of record.events) this.queue(input, record.updateId);
    for (const message of record.messages) this.messages.push({ message, updateId: record.updateId });
    if (record.updateId !== null) this.updates.push({ planId: record.planId, updateId: record.updateId });
    this.schedule();
  }

  /** Writes events now, durably before it resolves; queued for the next flush if the database fails. */
  async recordNow(inputs: readonly AuditInput[]): Promise<void> {
    try {
      await this.append(inputs);
    } catch (error) {
      this.logger.error({ err: error, events: inputs.length }, 'audit events could not be written now; queued');
      for (const input of inputs) this.record(input);
    }
  }

  private queue(input: AuditInput, updateId: number | null): void {
    const updateIds = updateId === null ? [] : [updateId];
    if (input.action === 'updated') {
      const key = [input.planId, input.actor.kind, input.actor.id, input.entity, input.entityId, input.field].join(
        '\u0000',
      );
      const index = this.latest.get(key);
      const previous = index === undefined ? undefined : this.pending[index];
      if (index !== undefined && previous !== undefined) {
        previous.input = { ...input, before: previous.input.before };
        previous.updateIds.push(...updateIds);
        return;
      }
      this.latest.set(key, this.pending.length);
    }
    this.pending.push({ input, updateIds });
    if (this.pending.length > MAX_PENDING) {
      const dropped = this.pending.splice(0, this.pending.length - MAX_PENDING);
      this.latest.clear();
      this.logger.error({ dropped: dropped.length }, 'audit events dropped: the database has refused them too long');
    }
  }

  private schedule(): void {
    // Shutdown drains the queue itself (after the collab server's last changes): no need to hold the process.
    this.timer ??= setTimeout(() => void this.flush(), FLUSH_MS).unref();
  }

  /** Writes everything queued so far. */
  async drain(): Promise<void> {
    while (this.queued() || this.flushing !== null) await this.flush();
  }

  private queued(): boolean {
    return this.pending.length > 0 || this.messages.length > 0 || this.updates.length > 0;
  }

  /** Appends events to their organizations' chains now, in order; resolves once they are stored. */
  async append(inputs: readonly AuditInput[]): Promise<void> {
    await this.writeBatch(
      inputs.map((input) => ({ input, updateIds: [] })),
      [],
      [],
    );
  }

  /** Writes records (recovery's) now, each only if its update is not recorded yet; resolves once stored. */
  async appendRecords(records: readonly ChangeRecord[]): Promise<void> {
    await this.writeBatch(
      records.flatMap((record) =>
        record.events.map((input) => ({ input, updateIds: record.updateId === null ? [] : [record.updateId] })),
      ),
      records.flatMap((record) => record.messages.map((message) => ({ message, updateId: record.updateId }))),
      records.flatMap((record) =>
        record.updateId === null ? [] : [{ planId: record.planId, updateId: record.updateId }],
      ),
    );
  }

  /** Splits a batch by organization (a plan's is its plan's) and writes each in its chain's turn. */
  private async writeBatch(
    events: readonly QueuedEvent[],
    messages: readonly QueuedMessage[],
    updates: readonly { planId: string; updateId: number }[],
  ): Promise<void> {
    const byOrganization = new Map<string, OrganizationBatch>();
    const batchOf = async (organizationId: string | undefined, planId: string | null) => {
      const organization = organizationId ?? (await this.organizations.of(planId));
      if (organization === null) return null;
      if (planId !== null) this.unknownPlans.delete(planId);
      let batch = byOrganization.get(organization);
      if (batch === undefined) {
        batch = { events: [], messages: [], updateIds: [] };
        byOrganization.set(organization, batch);
      }
      return batch;
    };
    // A plan not found may be one whose creation has not committed yet: what concerns it waits for
    // the next write, a few times, before it is taken for deleted (its rows are gone with it).
    const laterOrNot = (planId: string | null) => {
      if (planId === null) return false;
      const tries = (this.unknownPlans.get(planId) ?? 0) + 1;
      this.unknownPlans.set(planId, tries);
      if (tries > UNKNOWN_PLAN_TRIES) return false;
      this.schedule();
      return true;
    };
    for (const event of events) {
      const batch = await batchOf(event.input.organizationId, event.input.planId);
      if (batch !== null) batch.events.push(event);
      else if (laterOrNot(event.input.planId)) this.pending.push(event);
    }
    for (const message of messages) {
      const batch = await batchOf(undefined, message.message.planId);
      if (batch !== null) batch.messages.push(message);
      else if (laterOrNot(message.message.planId)) this.messages.push(message);
    }
    for (const update of updates) {
      const batch = await batchOf(undefined, update.planId);
      if (batch !== null) batch.updateIds.push(update.updateId);
      else if (laterOrNot(update.planId)) this.updates.push(update);
    }
    await Promise.all([...byOrganization].map(([organizationId, batch]) => this.appendToChain(organizationId, batch)));
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

  private async flush(): Promise<void> {
    if (this.flushing !== null) return this.flushing;
    clearTimeout(this.timer);
    this.timer = undefined;
    const [events, messages, updates] = [this.pending, this.messages, this.updates];
    this.pending = [];
    this.messages = [];
    this.updates = [];
    this.latest.clear();
    if (events.length === 0 && messages.length === 0 && updates.length === 0) return;
    this.flushing = this.writeBatch(events, messages, updates)
      .catch((error: unknown) => {
        this.logger.error({ err: error, events: events.length }, 'audit events could not be stored; retrying');
        this.pending = [...events, ...this.pending];
        this.messages = [...messages, ...this.messages];
        this.updates = [...updates, ...this.updates];
        this.timer ??= setTimeout(() => void this.flush(), FLUSH_MS * 4).unref();
      })
      .finally(() => {
        this.flushing = null;
      });
    return this.flushing;
  }

  /** One organization's batch in one transaction after the chain's last event; in turn within this process. */
  private appendToChain(organizationId: string, batch: OrganizationBatch): Promise<void> {
    const previous = this.chains.get(organizationId) ?? Promise.resolve();
    const next = previous.catch(() => undefined).then(() => this.appendWithRetry(organizationId, batch));
    this.chains.set(organizationId, next);
    void next.finally(() => {
      if (this.chains.get(organizationId) === next) this.chains.delete(organizationId);
    });
    return next;
  }

  private async appendWithRetry(organizationId: string, batch: OrganizationBatch): Promise<void> {
    for (let attempt = 1; ; attempt += 1) {
      try {
        await this.transactor.run((manager) => this.writeOrganization(manager, organizationId, batch));
        return;
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

  /**
   * The batch's events, its webhook deliveries and the marks of its updates, together. What stands
   * for updates already recorded (by recovery, while this process could not write) is left out.
   */
  private async writeOrganization(manager: EntityManager, organizationId: string, batch: OrganizationBatch) {
    const recorded = await this.markRecorded(manager, batch.updateIds);
    const current = (updateIds: readonly number[]) =>
      updateIds.length === 0 || updateIds.some((id) => !recorded.has(id));
    const events = batch.events.filter((event) => current(event.updateIds)).map((event) => event.input);
    const messages = batch.messages
      .filter((queued) => current(queued.updateId === null ? [] : [queued.updateId]))
      .map((queued) => queued.message);
    // One plan.changed per plan and write, saying how many fields changed and in which parts.
    const changed = new Map<string, { changes: number; parts: Set<string> }>();
    for (const event of events) {
      if (event.planId === null || event.action === 'refused' || event.entity === 'auth') continue;
      const entry = changed.get(event.planId) ?? { changes: 0, parts: new Set<string>() };
      entry.changes += 1;
      entry.parts.add(event.entity);
      changed.set(event.planId, entry);
    }
    for (const [planId, entry] of changed)
      messages.push({
        event: 'plan.changed',
        planId,
        data: { changes: entry.changes, parts: [...entry.parts].sort() },
      });
    await this.write(manager, organizationId, events);
    if (messages.length > 0 && this.outbox !== null) await this.outbox(manager, organizationId, messages);
  }

  /**
   * Marks updates recorded; returns those that already were (another process recorded them). On
   * PostgreSQL the rows are locked until the transaction ends, so two writers cannot both take one.
   */
  private async markRecorded(manager: EntityManager, updateIds: readonly number[]): Promise<Set<number>> {
    const recorded = new Set<number>();
    const dialect = sqlDialect(this.dataSource);
    for (let start = 0; start < updateIds.length; start += ID_CHUNK) {
      const ids = updateIds.slice(start, start + ID_CHUNK);
      const list = ids.map((_, index) => dialect.param(index + 1)).join(', ');
      const pending = new Set(
        (
          (await manager.query(
            `SELECT id FROM plan_updates WHERE audit_pending AND id IN (${list})${dialect.postgres ? ' FOR UPDATE' : ''}`,
            ids,
          )) as { id: string | number }[]
        ).map((row) => Number(row.id)),
      );
      for (const id of ids) if (!pending.has(id)) recorded.add(id);
      if (pending.size > 0) {
        const taken = [...pending];
        await manager.query(
          `UPDATE plan_updates SET audit_pending = FALSE WHERE id IN (${taken.map((_, index) => dialect.param(index + 1)).join(', ')})`,
          taken,
        );
      }
    }
    return recorded;
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
