import { type MigrationInterface, type QueryRunner, TableIndex } from 'typeorm';

/** What the retention sweep selects by age (RetentionSweeper): found by index, not by reading every row. */
const INDICES: readonly (readonly [table: string, name: string, columns: string[]])[] = [
  ['notifications', 'notifications_created', ['created_at']],
  ['notification_marks', 'notification_marks_created', ['created_at']],
  ['mail_outbox', 'mail_outbox_created', ['status', 'created_at']],
  ['webhook_deliveries', 'webhook_deliveries_created', ['status', 'created_at']],
];

export class Retention1765612800000 implements MigrationInterface {
  name = 'Retention1765612800000';

  async up(queryRunner: QueryRunner): Promise<void> {
    for (const [table, name, columnNames] of INDICES)
      await queryRunner.createIndex(table, new TableIndex({ name, columnNames }));
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const [table, name] of INDICES) await queryRunner.dropIndex(table, name);
  }
}
