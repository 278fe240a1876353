import { type MigrationInterface, type QueryRunner, Table } from 'typeorm';
import { columnTypes } from '../column-types.js';

export class CreateInstallation1764403200000 implements MigrationInterface {
  name = 'CreateInstallation1764403200000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const types = columnTypes(queryRunner);
    await queryRunner.createTable(
      new Table({
        name: 'installation',
        columns: [
          { name: 'slot', type: 'integer', isPrimary: true },
          { name: 'id', type: 'varchar', length: '36', isNullable: false },
          { name: 'created_at', type: types.timestamp, isNullable: false },
        ],
        checks: [{ name: 'installation_single_row', expression: 'slot = 1' }],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('installation');
  }
}
