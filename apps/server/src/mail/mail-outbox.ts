import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import type { Language } from '@bascule/plan-model';
import { DataSource, type EntityManager } from 'typeorm';
import { AppError } from '../common/errors.js';
import type { AppConfig } from '../config/config.js';
import { APP_CONFIG, CLOCK, type Clock, LOGGER } from '../core/core.module.js';
import { attemptDue, backoffMs, MAX_ATTEMPTS } from '../database/outbox.js';
import type { Logger } from '../logging/logger.js';
import { Metrics } from '../metrics/metrics.js';
import { MailOutboxEntity } from './mail-outbox.entity.js';
import { SmtpTransport } from './smtp-transport.js';

/** An e-mail to send, whole: a MailRenderer's output plus who it is for. */
/**
 * What is left of an e-mail once sent or given up: its bodies go (they may hold an invitation's
 * single-use link, or a comment), the delivery log keeps its recipient, subject and outcome.
 */
const SPENT = { textBody: '', htmlBody: '' } as const;

export interface OutgoingMail {
  readonly to: string;
  /** Whose delivery log shows it; null for e-mails of no organization. */
  readonly organizationId: string | null;
  /** The recipient's account; null when they have none yet (an invitation). */
  readonly userId: string | null;
  readonly language: Language;
  /** What it is (invitation, mentioned, digest, ...): at most 40 characters. */
  readonly kind: string;
  readonly subject: string;
  readonly text: string;
  readonly html: string;
  readonly headers?: Readonly<Record<string, string>>;
}

const MAX_KIND_LENGTH = 40;
const MAX_SUBJECT_LENGTH = 500;

/**
 * E-mail, sent from an outbox: a message is written in the transaction of what it tells about (so
 * that it exists exactly when that happened, and survives any crash after), then the worker role
 * sends it over SMTP, retrying with backoff. The rows are the delivery log too.
 */
@Injectable()
export class MailOutbox {
  constructor(
    private readonly dataSource: DataSource,
    private readonly transport: SmtpTransport,
    private readonly metrics: Metrics,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  /** Whether this server sends e-mail (BASCULE_SMTP_URL is set); when not, enqueueIn writes nothing. */
  get enabled(): boolean {
    return this.config.mail.enabled;
  }

  /** Puts e-mails in the outbox through `manager`: they are sent if, and once, its transaction commits. */
  async enqueueIn(manager: EntityManager, mails: readonly OutgoingMail[]): Promise<void> {
    if (!this.enabled || mails.length === 0) return;
    const now = this.clock.now();
    const rows = mails.map((mail): MailOutboxEntity => {
      if (mail.kind.length === 0 || mail.kind.length > MAX_KIND_LENGTH)
        throw new Error(`an e-mail kind has 1 to ${MAX_KIND_LENGTH} characters: ${mail.kind}`);
      return {
        id: randomUUID(),
        organizationId: mail.organizationId,
        userId: mail.userId,
        toAddress: mail.to,
        language: mail.language,
        kind: mail.kind,
        subject:
          mail.subject.length > MAX_SUBJECT_LENGTH ? `${mail.subject.slice(0, MAX_SUBJECT_LENGTH - 1)}…` : mail.subject,
        textBody: mail.text,
        htmlBody: mail.html,
        headers: { ...mail.headers },
        status: 'PENDING',
        attempts: 0,
        nextAttemptAt: now,
        lockedUntil: null,
        lastError: null,
        createdAt: now,
        sentAt: null,
      };
    });
    await manager.getRepository(MailOutboxEntity).insert(rows);
  }

  /** Sends what is due (at most `limit`), each message held by this instance while it is being sent. */
  dispatchDue(limit = 20): Promise<number> {
    return attemptDue(this.dataSource, MailOutboxEntity, this.clock.now(), limit, (mail) => this.attempt(mail));
  }

  /** The organization's e-mails, newest first. */
  deliveries(organizationId: string, first: number): Promise<MailOutboxEntity[]> {
    if (!Number.isInteger(first) || first < 1 || first > 200)
      throw new AppError('BAD_USER_INPUT', 'first must be between 1 and 200.', { field: 'first' });
    return this.dataSource
      .getRepository(MailOutboxEntity)
      .find({ where: { organizationId }, order: { createdAt: 'DESC' }, take: first });
  }

  private async attempt(mail: MailOutboxEntity): Promise<void> {
    const repository = this.dataSource.getRepository(MailOutboxEntity);
    const attempts = mail.attempts + 1;
    let error: string | null = null;
    try {
      await this.transport.send({
        id: mail.id,
        to: mail.toAddress,
        subject: mail.subject,
        text: mail.textBody,
        html: mail.htmlBody,
        headers: mail.headers,
      });
    } catch (failure) {
      error = this.transport.describe(failure);
    }
    const now = this.clock.now();
    if (error === null) {
      this.metrics.mailDeliveries.inc({ outcome: 'sent' });
      await repository.update(
        { id: mail.id },
        { status: 'SENT', attempts, lastError: null, sentAt: now, lockedUntil: null, ...SPENT },
      );
      return;
    }
    const givenUp = attempts >= MAX_ATTEMPTS;
    this.metrics.mailDeliveries.inc({ outcome: givenUp ? 'failed' : 'retry' });
    // The address stays out of the logs: the delivery log has it, for those allowed to read it.
    this.logger.warn({ mail: mail.id, kind: mail.kind, attempts, error, givenUp }, 'e-mail not sent');
    await repository.update(
      { id: mail.id },
      {
        status: givenUp ? 'FAILED' : 'PENDING',
        attempts,
        lastError: error,
        ...(givenUp ? SPENT : {}),
        nextAttemptAt: new Date(now.getTime() + backoffMs(attempts, this.config.mail.retryBaseMs)),
        lockedUntil: null,
      },
    );
  }
}
