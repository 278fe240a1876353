import { Column, Entity, PrimaryColumn } from 'typeorm';

export const PLAN_ROLES = ['OWNER', 'EDITOR', 'APPROVER', 'VIEWER'] as const;
export type PlanRole = (typeof PLAN_ROLES)[number];

/** A migration plan: who owns it and who may see or edit it. Its content lives in the Yjs document. */
@Entity({ name: 'plans' })
export class PlanEntity {
  @PrimaryColumn({ type: 'varchar', length: 36 }) id!: string;
  @Column({ name: 'organization_id', type: 'varchar', length: 36 }) organizationId!: string;
  @Column({ type: 'varchar', length: 200 }) title!: string;
  /** The role every member of the organization has on this plan; null shares it with nobody by default. */
  @Column({ name: 'default_member_role', type: 'varchar', length: 16, nullable: true })
  defaultMemberRole!: PlanRole | null;
  @Column({ name: 'created_by', type: 'varchar', length: 36, nullable: true }) createdBy!: string | null;
  @Column({ name: 'created_at', type: Date }) createdAt!: Date;
}

@Entity({ name: 'plan_members' })
export class PlanMemberEntity {
  @PrimaryColumn({ name: 'plan_id', type: 'varchar', length: 36 }) planId!: string;
  @PrimaryColumn({ name: 'user_id', type: 'varchar', length: 36 }) userId!: string;
  @Column({ type: 'varchar', length: 16 }) role!: PlanRole;
  @Column({ name: 'created_at', type: Date }) createdAt!: Date;
}
