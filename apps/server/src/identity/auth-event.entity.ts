import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

export const AUTH_EVENT_TYPES = [
  'SIGN_UP',
  'SIGN_IN_SUCCEEDED',
  'SIGN_IN_FAILED',
  'SIGN_OUT',
  'REFRESH_REUSE_DETECTED',
  'SESSION_REVOKED',
  'API_TOKEN_CREATED',
  'API_TOKEN_REVOKED',
  'MEMBER_INVITED',
  'INVITATION_ACCEPTED',
  'MEMBER_ROLE_CHANGED',
  'MEMBER_REMOVED',
  'SSO_ACCOUNT_LINKED',
] as const;
export type AuthEventType = (typeof AUTH_EVENT_TYPES)[number];

/** Append-only: the database itself refuses UPDATE and DELETE on this table (see its migration). */
@Entity({ name: 'auth_events' })
export class AuthEventEntity {
  @PrimaryGeneratedColumn('increment') id!: number;
  @Column({ name: 'occurred_at', type: Date }) occurredAt!: Date;
  @Column({ type: 'varchar', length: 40 }) type!: AuthEventType;
  @Column({ name: 'user_id', type: 'varchar', length: 36, nullable: true }) userId!: string | null;
  @Column({ name: 'organization_id', type: 'varchar', length: 36, nullable: true }) organizationId!: string | null;
  @Column({ name: 'actor_id', type: 'varchar', length: 36, nullable: true }) actorId!: string | null;
  @Column({ type: 'varchar', length: 64, nullable: true }) ip!: string | null;
  /** JSON object with the event's particulars (never a secret). */
  @Column({ type: 'text', nullable: true }) details!: string | null;
}
