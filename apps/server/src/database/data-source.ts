import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import Sqlite from 'better-sqlite3';
import { DataSource, type DataSourceOptions } from 'typeorm';
import type { AppConfig, DatabaseConfig } from '../config/config.js';
import type { Logger } from '../logging/logger.js';
import { InstallationEntity } from './installation.entity.js';
import { migrations } from './migrations/index.js';

/**
 * better-sqlite3 whose transactions take the write lock when they begin. TypeORM opens them with
 * `BEGIN TRANSACTION` (deferred): such a transaction reads at one snapshot, and when it first writes
 * after another process (a second instance, the CLI) has committed, SQLite fails it at once with
 * SQLITE_BUSY_SNAPSHOT, without waiting. `BEGIN IMMEDIATE` waits for the lock (busy_timeout) and
 * then sees the latest data. In this process transactions take turns anyway (see Transactor).
 */
class ImmediateTransactionsDatabase extends Sqlite {}
const prepareStatement = Sqlite.prototype.prepare;
ImmediateTransactionsDatabase.prototype.prepare = function prepare(this: Sqlite.Database, source: string) {
  return prepareStatement.call(this, source === 'BEGIN TRANSACTION' ? 'BEGIN IMMEDIATE' : source);
} as Sqlite.Database['prepare'];

/** Any number that is the same on every instance: it names the PostgreSQL lock held while migrating. */
const MIGRATION_LOCK_KEY = 0x6261_7363;

/** The entity classes the application maps (apps/server/src/entities.ts), given by whoever opens the database. */
export type Entities = readonly (new (...args: never[]) => unknown)[];

export function dataSourceOptions(database: DatabaseConfig, entities: Entities): DataSourceOptions {
  const common = {
    entities: [...entities, InstallationEntity] as NonNullable<DataSourceOptions['entities']>,
    migrations,
    migrationsRun: false,
    synchronize: false,
    logging: false,
  } as const;
  switch (database.dialect) {
    case 'sqlite':
      return {
        ...common,
        type: 'better-sqlite3',
        driver: ImmediateTransactionsDatabase,
        database: database.path,
        enableWAL: database.path !== ':memory:',
        prepareDatabase: (db: { pragma(source: string): unknown }) => {
          db.pragma('busy_timeout = 5000');
          db.pragma('foreign_keys = ON');
          db.pragma('synchronous = NORMAL');
        },
      };
    case 'postgres':
      return {
        ...common,
        type: 'postgres',
        url: database.url,
        applicationName: 'bascule',
        poolSize: 10,
        connectTimeoutMS: 5000,
      };
  }
}

/** Where the database lives, without a password: safe to print. */
export function describeDatabase(database: DatabaseConfig): string {
  if (database.dialect === 'sqlite') return `sqlite:${database.path}`;
  const url = new URL(database.url);
  url.password = url.password === '' ? '' : '***';
  return url.toString();
}

async function initializeWithRetry(options: DataSourceOptions, logger: Logger, attempts: number): Promise<DataSource> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await new DataSource(options).initialize();
    } catch (error) {
      if (attempt >= attempts) throw error;
      logger.warn({ attempt, err: error }, 'database not reachable yet, retrying in 2 s');
      await sleep(2000);
    }
  }
}

/** Applies pending migrations; on PostgreSQL under an advisory lock so that instances take turns. */
export async function migrate(dataSource: DataSource, logger: Logger): Promise<string[]> {
  const postgres = dataSource.options.type === 'postgres';
  const lockRunner = postgres ? dataSource.createQueryRunner() : undefined;
  try {
    if (lockRunner) await lockRunner.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
    const applied = await dataSource.runMigrations({ transaction: 'each' });
    for (const migration of applied) logger.info({ migration: migration.name }, 'migration applied');
    return applied.map((migration) => migration.name);
  } finally {
    if (lockRunner) {
      await lockRunner.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]).catch(() => undefined);
      await lockRunner.release();
    }
  }
}

/**
 * Opens the database named by the configuration and brings its schema up to date. PostgreSQL gets a
 * few attempts (it may still be starting next to us); a SQLite file is created with its folder.
 */
export async function openDatabase(
  config: Pick<AppConfig, 'database'>,
  logger: Logger,
  entities: Entities,
): Promise<DataSource> {
  const { database } = config;
  if (database.dialect === 'sqlite' && database.path !== ':memory:')
    mkdirSync(dirname(database.path), { recursive: true });
  const dataSource = await initializeWithRetry(
    dataSourceOptions(database, entities),
    logger,
    database.dialect === 'postgres' ? 5 : 1,
  );
  try {
    await migrate(dataSource, logger);
  } catch (error) {
    await dataSource.destroy();
    throw error;
  }
  return dataSource;
}
