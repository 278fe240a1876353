import type { QueryRunner } from 'typeorm';

/** The database, not only the code, refuses to change or erase a row of `table`. */
export async function makeAppendOnly(queryRunner: QueryRunner, table: string): Promise<void> {
  if (queryRunner.connection.options.type === 'postgres') {
    await queryRunner.query(`
        CREATE FUNCTION ${table}_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
          RAISE EXCEPTION '${table} is append-only';
        END
        $$`);
    await queryRunner.query(`
        CREATE TRIGGER ${table}_append_only BEFORE UPDATE OR DELETE ON ${table}
        FOR EACH ROW EXECUTE FUNCTION ${table}_append_only()`);
    return;
  }
  for (const operation of ['UPDATE', 'DELETE']) {
    await queryRunner.query(`
        CREATE TRIGGER ${table}_no_${operation.toLowerCase()} BEFORE ${operation} ON ${table}
        BEGIN
          SELECT RAISE(ABORT, '${table} is append-only');
        END`);
  }
}

/** Undoes makeAppendOnly's function (the triggers go with their table). */
export async function dropAppendOnly(queryRunner: QueryRunner, table: string): Promise<void> {
  if (queryRunner.connection.options.type === 'postgres')
    await queryRunner.query(`DROP FUNCTION ${table}_append_only()`);
}
