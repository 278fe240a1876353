import { type MigrationInterface, type QueryRunner, Table } from 'typeorm';
import { columnTypes } from '../column-types.js';

/** Plans, who may use them, and their documents: an append-only update log plus one snapshot each. */
export class CreatePlans1764576000000 implements MigrationInterface {
  name = 'CreatePlans1764576000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const { timestamp, binary, serial } = columnTypes(queryRunner);
    const roleCheck = (column: string) => `${column} IN ('OWNER', 'EDITOR', 'APPROVER', 'VIEWER')`;
    await queryRunner.createTable(
      new Table({
        name: 'plans',
        columns: [
          { name: 'id', type: 'varchar', length: '36', isPrimary: true },
          { name: 'organization_id', type: 'varchar', length: '36' },
          { name: 'title', type: 'varchar', length: '200' },
          { name: 'default_member_role', type: 'varchar', length: '16', isNullable: true },
          { name: 'created_by', type: 'varchar', length: '36', isNullable: true },
          { name: 'created_at', type: timestamp },
        ],
        foreignKeys: [
          {
            columnNames: ['organization_id'],
            referencedTableName: 'organizations',
            referencedColumnNames: ['id'],
            onDelete: 'CASCADE',
          },
          {
            columnNames: ['created_by'],
            referencedTableName: 'users',
            referencedColumnNames: ['id'],
            onDelete: 'SET NULL',
          },
        ],
        indices: [{ name: 'plans_organization', columnNames: ['organization_id'] }],
        checks: [
          {
            name: 'plans_default_member_role',
            expression: `default_member_role IS NULL OR ${roleCheck('default_member_role')}`,
          },
        ],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'plan_members',
        columns: [
          { name: 'plan_id', type: 'varchar', length: '36', isPrimary: true },
          { name: 'user_id', type: 'varchar', length: '36', isPrimary: true },
          { name: 'role', type: 'varchar', length: '16' },
          { name: 'created_at', type: timestamp },
        ],
        foreignKeys: [
          {
            columnNames: ['plan_id'],
            referencedTableName: 'plans',
            referencedColumnNames: ['id'],
            onDelete: 'CASCADE',
          },
          {
            columnNames: ['user_id'],
            referencedTableName: 'users',
            referencedColumnNames: ['id'],
            onDelete: 'CASCADE',
          },
        ],
        indices: [{ name: 'plan_members_user', columnNames: ['user_id'] }],
        checks: [{ name: 'plan_members_role', expression: roleCheck('role') }],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'plan_updates',
        columns: [
          { name: 'id', type: serial, isPrimary: true, isGenerated: true, generationStrategy: 'increment' },
          { name: 'plan_id', type: 'varchar', length: '36' },
          { name: 'data', type: binary },
          { name: 'actor_id', type: 'varchar', length: '36', isNullable: true },
          { name: 'created_at', type: timestamp },
        ],
        foreignKeys: [
          {
            columnNames: ['plan_id'],
            referencedTableName: 'plans',
            referencedColumnNames: ['id'],
            onDelete: 'CASCADE',
          },
        ],
        indices: [{ name: 'plan_updates_plan', columnNames: ['plan_id', 'id'] }],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'plan_snapshots',
        columns: [
          { name: 'plan_id', type: 'varchar', length: '36', isPrimary: true },
          { name: 'state', type: binary },
          { name: 'through_id', type: 'bigint' },
          { name: 'updated_at', type: timestamp },
        ],
        foreignKeys: [
          {
            columnNames: ['plan_id'],
            referencedTableName: 'plans',
            referencedColumnNames: ['id'],
            onDelete: 'CASCADE',
          },
        ],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const table of ['plan_snapshots', 'plan_updates', 'plan_members', 'plans']) await queryRunner.dropTable(table);
  }
}
