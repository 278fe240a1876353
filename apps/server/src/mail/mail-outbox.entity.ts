import type { Language } from '@bascule/plan-model';
import { Column, Entity, PrimaryColumn } from 'typeorm';

export type MailStatus = 'PENDING' | 'SENT' | 'FAILED';

/**
 * The outbox and the delivery log of e-mails in one: a message written, whole, in the transaction
 * of what it tells about, sent by the worker role, kept with its outcome.
 */
@Entity({ name: 'mail_outbox' })
export class MailOutboxEntity {
  /** Also the message's Message-ID, so that a message sent again after a crash is seen as the same. */
  @PrimaryColumn({ type: 'varchar', length: 36 }) id!: string;
  @Column({ name: 'organization_id', type: 'varchar', length: 36, nullable: true }) organizationId!: string | null;
  /** Null when the recipient has no account yet (an invitation). */
  @Column({ name: 'user_id', type: 'varchar', length: 36, nullable: true }) userId!: string | null;
  @Column({ name: 'to_address', type: 'varchar', length: 254 }) toAddress!: string;
  @Column({ type: 'varchar', length: 8 }) language!: Language;
  /** What the message is (invitation, mentioned, digest, ...): set by the sender, for the log and opt-outs. */
  @Column({ type: 'varchar', length: 40 }) kind!: string;
  @Column({ type: 'varchar', length: 500 }) subject!: string;
  @Column({ name: 'text_body', type: 'text' }) textBody!: string;
  @Column({ name: 'html_body', type: 'text' }) htmlBody!: string;
  /** Extra headers, such as List-Unsubscribe. */
  @Column({ type: 'simple-json' }) headers!: Record<string, string>;
  @Column({ type: 'varchar', length: 16 }) status!: MailStatus;
  @Column({ type: 'integer' }) attempts!: number;
  @Column({ name: 'next_attempt_at', type: Date }) nextAttemptAt!: Date;
  /** A dispatcher holds the message until then; another may take it after (a crashed one's). */
  @Column({ name: 'locked_until', type: Date, nullable: true }) lockedUntil!: Date | null;
  @Column({ name: 'last_error', type: 'varchar', length: 500, nullable: true }) lastError!: string | null;
  @Column({ name: 'created_at', type: Date }) createdAt!: Date;
  @Column({ name: 'sent_at', type: Date, nullable: true }) sentAt!: Date | null;
}
