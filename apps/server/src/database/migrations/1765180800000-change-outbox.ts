import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Each stored update says who made it (the author as the server vouched for it) and whether what it
 * changed is still to be written to the audit trail and the webhook outbox. The flag is set when the
 * update is appended and cleared in the transaction that writes its trail events and deliveries, so
 * an update whose process died in between is found again and its changes recorded after the fact.
 */
export class ChangeOutbox1765180800000 implements MigrationInterface {
  name = 'ChangeOutbox1765180800000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE plan_updates ADD COLUMN author text');
    await queryRunner.query('ALTER TABLE plan_updates ADD COLUMN audit_pending boolean NOT NULL DEFAULT FALSE');
    // Partial: it holds the few rows written in the last second, whatever the size of the log.
    await queryRunner.query(
      'CREATE INDEX plan_updates_audit_pending ON plan_updates (plan_id, id) WHERE audit_pending',
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP INDEX plan_updates_audit_pending');
    await queryRunner.query('ALTER TABLE plan_updates DROP COLUMN audit_pending');
    await queryRunner.query('ALTER TABLE plan_updates DROP COLUMN author');
  }
}
