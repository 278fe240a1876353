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

/**
 * What a server process under test runs on: a data folder of its own and, when the suite runs on
 * PostgreSQL, a database of its own (DATABASE_URL); the suite's Redis when it has one (REDIS_URL),
 * unless `redis` is false. `extra` is added to the environment.
 */
export interface ServerEnvironment {
  readonly env: NodeJS.ProcessEnv;
  /** The server's database as a DATABASE_URL: its SQLite file on the embedded default. */
  readonly databaseUrl: string;
  /** Drops the database (PostgreSQL) and removes the data folder. */
  drop(): Promise<void>;
}

export async function serverEnvironment(
  extra: NodeJS.ProcessEnv = {},
  options: { readonly redis?: boolean } = {},
): Promise<ServerEnvironment> {
  const dataDir = mkdtempSync(join(tmpdir(), 'bascule-'));
  const database = suiteDialect() === 'postgres' ? await createTestDatabase() : undefined;
  const env: NodeJS.ProcessEnv = {
    BASCULE_DATA_DIR: dataDir,
    ...(options.redis === false || process.env.REDIS_URL === undefined ? {} : { REDIS_URL: process.env.REDIS_URL }),
    ...(database === undefined ? {} : { DATABASE_URL: database.url }),
    ...extra,
  };
  return {
    env,
    databaseUrl: database?.url ?? `sqlite:${join(dataDir, 'bascule.sqlite')}`,
    drop: async () => {
      await database?.drop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
