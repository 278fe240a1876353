import { type MigrationInterface, type QueryRunner, Table } from 'typeorm';
import { columnTypes } from '../column-types.js';
import { varchar } from './columns.js';

/**
 * E-mails: the outbox the worker sends from and the delivery log, one row per message. A message
 * goes with its organization and its recipient's account (an invitation has no account yet).
 */
export class MailOutbox1765353600000 implements MigrationInterface {
  name = 'MailOutbox1765353600000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const { timestamp } = columnTypes(queryRunner);
    const at = (name: string, nullable = false) => ({ name, type: timestamp, isNullable: nullable });
    const cascadeFrom = (column: string, table: string) => ({
      columnNames: [column],
      referencedTableName: table,
      referencedColumnNames: ['id'],
      onDelete: 'CASCADE',
    });
    await queryRunner.createTable(
      new Table({
        name: 'mail_outbox',
        columns: [
          { ...varchar('id', 36), isPrimary: true },
          varchar('organization_id', 36, true),
          varchar('user_id', 36, true),
          varchar('to_address', 254),
          varchar('language', 8),
          varchar('kind', 40),
          varchar('subject', 500),
          { name: 'text_body', type: 'text' },
          { name: 'html_body', type: 'text' },
          { name: 'headers', type: 'text' },
          varchar('status', 16),
          { name: 'attempts', type: 'integer' },
          at('next_attempt_at'),
          at('locked_until', true),
          varchar('last_error', 500, true),
          at('created_at'),
          at('sent_at', true),
        ],
        foreignKeys: [cascadeFrom('organization_id', 'organizations'), cascadeFrom('user_id', 'users')],
        indices: [
          { name: 'mail_outbox_due', columnNames: ['status', 'next_attempt_at'] },
          { name: 'mail_outbox_organization', columnNames: ['organization_id', 'created_at'] },
        ],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('mail_outbox');
  }
}
