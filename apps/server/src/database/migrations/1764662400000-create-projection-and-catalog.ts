import { type MigrationInterface, type QueryRunner, Table, type TableColumnOptions } from 'typeorm';
import { columnTypes } from '../column-types.js';

const text = (name: string, length: number, nullable = false): TableColumnOptions => ({
  name,
  type: 'varchar',
  length: String(length),
  isNullable: nullable,
});
const integer = (name: string, nullable = false): TableColumnOptions => ({
  name,
  type: 'integer',
  isNullable: nullable,
});
const real = (name: string, nullable = false): TableColumnOptions => ({ name, type: 'real', isNullable: nullable });
const long = (name: string): TableColumnOptions => ({ name, type: 'text' });
const date = (name: string) => text(name, 10, true);

/**
 * The read model: one summary row per plan and one row per milestone, risk, checkpoint and workload,
 * all projected from the plan documents (never written otherwise). And the catalog of target offers
 * and compliance frameworks: built-in rows (organization_id null) and each organization's own.
 */
export class CreateProjectionAndCatalog1764662400000 implements MigrationInterface {
  name = 'CreateProjectionAndCatalog1764662400000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const { timestamp } = columnTypes(queryRunner);
    const planKey = [
      { ...text('plan_id', 36), isPrimary: true },
      { ...text('id', 64), isPrimary: true },
    ];
    const ofPlan = {
      columnNames: ['plan_id'],
      referencedTableName: 'plans',
      referencedColumnNames: ['id'],
      onDelete: 'CASCADE',
    };
    await queryRunner.createTable(
      new Table({
        name: 'plan_summaries',
        columns: [
          { ...text('plan_id', 36), isPrimary: true },
          text('organization_id', 36),
          text('title', 200),
          text('status', 16),
          text('source_platform', 200, true),
          text('target_offer_id', 64, true),
          text('data_sensitivity', 16),
          date('start_date'),
          date('target_date'),
          long('description'),
          real('progress'),
          text('rag', 8),
          long('rag_reasons'),
          integer('slippage_days'),
          integer('milestone_count'),
          integer('overdue_count'),
          integer('risk_count'),
          integer('risk_exposure'),
          integer('max_risk_score'),
          integer('checkpoint_count'),
          real('readiness', true),
          text('next_milestone_id', 64, true),
          text('next_milestone_title', 200, true),
          date('next_milestone_due'),
          long('readiness_by_framework'),
          long('eligibility'),
          long('validation_issues'),
          long('search_text'),
          integer('schema_version'),
          { name: 'document_version', type: 'bigint' },
          date('computed_on'),
          { name: 'projected_at', type: timestamp },
        ],
        foreignKeys: [ofPlan],
        indices: [{ name: 'plan_summaries_organization', columnNames: ['organization_id', 'status'] }],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'plan_milestones',
        columns: [
          ...planKey,
          integer('position'),
          text('title', 200),
          text('kind', 16),
          text('status', 16),
          text('owner', 200, true),
          date('start_date'),
          date('due_date'),
          date('completed_on'),
          long('depends_on'),
          integer('slip_days'),
          { name: 'overdue', type: 'boolean' },
        ],
        foreignKeys: [ofPlan],
        indices: [{ name: 'plan_milestones_due', columnNames: ['due_date'] }],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'plan_risks',
        columns: [
          ...planKey,
          integer('position'),
          text('title', 200),
          text('category', 32),
          integer('likelihood'),
          integer('impact'),
          integer('score'),
          text('status', 16),
          text('owner', 200, true),
          long('mitigation'),
          text('automatic', 64, true),
        ],
        foreignKeys: [ofPlan],
        indices: [{ name: 'plan_risks_score', columnNames: ['score'] }],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'plan_checkpoints',
        columns: [
          ...planKey,
          integer('position'),
          text('title', 300),
          text('framework', 64),
          text('requirement', 64, true),
          text('status', 16),
          long('evidence'),
          long('milestone_ids'),
          text('approved_by', 200, true),
          text('approved_at', 40, true),
          long('justification'),
        ],
        foreignKeys: [ofPlan],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'plan_workloads',
        columns: [
          ...planKey,
          integer('position'),
          text('name', 200),
          text('criticality', 16),
          text('data_classification', 16),
          text('strategy', 16),
          text('target_offer_id', 64, true),
          text('owner', 200, true),
          integer('wave', true),
          long('depends_on'),
        ],
        foreignKeys: [ofPlan],
      }),
    );
    const catalogKey = [{ ...text('row_id', 36), isPrimary: true }, text('organization_id', 36, true), text('id', 64)];
    const catalogMeta = [
      integer('version'),
      date('as_of'),
      text('source_url', 2000, true),
      text('updated_by', 36, true),
      { name: 'updated_at', type: timestamp },
    ];
    await queryRunner.createTable(
      new Table({
        name: 'catalog_offers',
        columns: [
          ...catalogKey,
          text('provider', 200),
          text('name', 200),
          text('secnumcloud_status', 16),
          text('secnumcloud_milestone', 64, true),
          date('expected_qualification'),
          { name: 'hds', type: 'boolean' },
          long('notes'),
          ...catalogMeta,
        ],
        foreignKeys: [
          {
            columnNames: ['organization_id'],
            referencedTableName: 'organizations',
            referencedColumnNames: ['id'],
            onDelete: 'CASCADE',
          },
        ],
        checks: [
          {
            name: 'catalog_offers_status',
            expression: `secnumcloud_status IN ('QUALIFIED', 'IN_PROGRESS', 'NOT_QUALIFIED', 'DISCONTINUED')`,
          },
        ],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'catalog_frameworks',
        columns: [...catalogKey, text('name', 200), long('requirements'), ...catalogMeta],
        foreignKeys: [
          {
            columnNames: ['organization_id'],
            referencedTableName: 'organizations',
            referencedColumnNames: ['id'],
            onDelete: 'CASCADE',
          },
        ],
      }),
    );
    for (const table of ['catalog_offers', 'catalog_frameworks']) {
      // One built-in row per id, and one row per organization per id.
      await queryRunner.query(`CREATE UNIQUE INDEX ${table}_builtin ON ${table} (id) WHERE organization_id IS NULL`);
      await queryRunner.query(
        `CREATE UNIQUE INDEX ${table}_org ON ${table} (organization_id, id) WHERE organization_id IS NOT NULL`,
      );
    }
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const table of [
      'catalog_frameworks',
      'catalog_offers',
      'plan_workloads',
      'plan_checkpoints',
      'plan_risks',
      'plan_milestones',
      'plan_summaries',
    ])
      await queryRunner.dropTable(table);
  }
}
