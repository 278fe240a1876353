import type { QueryRunner } from 'typeorm';

/** Column types whose names differ between the two dialects, for migrations written once for both. */
export function columnTypes(queryRunner: QueryRunner) {
  const postgres = queryRunner.connection.options.type === 'postgres';
  return {
    timestamp: postgres ? 'timestamptz' : 'datetime',
    binary: postgres ? 'bytea' : 'blob',
    json: postgres ? 'jsonb' : 'text',
    /** An auto-incremented 64-bit key (SQLite's INTEGER PRIMARY KEY is already 64-bit). */
    serial: postgres ? 'bigint' : 'integer',
  } as const;
}
