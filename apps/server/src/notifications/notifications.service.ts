import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { isNotificationKind, type Language } from '@bascule/plan-model';
import { DataSource, type EntityManager, In, IsNull } from 'typeorm';
import type { AuthContext } from '../access/auth-context.js';
import { AppError } from '../common/errors.js';
import { groupBy } from '../common/text.js';
import { CLOCK, type Clock } from '../core/core.module.js';
import { sqlDialect } from '../database/sql-dialect.js';
import type { OutgoingMail } from '../mail/mail-outbox.js';
import {
  channelsOf,
  DEFAULT_CHANNELS,
  type NotificationChannel,
  type NotificationKind,
  NOTIFICATION_KINDS,
  sendsEmail,
  showsInApp,
} from './notification-kinds.js';
import { NotificationEntity, NotificationPreferenceEntity } from './notification.entities.js';
import { NotificationEvents } from './notification-events.js';
import { NotificationLinks } from './notification-links.js';
import { NotificationMail } from './notification-mail.js';
import type { Notice } from './notice.js';
import { PlanAudience } from './plan-audience.js';

/** A notice as it is written for one plan: with what the e-mail needs of the plan. */
export interface PlanNotice extends Notice {
  readonly planTitle: string;
  readonly planLanguage: Language;
}

/** At most this many notifications a page, and marked read at a time. */
const PAGE_MAX = 100;

/**
 * People's notifications: written with what caused them (in the transaction that records a plan's
 * change, or the clock's mark), one per person who may read the plan and wants it in the app, with
 * an e-mail in the outbox for those who want it by e-mail, in their language. Reading, marking read
 * and choosing how to be told of each kind are the person's own.
 */
