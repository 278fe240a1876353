import { type MigrationInterface, type QueryRunner, Table } from 'typeorm';
import { columnTypes } from '../column-types.js';
import { varchar } from './columns.js';

/**
 * Cutover runbooks in the read model: one row per runbook of a plan (projected from its document,
 * like milestones), so that the portfolio, the calendar and the lateness watch find runbooks
 * without opening every plan. And the alerts already sent of a runbook task, so that a task late
 * is announced once, whichever instance sees it first.
 */
export class Runbooks1765267200000 implements MigrationInterface {
  name = 'Runbooks1765267200000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const { timestamp } = columnTypes(queryRunner);
    const ofPlan = {
      columnNames: ['plan_id'],
      referencedTableName: 'plans',
      referencedColumnNames: ['id'],
      onDelete: 'CASCADE',
    };
    const integer = (name: string) => ({ name, type: 'integer' });
    await queryRunner.createTable(
      new Table({
        name: 'plan_runbooks',
        columns: [
          { ...varchar('plan_id', 36), isPrimary: true },
          { ...varchar('id', 64), isPrimary: true },
          integer('position'),
          varchar('title', 200),
          varchar('kind', 16),
          varchar('state', 16),
          varchar('rehearsal_of', 64, true),
          varchar('milestone_id', 64, true),
          { name: 'wave', type: 'integer', isNullable: true },
          varchar('t0', 40, true),
          varchar('planned_end', 40, true),
          varchar('started_at', 40, true),
          varchar('ended_at', 40, true),
          integer('task_count'),
          integer('done_count'),
        ],
        foreignKeys: [ofPlan],
        indices: [{ name: 'plan_runbooks_state', columnNames: ['state'] }],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'runbook_alerts',
        columns: [
          { ...varchar('plan_id', 36), isPrimary: true },
          { ...varchar('task_id', 64), isPrimary: true },
          { ...varchar('kind', 16), isPrimary: true },
          /** Which episode: a task late to start, then late to end once started, then again if retried. */
          { ...varchar('episode', 80), isPrimary: true },
          { name: 'sent_at', type: timestamp },
        ],
        foreignKeys: [ofPlan],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('runbook_alerts');
    await queryRunner.dropTable('plan_runbooks');
  }
}
