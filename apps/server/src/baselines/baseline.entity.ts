import { Column, Entity, PrimaryColumn } from 'typeorm';

export type BaselineReason = 'MANUAL' | 'MILESTONE_COMPLETED' | 'BEFORE_RESTORE';

/** A named version of a plan: its content (header and entries, as JSON) at one moment. */
@Entity({ name: 'plan_baselines' })
export class BaselineEntity {
  @PrimaryColumn({ type: 'varchar', length: 36 }) id!: string;
  @Column({ name: 'plan_id', type: 'varchar', length: 36 }) planId!: string;
  @Column({ type: 'varchar', length: 200 }) name!: string;
  @Column({ type: 'varchar', length: 20 }) reason!: BaselineReason;
  @Column({ name: 'milestone_id', type: 'varchar', length: 64, nullable: true }) milestoneId!: string | null;
  @Column({ name: 'created_at', type: Date }) createdAt!: Date;
  @Column({ name: 'created_by_kind', type: 'varchar', length: 16 }) createdByKind!: string;
  @Column({ name: 'created_by_id', type: 'varchar', length: 36, nullable: true }) createdById!: string | null;
  @Column({ name: 'created_by_name', type: 'varchar', length: 200 }) createdByName!: string;
  /** BaselineContent as JSON. */
  @Column({ type: 'text' }) content!: string;
}
