import { type MigrationInterface, type QueryRunner, TableColumn } from 'typeorm';
import { columnTypes } from '../column-types.js';
import { varchar } from './columns.js';

/**
 * Webhook secrets that rotate: the secret before the last rotation, and when it stops signing. During
 * that grace period each delivery carries a signature by each secret (Standard Webhooks).
 */
export class WebhookSecretRotation1765526400000 implements MigrationInterface {
  name = 'WebhookSecretRotation1765526400000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const { timestamp } = columnTypes(queryRunner);
    await queryRunner.addColumn('webhook_endpoints', new TableColumn(varchar('previous_secret_sealed', 200, true)));
    await queryRunner.addColumn(
      'webhook_endpoints',
      new TableColumn({ name: 'previous_secret_expires_at', type: timestamp, isNullable: true }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropColumn('webhook_endpoints', 'previous_secret_expires_at');
    await queryRunner.dropColumn('webhook_endpoints', 'previous_secret_sealed');
  }
}
