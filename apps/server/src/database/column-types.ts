import type { QueryRunner } from 'typeorm';

/** Column types whose names differ between the two dialects, for migrations written once for both. */
export function columnTypes(queryRunner: QueryRunner) {
  const postgres = queryRunner.connection.options.type === 'postgres';
  return {
    timestamp: postgres ? 'timestamptz' : 'datetime',
    binary: postgres ? 'bytea' : 'blob',
    json: postgres ? 'jsonb' : 'text',
  } as const;
}
