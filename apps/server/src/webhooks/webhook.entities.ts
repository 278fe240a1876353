import { Column, Entity, PrimaryColumn } from 'typeorm';

export const WEBHOOK_EVENTS = [
  'plan.changed',
  'milestone.slipped',
  'risk.critical',
  'checkpoint.approved',
  'runbook.task.late',
  'runbook.task.failed',
  'runbook.decision',
  'comment.created',
] as const;
export type WebhookEvent = (typeof WEBHOOK_EVENTS)[number];

/** Where an organization wants to be told, and of what. */
@Entity({ name: 'webhook_endpoints' })
export class WebhookEndpointEntity {
  @PrimaryColumn({ type: 'varchar', length: 36 }) id!: string;
  @Column({ name: 'organization_id', type: 'varchar', length: 36 }) organizationId!: string;
  @Column({ type: 'varchar', length: 2000 }) url!: string;
  @Column({ type: 'simple-json' }) events!: WebhookEvent[];
  /** The signing secret, encrypted (AES-256-GCM under a key derived from BASCULE_TOKEN_HASH_KEY). */
  @Column({ name: 'secret_sealed', type: 'varchar', length: 200 }) secretSealed!: string;
  /** The secret before the last rotation, sealed the same way: it signs too until its grace ends. */
  @Column({ name: 'previous_secret_sealed', type: 'varchar', length: 200, nullable: true })
  previousSecretSealed!: string | null;
  @Column({ name: 'previous_secret_expires_at', type: Date, nullable: true }) previousSecretExpiresAt!: Date | null;
  @Column({ name: 'created_at', type: Date }) createdAt!: Date;
  @Column({ name: 'created_by', type: 'varchar', length: 36 }) createdBy!: string;
  @Column({ name: 'deleted_at', type: Date, nullable: true }) deletedAt!: Date | null;
}

export type DeliveryStatus = 'PENDING' | 'DELIVERED' | 'FAILED';

/**
 * The outbox and the delivery log in one: an event to send to one endpoint, written before anything
 * is sent, kept with its outcome. A restart finds the pending ones where they were.
 */
@Entity({ name: 'webhook_deliveries' })
export class WebhookDeliveryEntity {
  /** Also the event's id, sent with it (receivers use it to ignore a repeat). */
  @PrimaryColumn({ type: 'varchar', length: 36 }) id!: string;
  @Column({ name: 'endpoint_id', type: 'varchar', length: 36 }) endpointId!: string;
  @Column({ name: 'organization_id', type: 'varchar', length: 36 }) organizationId!: string;
  @Column({ type: 'varchar', length: 40 }) event!: WebhookEvent;
  /** The JSON body, exactly as it is signed and sent. */
  @Column({ type: 'text' }) payload!: string;
  @Column({ type: 'varchar', length: 16 }) status!: DeliveryStatus;
  @Column({ type: 'integer' }) attempts!: number;
  @Column({ name: 'next_attempt_at', type: Date }) nextAttemptAt!: Date;
  /** A dispatcher holds the delivery until then; another may take it after (a crashed one's). */
  @Column({ name: 'locked_until', type: Date, nullable: true }) lockedUntil!: Date | null;
  @Column({ name: 'last_status', type: 'integer', nullable: true }) lastStatus!: number | null;
  @Column({ name: 'last_error', type: 'varchar', length: 500, nullable: true }) lastError!: string | null;
  @Column({ name: 'created_at', type: Date }) createdAt!: Date;
  @Column({ name: 'delivered_at', type: Date, nullable: true }) deliveredAt!: Date | null;
}
