import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

export type AuditActorKind = 'user' | 'apiToken' | 'system';

/**
 * One event of an organization's audit trail. Append-only (the database refuses UPDATE and DELETE),
 * chained: `hash` covers every other column and the previous event's hash (`prevHash`).
 */
@Entity({ name: 'audit_events' })
export class AuditEventEntity {
  @PrimaryGeneratedColumn('increment') id!: number;
  @Column({ name: 'organization_id', type: 'varchar', length: 36 }) organizationId!: string;
  /** Position in the organization's chain: 1, 2, 3... */
  @Column({ type: 'integer' }) seq!: number;
  @Column({ name: 'occurred_at', type: Date }) occurredAt!: Date;
  @Column({ name: 'plan_id', type: 'varchar', length: 36, nullable: true }) planId!: string | null;
  @Column({ name: 'actor_kind', type: 'varchar', length: 16 }) actorKind!: AuditActorKind;
  /** The user's or the API token's id; null for the system. */
  @Column({ name: 'actor_id', type: 'varchar', length: 36, nullable: true }) actorId!: string | null;
  @Column({ name: 'actor_name', type: 'varchar', length: 200 }) actorName!: string;
  /** created, updated, deleted, refused (a governance rule), or an auth or admin event. */
  @Column({ type: 'varchar', length: 40 }) action!: string;
  /** plan, milestones, risks, checkpoints, workloads, notes, or auth. */
  @Column({ type: 'varchar', length: 20 }) entity!: string;
  @Column({ name: 'entity_id', type: 'varchar', length: 64, nullable: true }) entityId!: string | null;
  @Column({ type: 'varchar', length: 64, nullable: true }) field!: string | null;
  /** JSON of the value before and after; null when there is none. */
  @Column({ type: 'text', nullable: true }) before!: string | null;
  @Column({ type: 'text', nullable: true }) after!: string | null;
  /** JSON object with the particulars (a refused rule's code and message). */
  @Column({ type: 'text', nullable: true }) details!: string | null;
  @Column({ name: 'prev_hash', type: 'varchar', length: 64 }) prevHash!: string;
  @Column({ type: 'varchar', length: 64 }) hash!: string;
}
