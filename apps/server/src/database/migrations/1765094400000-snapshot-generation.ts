import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A plan's snapshot no longer says which log rows it covers by the highest id merged: on PostgreSQL
 * ids are taken before commit, so two instances appending at once can commit a lower id after a
 * higher one, and a watermark would skip it. Compaction deletes exactly the rows it merged, so the
 * log holds only unmerged rows; the column becomes a generation that each compaction increments,
 * so that of two compactions racing only the first writes.
 */
export class SnapshotGeneration1765094400000 implements MigrationInterface {
  name = 'SnapshotGeneration1765094400000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE plan_snapshots RENAME COLUMN through_id TO generation');
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE plan_snapshots RENAME COLUMN generation TO through_id');
  }
}
