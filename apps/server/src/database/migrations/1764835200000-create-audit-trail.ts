import { type MigrationInterface, type QueryRunner, Table } from 'typeorm';
import { columnTypes } from '../column-types.js';
import { longText, varchar } from './columns.js';
import { dropAppendOnly, makeAppendOnly } from './append-only.js';

/**
 * The audit trail: every change to a plan in domain terms and every refusal of a governance rule,
 * with the authenticated actor. One hash chain per organization (seq 1, 2, 3... each row's hash
 * covers the previous one's); the database refuses UPDATE and DELETE.
 */
export class CreateAuditTrail1764835200000 implements MigrationInterface {
  name = 'CreateAuditTrail1764835200000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const { timestamp, serial } = columnTypes(queryRunner);
    await queryRunner.createTable(
      new Table({
        name: 'audit_events',
        columns: [
          { name: 'id', type: serial, isPrimary: true, isGenerated: true, generationStrategy: 'increment' },
          varchar('organization_id', 36),
          { name: 'seq', type: 'integer' },
          { name: 'occurred_at', type: timestamp },
          varchar('plan_id', 36, true),
          varchar('actor_kind', 16),
          varchar('actor_id', 36, true),
          varchar('actor_name', 200),
          varchar('action', 40),
          varchar('entity', 20),
          varchar('entity_id', 64, true),
          varchar('field', 64, true),
          longText('before'),
          longText('after'),
          longText('details'),
          varchar('prev_hash', 64),
          varchar('hash', 64),
        ],
        uniques: [{ name: 'audit_events_chain', columnNames: ['organization_id', 'seq'] }],
        indices: [
          { name: 'audit_events_plan', columnNames: ['plan_id', 'seq'] },
          { name: 'audit_events_time', columnNames: ['organization_id', 'occurred_at'] },
        ],
      }),
    );
    await makeAppendOnly(queryRunner, 'audit_events');
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('audit_events');
    await dropAppendOnly(queryRunner, 'audit_events');
  }
}
