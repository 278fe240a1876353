import { Column, Entity, PrimaryColumn } from 'typeorm';

/** A runbook task's alert already sent (late), once per episode, whichever instance saw it first. */
@Entity({ name: 'runbook_alerts' })
export class RunbookAlertEntity {
  @PrimaryColumn({ name: 'plan_id', type: 'varchar', length: 36 }) planId!: string;
  @PrimaryColumn({ name: 'task_id', type: 'varchar', length: 64 }) taskId!: string;
  @PrimaryColumn({ type: 'varchar', length: 16 }) kind!: string;
  /** Late to start, then late to end once started (per start, so a retried task may be late again). */
  @PrimaryColumn({ type: 'varchar', length: 80 }) episode!: string;
  @Column({ name: 'sent_at', type: Date }) sentAt!: Date;
}
