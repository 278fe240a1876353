import type { DataSource } from 'typeorm';

/** SQL with numbered parameters for PostgreSQL, question marks for SQLite. */
export function sqlDialect(dataSource: DataSource) {
  const postgres = dataSource.options.type === 'postgres';
  return {
    postgres,
    param: (index: number) => (postgres ? `$${index}` : '?'),
    /** Timestamps as the entities store them: Date on PostgreSQL, SQLite's datetime text otherwise. */
    time: (date: Date) => (postgres ? date : date.toISOString().replace('T', ' ').replace('Z', '')),
  };
}
