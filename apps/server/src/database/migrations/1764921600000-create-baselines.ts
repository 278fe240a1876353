import { type MigrationInterface, type QueryRunner, Table } from 'typeorm';
import { columnTypes } from '../column-types.js';
import { varchar } from './columns.js';

/** Named versions of a plan: its content when someone saved it, or when a milestone was completed. */
export class CreateBaselines1764921600000 implements MigrationInterface {
  name = 'CreateBaselines1764921600000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const { timestamp } = columnTypes(queryRunner);
    await queryRunner.createTable(
      new Table({
        name: 'plan_baselines',
        columns: [
          { ...varchar('id', 36), isPrimary: true },
          varchar('plan_id', 36),
          varchar('name', 200),
          varchar('reason', 20),
          varchar('milestone_id', 64, true),
          { name: 'created_at', type: timestamp },
          varchar('created_by_kind', 16),
          varchar('created_by_id', 36, true),
          varchar('created_by_name', 200),
          { name: 'content', type: 'text' },
        ],
        foreignKeys: [
          {
            columnNames: ['plan_id'],
            referencedTableName: 'plans',
            referencedColumnNames: ['id'],
            onDelete: 'CASCADE',
          },
        ],
        indices: [{ name: 'plan_baselines_plan', columnNames: ['plan_id', 'created_at'] }],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('plan_baselines');
  }
}