@Injectable()
export class NotificationsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly audience: PlanAudience,
    private readonly mail: NotificationMail,
    private readonly links: NotificationLinks,
    private readonly events: NotificationEvents,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  /**
   * Writes the notices of an organization's plans through `manager`: the notifications, and the
   * e-mails in the outbox. Returns the notifications written, to announce once the transaction commits.
   */
  async enqueueIn(
    manager: EntityManager,
    organizationId: string,
    notices: readonly PlanNotice[],
  ): Promise<NotificationEntity[]> {
    const rows: NotificationEntity[] = [];
    const mails: OutgoingMail[] = [];
    const now = this.clock.now();
    for (const [planId, planNotices] of groupBy(notices, (notice) => notice.planId)) {
      const approvers = planNotices.some((notice) => notice.toApprovers === true)
        ? await this.audience.approvers(planId, manager)
        : [];
      const wanted = [
        ...new Set(planNotices.flatMap((notice) => [...notice.to, ...(notice.toApprovers === true ? approvers : [])])),
      ];
      const readers = new Map(
        (await this.audience.readers(planId, wanted, manager)).map((reader) => [reader.user.id, reader.user]),
      );
      const channels = await this.channelsOf(manager, [...readers.keys()]);
      for (const notice of planNotices) {
        const people = new Set([...notice.to, ...(notice.toApprovers === true ? approvers : [])]);
        for (const userId of people) {
          const user = readers.get(userId);
          if (user === undefined || userId === notice.actor.userId) continue;
          const channel = channels.get(userId)?.get(notice.kind) ?? DEFAULT_CHANNELS[notice.kind];
          const row: NotificationEntity = {
            id: randomUUID(),
            organizationId,
            userId,
            kind: notice.kind,
            planId,
            subject: notice.subject,
            entryId: notice.entryId,
            commentId: notice.commentId,
            title: notice.title,
            actorName: notice.actor.name,
            excerpt: notice.excerpt,
            data: { ...notice.data, planTitle: notice.planTitle },
            createdAt: now,
            readAt: null,
          };
          if (showsInApp(channel)) rows.push(row);
          if (sendsEmail(channel) && this.mail.enabled)
            mails.push(this.mail.mailOf(user, organizationId, row, notice.planLanguage));
        }
      }
    }
    // `data` is JSON of any shape, which TypeORM's partial-entity type cannot follow.
    if (rows.length > 0) await manager.getRepository(NotificationEntity).insert(rows as never[]);
    if (mails.length > 0) await this.mail.enqueueIn(manager, mails);
    return rows;
  }

  /** Tells every instance of notifications written (call once their transaction committed). */
  announce(rows: readonly NotificationEntity[]): void {
    for (const row of rows)
      this.events.publish({ userId: row.userId, organizationId: row.organizationId, notificationId: row.id });
  }

  /** A person's notifications in their current organization, newest first. */
  async list(
    auth: AuthContext,
    options: { first: number; unreadOnly: boolean; after?: string },
  ): Promise<NotificationEntity[]> {
    const organizationId = this.organizationOf(auth);
    if (!Number.isInteger(options.first) || options.first < 1 || options.first > PAGE_MAX)
      throw new AppError('BAD_USER_INPUT', `first must be between 1 and ${PAGE_MAX}.`, { field: 'first' });
    const query = this.dataSource
      .getRepository(NotificationEntity)
      .createQueryBuilder('notification')
      .where('notification.user_id = :userId AND notification.organization_id = :organizationId', {
        userId: auth.userId,
        organizationId,
      })
      .orderBy('notification.created_at', 'DESC')
      .addOrderBy('notification.id', 'DESC')
      .take(options.first);
    if (options.unreadOnly) query.andWhere('notification.read_at IS NULL');
    if (options.after !== undefined) {
      // After the one named, in this order: older, or as old and before it by id (a change's
      // notifications share their instant). One no longer found was taken out for its age
      // (RetentionSweeper), with every older one: the list ends there.
      const last = await this.dataSource
        .getRepository(NotificationEntity)
        .findOneBy({ id: options.after, userId: auth.userId, organizationId });
      if (last === null) return [];
      query.andWhere('(notification.created_at < :at OR (notification.created_at = :at AND notification.id < :id))', {
        at: sqlDialect(this.dataSource).time(last.createdAt),
        id: last.id,
      });
    }
    return query.getMany();
  }

  async unreadCount(auth: AuthContext): Promise<number> {
    return this.dataSource.getRepository(NotificationEntity).countBy({
      userId: auth.userId,
      organizationId: this.organizationOf(auth),
      readAt: IsNull(),
    });
  }

  /** One of the caller's notifications (for a subscription's delivery); NOT_FOUND for anyone else's. */
  async one(auth: AuthContext, id: string): Promise<NotificationEntity> {
    const found = await this.dataSource
      .getRepository(NotificationEntity)
      .findOneBy({ id, userId: auth.userId, organizationId: this.organizationOf(auth) });
    if (found === null) throw new AppError('NOT_FOUND', 'No such notification.');
    return found;
  }

  /** Marks the caller's notifications read (those named, or all); returns how many were unread. */
  async markRead(auth: AuthContext, ids: readonly string[] | null): Promise<number> {
    const organizationId = this.organizationOf(auth);
    if (ids !== null && ids.length > PAGE_MAX)
      throw new AppError('BAD_USER_INPUT', `At most ${PAGE_MAX} notifications at a time.`, { field: 'ids' });
    const result = await this.dataSource
      .getRepository(NotificationEntity)
      .update(
        { userId: auth.userId, organizationId, readAt: IsNull(), ...(ids === null ? {} : { id: In([...ids]) }) },
        { readAt: this.clock.now() },
      );
    return result.affected ?? 0;
  }

  /** How the caller is told of each kind (the default where they chose nothing). */
  async preferences(auth: AuthContext): Promise<{ kind: NotificationKind; channel: NotificationChannel }[]> {
    this.organizationOf(auth);
    const chosen = (await this.channelsOf(this.dataSource.manager, [auth.userId])).get(auth.userId);
    return NOTIFICATION_KINDS.map((kind) => ({ kind, channel: chosen?.get(kind) ?? DEFAULT_CHANNELS[kind] }));
  }

  async setPreference(auth: AuthContext, kind: NotificationKind, channel: NotificationChannel): Promise<void> {
    this.organizationOf(auth);
    await this.choose(auth.userId, kind, channel);
  }

  /**
   * Stops e-mails of `kind` for the person an unsubscribe link was made for (what was in the app
   * stays there); FORBIDDEN when the link is not one Bascule made for them.
   */
  async unsubscribeOrFail(userId: string, kind: string, token: string): Promise<NotificationKind> {
    const genuine = isNotificationKind(kind) && this.links.genuine(userId, kind, token);
    if (!genuine) throw new AppError('FORBIDDEN', 'This unsubscribe link is not valid.');
    const current =
      (await this.channelsOf(this.dataSource.manager, [userId])).get(userId)?.get(kind as NotificationKind) ??
      DEFAULT_CHANNELS[kind as NotificationKind];
    await this.choose(userId, kind as NotificationKind, showsInApp(current) ? 'IN_APP' : 'NONE');
    return kind as NotificationKind;
  }

  /** Each person's chosen channels, by kind. */
  async channelsOf(
    manager: EntityManager,
    userIds: readonly string[],
  ): Promise<Map<string, Map<NotificationKind, NotificationChannel>>> {
    const chosen = new Map<string, Map<NotificationKind, NotificationChannel>>();
    if (userIds.length === 0) return chosen;
    for (const row of await manager.getRepository(NotificationPreferenceEntity).findBy({ userId: In([...userIds]) })) {
      const mine = chosen.get(row.userId) ?? new Map<NotificationKind, NotificationChannel>();
      mine.set(row.kind, row.channel);
      chosen.set(row.userId, mine);
    }
    return chosen;
  }

  private async choose(userId: string, kind: NotificationKind, channel: NotificationChannel): Promise<void> {
    const allowed = channelsOf(kind);
    if (!allowed.includes(channel))
      throw new AppError('BAD_USER_INPUT', `${kind} takes ${allowed.join(' or ')}.`, { field: 'channel' });
    await this.dataSource
      .getRepository(NotificationPreferenceEntity)
      .upsert({ userId, kind, channel }, ['userId', 'kind']);
  }

  private organizationOf(auth: AuthContext): string {
    if (auth.organizationId === null)
      throw new AppError('FORBIDDEN', 'Notifications belong to an organization: sign in to one.');
    return auth.organizationId;
  }
}
