import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Sqlite from 'better-sqlite3';
import pg from 'pg';

export interface TestDatabase {
  /** A DATABASE_URL for this test alone. */
  readonly url: string;
  readonly dialect: 'sqlite' | 'postgres';
  drop(): Promise<void>;
}

/** The dialect the suite runs against: PostgreSQL when DATABASE_URL names one, else SQLite. */
export function suiteDialect(): 'sqlite' | 'postgres' {
  return /^postgres(ql)?:\/\//.test(process.env.DATABASE_URL ?? '') ? 'postgres' : 'sqlite';
}

async function withAdminClient<T>(run: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: process.env.DATABASE_URL });
  await client.connect();
  try {
    return await run(client);
  } finally {
    await client.end();
  }
}

/**
 * An empty database of the suite's dialect that no other test sees: a new PostgreSQL database on
 * the server DATABASE_URL points at, or a SQLite file in a new temporary folder.
 */
export async function createTestDatabase(): Promise<TestDatabase> {
  if (suiteDialect() === 'postgres') {
    const name = `bascule_test_${randomBytes(6).toString('hex')}`;
    await withAdminClient((client) => client.query(`CREATE DATABASE ${name}`));
    const url = new URL(process.env.DATABASE_URL as string);
    url.pathname = `/${name}`;
    return {
      url: url.toString(),
      dialect: 'postgres',
      drop: () =>
        withAdminClient((client) => client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)).then(() => undefined),
    };
  }
  const dir = mkdtempSync(join(tmpdir(), 'bascule-db-'));
  return {
    url: `sqlite:${join(dir, 'bascule.sqlite')}`,
    dialect: 'sqlite',
    drop: async () => rmSync(dir, { recursive: true, force: true }),
  };
}

/** Runs one query against a server's database from the outside, as an operator would (a DATABASE_URL). */
export async function queryDatabase(url: string, sql: string): Promise<Record<string, unknown>[]> {
  if (url.startsWith('sqlite:')) {
    const db = new Sqlite(url.slice('sqlite:'.length), { readonly: true, timeout: 5000 });
    try {
      return db.prepare(sql).all() as Record<string, unknown>[];
    } finally {
      db.close();
    }
  }
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(sql)).rows as Record<string, unknown>[];
  } finally {
    await client.end();
  }
}
