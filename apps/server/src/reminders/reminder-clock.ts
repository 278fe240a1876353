import { Inject, Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { addDays, dayOf, DEFAULT_LANGUAGE, isCleared } from '@bascule/plan-model';
import { DataSource, type EntityManager, In, IsNull, LessThanOrEqual, Not } from 'typeorm';
import { Periodic } from '../common/periodic.js';
import type { AppConfig } from '../config/config.js';
import { APP_CONFIG, CLOCK, type Clock, LOGGER } from '../core/core.module.js';
import { Transactor } from '../database/transactor.js';
import type { Logger } from '../logging/logger.js';
import { PlanEntity } from '../plans/entities.js';
import { CheckpointRow, MilestoneRow } from '../projection/entities.js';
import { DEFAULT_CHANNELS, DUE_SOON_DAYS, sendsEmail } from '../notifications/notification-kinds.js';
import { type NotificationEntity, NotificationMarkEntity } from '../notifications/notification.entities.js';
import { NotificationsService, type PlanNotice } from '../notifications/notifications.service.js';
import { DigestMail, type DueItem } from './digest-mail.js';

/** How often the worker looks at the clock: a milestone due soon is told within this much. */
const INTERVAL_MS = 60_000;
/** The digest goes out from this hour of the day (UTC: 7 or 8 in the morning in Paris). */
export const DIGEST_HOUR_UTC = 6;
/** The digest lists what is due within this many days, and what is overdue. */
export const DIGEST_DAYS = 7;

/**
 * Worker role: what the clock tells people. A milestone that has an owner and is not done is told to
 * them DUE_SOON_DAYS before its due date (MILESTONE_DUE, as they chose: in the app, by e-mail); and
 * once a day, from DIGEST_HOUR_UTC, each person who owns milestones or checkpoints due within
 * DIGEST_DAYS or overdue gets one e-mail listing them (only theirs, only in plans they may read).
 * Each is written once, whichever instance sees it first: its mark and what it says commit together,
 * and the mark's key refuses a second one.
 */
@Injectable()
export class ReminderClock implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly rounds = new Periodic(
    async () => {
      await this.round();
    },
    (error) => this.logger.error({ err: error }, 'reminder round failed; next round in a minute'),
  );

  constructor(
    private readonly dataSource: DataSource,
    private readonly transactor: Transactor,
    private readonly notifications: NotificationsService,
    private readonly digests: DigestMail,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  onApplicationBootstrap(): void {
    if (this.config.roles.includes('worker')) this.rounds.start(INTERVAL_MS);
  }

  async onApplicationShutdown(): Promise<void> {
    await this.rounds.stop();
  }

  /** Tells what is due at `now`; returns how many milestones were told due and how many digests sent. */
  async round(now: Date = this.clock.now()): Promise<{ due: number; digests: number }> {
    const due = await this.announceDue(now);
    const digests = now.getUTCHours() >= DIGEST_HOUR_UTC ? await this.sendDigests(now) : 0;
    return { due, digests };
  }

  private async announceDue(now: Date): Promise<number> {
    const today = dayOf(now);
    const soon = await this.dataSource.getRepository(MilestoneRow).find({
      where: { ownerId: Not(IsNull()), status: Not('DONE'), dueDate: LessThanOrEqual(addDays(today, DUE_SOON_DAYS)) },
    });
    const keyOf = (row: MilestoneRow) => `due/${row.ownerId}/${row.planId}/${row.id}/${row.dueDate}`;
    const told = await this.marked(soon.map(keyOf));
    const upcoming = soon.filter((row) => row.dueDate !== null && row.dueDate >= today && !told.has(keyOf(row)));
    const plans = await this.plansOf(upcoming.map((row) => row.planId));
    let count = 0;
    for (const row of upcoming) {
      const plan = plans.get(row.planId);
      if (plan === undefined || row.ownerId === null) continue;
      let written: NotificationEntity[] = [];
      const notice: PlanNotice = {
        kind: 'MILESTONE_DUE',
        planId: row.planId,
        to: [row.ownerId],
        subject: 'milestones',
        entryId: row.id,
        commentId: null,
        title: row.title,
        excerpt: null,
        actor: { userId: null, name: null },
        data: { dueDate: row.dueDate },
        planTitle: plan.title,
        planLanguage: DEFAULT_LANGUAGE,
      };
      const done = await this.once(keyOf(row), async (manager) => {
        written = await this.notifications.enqueueIn(manager, plan.organizationId, [notice]);
      });
      if (!done) continue;
      count += 1;
      this.notifications.announce(written);
    }
    return count;
  }

  private async sendDigests(now: Date): Promise<number> {
    if (!this.config.mail.enabled) return 0;
    const today = dayOf(now);
    const milestones = await this.dataSource.getRepository(MilestoneRow).find({
      where: { status: Not('DONE'), dueDate: LessThanOrEqual(addDays(today, DIGEST_DAYS)) },
    });
    const checkpoints = await this.dataSource.getRepository(CheckpointRow).find({
      where: { ownerId: Not(IsNull()), planId: In([...new Set(milestones.map((row) => row.planId))]) },
    });
    // Each person's items, by plan: their milestones, and their open checkpoints gating a due milestone.
    const items = new Map<string, DueItem[]>();
    const add = (userId: string, item: DueItem) => items.set(userId, [...(items.get(userId) ?? []), item]);
    for (const row of milestones)
      if (row.ownerId !== null && row.dueDate !== null)
        add(row.ownerId, { ...row, collection: 'milestones', dueDate: row.dueDate });
    const dueDates = new Map(milestones.map((row) => [`${row.planId}/${row.id}`, row.dueDate]));
    for (const row of checkpoints) {
      if (row.ownerId === null || isCleared(row.status)) continue;
      const [first] = row.milestoneIds
        .map((id) => dueDates.get(`${row.planId}/${id}`))
        .filter((day): day is string => typeof day === 'string')
        .sort();
      if (first !== undefined) add(row.ownerId, { ...row, collection: 'checkpoints', dueDate: first });
    }
    // Those who had theirs today are done: the rest of the day's rounds cost two reads.
    const keyOf = (userId: string) => `digest/${userId}/${today}`;
    const sentToday = await this.marked([...items.keys()].map(keyOf));
    const waiting = [...items.keys()].filter((userId) => !sentToday.has(keyOf(userId)));
    if (waiting.length === 0) return 0;
    const channels = await this.notifications.channelsOf(this.dataSource.manager, waiting);
    const plans = await this.plansOf([...milestones, ...checkpoints].map((row) => row.planId));
    let sent = 0;
    for (const userId of waiting) {
      if (!sendsEmail(channels.get(userId)?.get('DIGEST') ?? DEFAULT_CHANNELS.DIGEST)) continue;
      const mail = await this.digests.compose(userId, items.get(userId) ?? [], plans, today);
      if (mail === null) continue;
      if (await this.once(keyOf(userId), (manager) => this.digests.enqueueIn(manager, mail))) sent += 1;
    }
    return sent;
  }

  /** Which of these marks are written already. */
  private async marked(keys: readonly string[]): Promise<Set<string>> {
    if (keys.length === 0) return new Set();
    const rows = await this.dataSource
      .getRepository(NotificationMarkEntity)
      .find({ where: { key: In([...keys]) }, select: { key: true } });
    return new Set(rows.map((row) => row.key));
  }

  private async plansOf(planIds: readonly string[]): Promise<Map<string, PlanEntity>> {
    if (planIds.length === 0) return new Map();
    const plans = await this.dataSource.getRepository(PlanEntity).findBy({ id: In([...new Set(planIds)]) });
    return new Map(plans.map((plan) => [plan.id, plan]));
  }

  /** Runs `work` with the mark `key` in one transaction, unless the mark is there already; returns whether it ran. */
  private once(key: string, work: (manager: EntityManager) => Promise<unknown>): Promise<boolean> {
    return this.transactor.once(NotificationMarkEntity, { key }, { key, createdAt: this.clock.now() }, work);
  }
}
