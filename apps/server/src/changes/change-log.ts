import { Inject, Injectable, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { type AppendEvents, type AuditInput, AuditTrailService } from '../audit/audit-trail.service.js';
import { CompactionScheduler } from '../collab/compaction.scheduler.js';
import { SqlDocumentStore } from '../collab/document.store.js';
import { LOGGER } from '../core/core.module.js';
import type { Logger } from '../logging/logger.js';
import type { NotificationEntity } from '../notifications/notification.entities.js';
import { type PlanNotice, NotificationsService } from '../notifications/notifications.service.js';
import { type PlanMessage, WebhooksService } from '../webhooks/webhooks.service.js';
import type { ChangeRecord } from './change-record.js';
import { PlanOrganizations } from './plan-organizations.js';

/**
 * Changes wait this long at most, merged by field, before they are written: it is also the most a
 * plan's `plan.changed` webhook event comes, one per plan and write.
 */
const FLUSH_MS = 1000;
/** Writes a change waits for its plan to be found (its creation committing) before it is dropped. */
const UNKNOWN_PLAN_TRIES = 5;
/**
 * Events kept in memory while the database refuses them; past this the oldest are dropped (and
 * logged). Those of stored updates are not lost: their updates stay marked, and recovery records them.
 */
const MAX_PENDING = 100_000;

interface QueuedEvent {
  input: AuditInput;
  /** The stored updates it stands for (several when changes to one field were merged). */
  readonly updateIds: number[];
}

interface QueuedMessage {
  readonly message: PlanMessage;
  readonly updateId: number | null;
}

interface QueuedNotice {
  readonly notice: PlanNotice;
  readonly updateId: number | null;
}

interface QueuedUpdate {
  readonly planId: string;
  readonly updateId: number;
}

/** What one organization's transaction writes. */
interface OrganizationBatch {
  readonly events: QueuedEvent[];
  readonly messages: QueuedMessage[];
  readonly notices: QueuedNotice[];
  readonly updates: QueuedUpdate[];
}

/**
 * Writes what plan changes lead to. Changes arrive in bursts (a typed title is many updates): they
 * wait up to a second, the changes of one field by one actor merged into one event (first value
 * before, last after), then each organization's go in one transaction in its audit chain's turn:
 * the trail's events, the webhook deliveries, and the marks that their stored updates are recorded.
 * What stands for an update some other process recorded first (recovery) is left out then.
 */
@Injectable()
export class ChangeLog implements OnModuleInit, OnApplicationShutdown {
  private events: QueuedEvent[] = [];
  private messages: QueuedMessage[] = [];
  private notices: QueuedNotice[] = [];
  private updates: QueuedUpdate[] = [];
  /** Where the last 'updated' event of each field is in `events`, for merging. */
  private readonly latest = new Map<string, number>();
  /** Plans not found at a write, and how many writes have not found them. */
  private readonly unknownPlans = new Map<string, number>();
  private timer: NodeJS.Timeout | undefined;
  private flushing: Promise<void> | null = null;

  constructor(
    private readonly organizations: PlanOrganizations,
    private readonly trail: AuditTrailService,
    private readonly store: SqlDocumentStore,
    private readonly webhooks: WebhooksService,
    private readonly notifications: NotificationsService,
    private readonly compaction: CompactionScheduler,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  /** A plan's automatic compaction first has this write what it holds, so that it merges every row. */
  onModuleInit(): void {
    this.compaction.beforeCompacting(() => this.writeQueued());
  }

  /**
   * Queues what a change led to; written within a second (or by drain) in one transaction with the
   * mark that its update is recorded.
   */
  record(record: ChangeRecord): void {
    for (const input of record.events) this.queue(input, record.updateId);
    for (const message of record.messages) this.messages.push({ message, updateId: record.updateId });
    for (const notice of record.notices ?? []) this.notices.push({ notice, updateId: record.updateId });
    if (record.updateId !== null) this.updates.push({ planId: record.planId, updateId: record.updateId });
    this.schedule();
  }

  /** Writes records now, each only if its update is not recorded yet; resolves once stored, or throws. */
  async recordNow(records: readonly ChangeRecord[]): Promise<void> {
    await this.writeBatch(
      records.flatMap((record) =>
        record.events.map((input) => ({ input, updateIds: record.updateId === null ? [] : [record.updateId] })),
      ),
      records.flatMap((record) => record.messages.map((message) => ({ message, updateId: record.updateId }))),
      records.flatMap((record) => (record.notices ?? []).map((notice) => ({ notice, updateId: record.updateId }))),
      records.flatMap((record) =>
        record.updateId === null ? [] : [{ planId: record.planId, updateId: record.updateId }],
      ),
    );
  }

  /** Writes a record now, durably before it resolves; queued for the next write if the database fails. */
  async recordPromptly(record: ChangeRecord): Promise<void> {
    try {
      await this.recordNow([record]);
    } catch (error) {
      this.logger.error({ err: error, planId: record.planId }, 'a plan change could not be recorded now; queued');
      this.record(record);
    }
  }

  /** What the collab server's close did not write (it drains the log last) is written now. */
  async onApplicationShutdown(): Promise<void> {
    await this.drain();
  }

  /**
   * Writes what is queued now, trying once (a failure is logged and retried later, as at any write):
   * what a compaction waits for, so as to merge the rows this records.
   */
  async writeQueued(): Promise<void> {
    await this.flush();
    // A write already under way took only what was queued before it.
    if (this.queued()) await this.flush();
  }

  /** Writes everything queued so far. */
  async drain(): Promise<void> {
    while (this.queued() || this.flushing !== null) await this.flush();
  }

  private queued(): boolean {
    return this.events.length > 0 || this.messages.length > 0 || this.notices.length > 0 || this.updates.length > 0;
  }

  private queue(input: AuditInput, updateId: number | null): void {
    const updateIds = updateId === null ? [] : [updateId];
    if (input.action === 'updated') {
      const key = [input.planId, input.actor.kind, input.actor.id, input.entity, input.entityId, input.field].join(
        '\u0000',
      );
      const index = this.latest.get(key);
      const previous = index === undefined ? undefined : this.events[index];
      if (index !== undefined && previous !== undefined) {
        previous.input = { ...input, before: previous.input.before };
        previous.updateIds.push(...updateIds);
        return;
      }
      this.latest.set(key, this.events.length);
    }
    this.events.push({ input, updateIds });
    if (this.events.length > MAX_PENDING) {
      const dropped = this.events.splice(0, this.events.length - MAX_PENDING);
      this.latest.clear();
      this.logger.error({ dropped: dropped.length }, 'audit events dropped: the database has refused them too long');
    }
  }

  private schedule(): void {
    // Shutdown drains the queue itself (after the collab server's last changes): no need to hold the process.
    this.timer ??= setTimeout(() => void this.flush(), FLUSH_MS).unref();
  }

  private async flush(): Promise<void> {
    if (this.flushing !== null) return this.flushing;
    clearTimeout(this.timer);
    this.timer = undefined;
    const [events, messages, notices, updates] = [this.events, this.messages, this.notices, this.updates];
    this.events = [];
    this.messages = [];
    this.notices = [];
    this.updates = [];
    this.latest.clear();
    if (events.length === 0 && messages.length === 0 && notices.length === 0 && updates.length === 0) return;
    this.flushing = this.writeBatch(events, messages, notices, updates, { requeueFailed: true })
      .catch((error: unknown) => {
        this.logger.error({ err: error, events: events.length }, 'plan changes could not be recorded; retrying');
        this.timer ??= setTimeout(() => void this.flush(), FLUSH_MS * 4).unref();
      })
      .finally(() => {
        this.flushing = null;
      });
    return this.flushing;
  }

  /**
   * Splits a batch by organization (a plan's is its plan's) and writes each in its chain's turn.
   * Throws the first failure once every organization was tried; with `requeueFailed`, what the
   * failed organizations held is queued again first (what the others wrote stays written).
   */
  private async writeBatch(
    events: readonly QueuedEvent[],
    messages: readonly QueuedMessage[],
    notices: readonly QueuedNotice[],
    updates: readonly QueuedUpdate[],
    options: { readonly requeueFailed?: boolean } = {},
  ): Promise<void> {
    const byOrganization = new Map<string, OrganizationBatch>();
    const batchOf = async (organizationId: string | undefined, planId: string | null) => {
      const organization = organizationId ?? (await this.organizations.of(planId));
      if (organization === null) return null;
      if (planId !== null) this.unknownPlans.delete(planId);
      let batch = byOrganization.get(organization);
      if (batch === undefined) {
        batch = { events: [], messages: [], notices: [], updates: [] };
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
      else if (laterOrNot(event.input.planId)) this.events.push(event);
    }
    for (const message of messages) {
      const batch = await batchOf(undefined, message.message.planId);
      if (batch !== null) batch.messages.push(message);
      else if (laterOrNot(message.message.planId)) this.messages.push(message);
    }
    for (const notice of notices) {
      const batch = await batchOf(undefined, notice.notice.planId);
      if (batch !== null) batch.notices.push(notice);
      else if (laterOrNot(notice.notice.planId)) this.notices.push(notice);
    }
    for (const update of updates) {
      const batch = await batchOf(undefined, update.planId);
      if (batch !== null) batch.updates.push(update);
      else if (laterOrNot(update.planId)) this.updates.push(update);
    }
    const batches = [...byOrganization];
    const results = await Promise.allSettled(
      batches.map(async ([organizationId, batch]) => {
        const written = await this.trail.inTurn(organizationId, (manager, append) =>
          this.writeOrganization(manager, organizationId, batch, append),
        );
        // Committed: the people told may see it now, on whichever instance they are connected to.
        this.notifications.announce(written);
      }),
    );
    const failed = batches.filter((_, index) => results[index]?.status === 'rejected').map(([, batch]) => batch);
    if (failed.length === 0) return;
    if (options.requeueFailed === true) {
      this.events = [...failed.flatMap((batch) => batch.events), ...this.events];
      this.messages = [...failed.flatMap((batch) => batch.messages), ...this.messages];
      this.notices = [...failed.flatMap((batch) => batch.notices), ...this.notices];
      this.updates = [...failed.flatMap((batch) => batch.updates), ...this.updates];
      // Positions moved: changes queued meanwhile are no longer merged into these.
      this.latest.clear();
    }
    throw (results.find((result) => result.status === 'rejected') as PromiseRejectedResult).reason;
  }

  /**
   * The batch's events, its webhook deliveries, its notifications with their e-mails and the marks
   * of its updates, in one transaction; returns the notifications written.
   */
  private async writeOrganization(
    manager: EntityManager,
    organizationId: string,
    batch: OrganizationBatch,
    append: AppendEvents,
  ): Promise<NotificationEntity[]> {
    const recorded = await this.store.markRecorded(
      manager,
      batch.updates.map((update) => update.updateId),
    );
    const current = (updateIds: readonly number[]) =>
      updateIds.length === 0 || updateIds.some((id) => !recorded.has(id));
    const events = batch.events.filter((event) => current(event.updateIds)).map((event) => event.input);
    const messages = batch.messages
      .filter((queued) => current(queued.updateId === null ? [] : [queued.updateId]))
      .map((queued) => queued.message);
    // One plan.changed per plan and write, saying how many fields changed and in which parts.
    const changed = new Map<string, { changes: number; parts: Set<string> }>();
    for (const event of events) {
      if (event.planId === null || event.action === 'refused') continue;
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
    await append(events);
    if (messages.length > 0) await this.webhooks.enqueueIn(manager, organizationId, messages);
    const notices = batch.notices
      .filter((queued) => current(queued.updateId === null ? [] : [queued.updateId]))
      .map((queued) => queued.notice);
    return notices.length === 0 ? [] : this.notifications.enqueueIn(manager, organizationId, notices);
  }
}
