import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { NotificationChannel, NotificationKind } from './notification-kinds.js';

/** Something a person is told about, in their notification centre. */
@Entity({ name: 'notifications' })
export class NotificationEntity {
  @PrimaryColumn({ type: 'varchar', length: 36 }) id!: string;
  @Column({ name: 'organization_id', type: 'varchar', length: 36 }) organizationId!: string;
  @Column({ name: 'user_id', type: 'varchar', length: 36 }) userId!: string;
  @Column({ type: 'varchar', length: 32 }) kind!: NotificationKind;
  @Column({ name: 'plan_id', type: 'varchar', length: 36, nullable: true }) planId!: string | null;
  /** The part of the plan it is about: `milestones`, `risks`, ... or `plan`. */
  @Column({ type: 'varchar', length: 32, nullable: true }) subject!: string | null;
  @Column({ name: 'entry_id', type: 'varchar', length: 64, nullable: true }) entryId!: string | null;
  @Column({ name: 'comment_id', type: 'varchar', length: 64, nullable: true }) commentId!: string | null;
  /** The entry's title (or the plan's) as it was then. */
  @Column({ type: 'varchar', length: 300 }) title!: string;
  @Column({ name: 'actor_name', type: 'varchar', length: 200, nullable: true }) actorName!: string | null;
  /** A comment's text, or what changed, as plain text. */
  @Column({ type: 'text', nullable: true }) excerpt!: string | null;
  /** What the kind carries (a due date, a score, the plan's title). */
  @Column({ type: 'simple-json', nullable: true }) data!: Record<string, unknown> | null;
  @Column({ name: 'created_at', type: Date }) createdAt!: Date;
  @Column({ name: 'read_at', type: Date, nullable: true }) readAt!: Date | null;
}

/** How a person wants to be told of one kind; the default when there is no row. */
@Entity({ name: 'notification_preferences' })
export class NotificationPreferenceEntity {
  @PrimaryColumn({ name: 'user_id', type: 'varchar', length: 36 }) userId!: string;
  @PrimaryColumn({ type: 'varchar', length: 32 }) kind!: NotificationKind;
  @Column({ type: 'varchar', length: 16 }) channel!: NotificationChannel;
}

/** Something the clock announced (a milestone due soon, a day's digest): written once, by whoever comes first. */
@Entity({ name: 'notification_marks' })
export class NotificationMarkEntity {
  @PrimaryColumn({ type: 'varchar', length: 250 }) key!: string;
  @Column({ name: 'created_at', type: Date }) createdAt!: Date;
}
