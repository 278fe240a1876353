import { Inject, Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { DataSource, type EntityTarget, type FindOptionsWhere, In, LessThan, type ObjectLiteral } from 'typeorm';
import { Periodic } from '../common/periodic.js';
import type { AppConfig } from '../config/config.js';
import { APP_CONFIG, CLOCK, type Clock, LOGGER } from '../core/core.module.js';
import type { Logger } from '../logging/logger.js';
import { MailOutboxEntity } from '../mail/mail-outbox.entity.js';
import { NotificationEntity, NotificationMarkEntity } from '../notifications/notification.entities.js';
import { WebhookDeliveryEntity } from '../webhooks/webhook.entities.js';

/** How often the worker sweeps: what passes its age is gone within this much. */
const INTERVAL_MS = 60 * 60 * 1000;
/** Rows deleted per statement, so that a first sweep of a large table holds no long lock. */
const BATCH = 500;
/** Reminder marks only stop a second reminder of the same day: a month covers every one of them. */
const MARK_DAYS = 30;
const DAY_MS = 24 * 60 * 60 * 1000;

/** What one sweep took out, by table. */
export interface Swept {
  readonly notifications: number;
  readonly notificationMarks: number;
  readonly mails: number;
  readonly webhookDeliveries: number;
}

/**
 * Worker role: takes out, every hour, what is only a log once it is older than
 * BASCULE_RETENTION_DAYS (90 by default): notifications, read or not; e-mails sent or given up
 * (the delivery log); webhook deliveries delivered or given up. Reminder marks go after 30 days.
 * What is still to send (PENDING) stays whatever its age, and the audit trail is never touched
 * (its hash chain is the organization's record). Deleting twice is harmless, so instances need not
 * take turns.
 */
@Injectable()
export class RetentionSweeper implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly rounds = new Periodic(
    () => this.sweep(),
    (error) => this.logger.error({ err: error }, 'retention sweep failed; next one in an hour'),
  );

  constructor(
    private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  onApplicationBootstrap(): void {
    if (this.config.roles.includes('worker')) this.rounds.start(INTERVAL_MS, { immediately: true });
  }

  async onApplicationShutdown(): Promise<void> {
    await this.rounds.stop();
  }

  /** Takes out what is past its age at `now`; returns how many rows of each kind. */
  async sweep(now: Date = this.clock.now()): Promise<Swept> {
    const before = new Date(now.getTime() - this.config.retentionDays * DAY_MS);
    const swept: Swept = {
      notifications: await this.deleteOld<NotificationEntity>(NotificationEntity, { createdAt: LessThan(before) }),
      notificationMarks: await this.deleteOld<NotificationMarkEntity>(NotificationMarkEntity, {
        createdAt: LessThan(new Date(now.getTime() - MARK_DAYS * DAY_MS)),
      }),
      mails: await this.deleteOld<MailOutboxEntity>(MailOutboxEntity, {
        status: In(['SENT', 'FAILED'] as const),
        createdAt: LessThan(before),
      }),
      webhookDeliveries: await this.deleteOld<WebhookDeliveryEntity>(WebhookDeliveryEntity, {
        status: In(['DELIVERED', 'FAILED'] as const),
        createdAt: LessThan(before),
      }),
    };
    if (Object.values(swept).some((count) => count > 0))
      this.logger.info(
        { ...swept, retentionDays: this.config.retentionDays },
        'old notifications and deliveries taken out',
      );
    return swept;
  }

  /** Deletes the rows `where` selects, BATCH at a time by their key; returns how many. */
  private async deleteOld<T extends ObjectLiteral>(
    target: EntityTarget<T>,
    where: FindOptionsWhere<T>,
  ): Promise<number> {
    const repository = this.dataSource.getRepository(target);
    const [key] = repository.metadata.primaryColumns.map((column) => column.propertyName);
    if (key === undefined || repository.metadata.primaryColumns.length !== 1)
      throw new Error(`${repository.metadata.tableName}: one key column expected`);
    let deleted = 0;
    for (;;) {
      const rows = await repository.find({ select: { [key]: true } as never, where, take: BATCH });
      if (rows.length === 0) return deleted;
      await repository.delete(rows.map((row) => row[key] as string));
      deleted += rows.length;
      if (rows.length < BATCH) return deleted;
    }
  }
}
