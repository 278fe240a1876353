import { type MigrationInterface, type QueryRunner, Table } from 'typeorm';
import { columnTypes } from '../column-types.js';
import { varchar } from './columns.js';

/** Webhook endpoints, and their deliveries: the outbox and the delivery log. */
export class CreateWebhooks1765008000000 implements MigrationInterface {
  name = 'CreateWebhooks1765008000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const { timestamp } = columnTypes(queryRunner);
    const at = (name: string, nullable = false) => ({ name, type: timestamp, isNullable: nullable });
    await queryRunner.createTable(
      new Table({
        name: 'webhook_endpoints',
        columns: [
          { ...varchar('id', 36), isPrimary: true },
          varchar('organization_id', 36),
          varchar('url', 2000),
          { name: 'events', type: 'text' },
          varchar('secret_sealed', 200),
          at('created_at'),
          varchar('created_by', 36),
          at('deleted_at', true),
        ],
        foreignKeys: [
          {
            columnNames: ['organization_id'],
            referencedTableName: 'organizations',
            referencedColumnNames: ['id'],
            onDelete: 'CASCADE',
          },
        ],
        indices: [{ name: 'webhook_endpoints_organization', columnNames: ['organization_id'] }],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'webhook_deliveries',
        columns: [
          { ...varchar('id', 36), isPrimary: true },
          varchar('endpoint_id', 36),
          varchar('organization_id', 36),
          varchar('event', 40),
          { name: 'payload', type: 'text' },
          varchar('status', 16),
          { name: 'attempts', type: 'integer' },
          at('next_attempt_at'),
          at('locked_until', true),
          { name: 'last_status', type: 'integer', isNullable: true },
          varchar('last_error', 500, true),
          at('created_at'),
          at('delivered_at', true),
        ],
        foreignKeys: [
          {
            columnNames: ['endpoint_id'],
            referencedTableName: 'webhook_endpoints',
            referencedColumnNames: ['id'],
            onDelete: 'CASCADE',
          },
        ],
        indices: [
          { name: 'webhook_deliveries_due', columnNames: ['status', 'next_attempt_at'] },
          { name: 'webhook_deliveries_endpoint', columnNames: ['endpoint_id', 'created_at'] },
        ],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('webhook_deliveries');
    await queryRunner.dropTable('webhook_endpoints');
  }
}
