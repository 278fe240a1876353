import { type MigrationInterface, type QueryRunner, Table, TableColumn, TableIndex } from 'typeorm';
import { columnTypes } from '../column-types.js';
import { longText, varchar } from './columns.js';

/**
 * The conversation layer: who owns a milestone, a risk or a checkpoint in the read model (for "mine"
 * and the digest), the language each person reads Bascule in (their e-mails are written in it),
 * their notifications and their choices of how to be told, and the marks of what the clock already
 * announced (a milestone due soon, a day's digest) so that each is sent once, whichever instance
 * sees it first.
 */
export class Conversations1765440000000 implements MigrationInterface {
  name = 'Conversations1765440000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const { timestamp } = columnTypes(queryRunner);
    for (const table of ['plan_milestones', 'plan_risks', 'plan_checkpoints']) {
      await queryRunner.addColumn(table, new TableColumn(varchar('owner_id', 64, true)));
      await queryRunner.createIndex(table, new TableIndex({ name: `${table}_owner`, columnNames: ['owner_id'] }));
    }
    await queryRunner.addColumn('users', new TableColumn(varchar('language', 2, true)));
    await queryRunner.createTable(
      new Table({
        name: 'notifications',
        columns: [
          { ...varchar('id', 36), isPrimary: true },
          varchar('organization_id', 36),
          varchar('user_id', 36),
          varchar('kind', 32),
          varchar('plan_id', 36, true),
          varchar('subject', 32, true),
          varchar('entry_id', 64, true),
          varchar('comment_id', 64, true),
          varchar('title', 300),
          varchar('actor_name', 200, true),
          longText('excerpt'),
          longText('data'),
          { name: 'created_at', type: timestamp },
          { name: 'read_at', type: timestamp, isNullable: true },
        ],
        foreignKeys: [
          {
            columnNames: ['user_id'],
            referencedTableName: 'users',
            referencedColumnNames: ['id'],
            onDelete: 'CASCADE',
          },
        ],
        indices: [
          { name: 'notifications_inbox', columnNames: ['user_id', 'organization_id', 'created_at'] },
          { name: 'notifications_plan', columnNames: ['plan_id'] },
        ],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'notification_preferences',
        columns: [
          { ...varchar('user_id', 36), isPrimary: true },
          { ...varchar('kind', 32), isPrimary: true },
          varchar('channel', 16),
        ],
        foreignKeys: [
          {
            columnNames: ['user_id'],
            referencedTableName: 'users',
            referencedColumnNames: ['id'],
            onDelete: 'CASCADE',
          },
        ],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'notification_marks',
        columns: [
          /** What was announced, e.g. `due/<user>/<plan>/<milestone>/<due date>` or `digest/<user>/<day>`. */
          { ...varchar('key', 250), isPrimary: true },
          { name: 'created_at', type: timestamp },
        ],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('notification_marks');
    await queryRunner.dropTable('notification_preferences');
    await queryRunner.dropTable('notifications');
    await queryRunner.dropColumn('users', 'language');
    for (const table of ['plan_milestones', 'plan_risks', 'plan_checkpoints']) {
      await queryRunner.dropIndex(table, `${table}_owner`);
      await queryRunner.dropColumn(table, 'owner_id');
    }
  }
}
