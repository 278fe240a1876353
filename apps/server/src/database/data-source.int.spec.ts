import { entities } from '../entities.js';
import { afterEach, describe, expect, it } from '@jest/globals';
import Sqlite from 'better-sqlite3';
import type { DataSource } from 'typeorm';
import { captureLogs, testConfig } from '../../../../test/support/config.js';
import { createTestDatabase, suiteDialect, type TestDatabase } from '../../../../test/support/database.js';
import { describeDatabase, migrate, openDatabase } from './data-source.js';
import { ensureInstallation } from './installation.repository.js';
import { migrations } from './migrations/index.js';

describe(`database on ${suiteDialect()}`, () => {
  const databases: TestDatabase[] = [];
  const sources: DataSource[] = [];

  async function open(url: string): Promise<DataSource> {
    const dataSource = await openDatabase(testConfig({ DATABASE_URL: url }), captureLogs().logger, entities);
    sources.push(dataSource);
    return dataSource;
  }

  async function freshDatabase(): Promise<TestDatabase> {
    const database = await createTestDatabase();
    databases.push(database);
    return database;
  }

  afterEach(async () => {
    for (const source of sources.splice(0)) if (source.isInitialized) await source.destroy();
    for (const database of databases.splice(0)) await database.drop();
  });

  it('applies every migration on first open, with synchronize off', async () => {
    const dataSource = await open((await freshDatabase()).url);
    expect(dataSource.options.synchronize).toBe(false);
    const applied = (await dataSource.query('SELECT name FROM migrations ORDER BY id')) as { name: string }[];
    expect(applied.map((row) => row.name)).toEqual(migrations.map((migration) => migration.name));
    expect(await dataSource.showMigrations()).toBe(false);
  });

  it('has, after the migrations, every column each entity maps, with the same nullability', async () => {
    // Entities map columns only; keys, indices and checks live in the migrations. So this compares
    // columns, not the whole schema TypeORM would generate from the entities.
    const dataSource = await open((await freshDatabase()).url);
    const runner = dataSource.createQueryRunner();
    try {
      for (const entity of dataSource.entityMetadatas) {
        const table = await runner.getTable(entity.tablePath);
        const actual = Object.fromEntries((table?.columns ?? []).map((column) => [column.name, column.isNullable]));
        const mapped = Object.fromEntries(entity.columns.map((column) => [column.databaseName, column.isNullable]));
        expect({ table: entity.tableName, columns: actual }).toEqual({ table: entity.tableName, columns: mapped });
      }
    } finally {
      await runner.release();
    }
  });

  it('applies nothing twice and keeps the installation on the next start', async () => {
    const { url } = await freshDatabase();
    const first = await open(url);
    const installation = await ensureInstallation(first);
    await first.destroy();

    const second = await open(url);
    expect(await migrate(second, captureLogs().logger)).toEqual([]);
    expect(await ensureInstallation(second)).toEqual(installation);
    expect(installation.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(Math.abs(installation.createdAt.getTime() - Date.now())).toBeLessThan(60_000);
  });

  it('lets several instances start on one database at once', async () => {
    const { url } = await freshDatabase();
    const opened = await Promise.all([open(url), open(url), open(url)]);
    const installations = await Promise.all(opened.map((source) => ensureInstallation(source)));
    expect(new Set(installations.map((installation) => installation.id)).size).toBe(1);
    const rows = (await opened[0]!.query('SELECT COUNT(*) AS count FROM migrations')) as { count: string | number }[];
    expect(Number(rows[0]!.count)).toBe(migrations.length);
  });

  it('keeps the installation table to a single row', async () => {
    const dataSource = await open((await freshDatabase()).url);
    await ensureInstallation(dataSource);
    await expect(
      dataSource.query(
        `INSERT INTO installation (slot, id, created_at) VALUES (2, 'other', ${suiteDialect() === 'postgres' ? 'now()' : "'2026-01-01'"})`,
      ),
    ).rejects.toThrow(/check|constraint/i);
  });

  if (suiteDialect() === 'sqlite') {
    it('runs SQLite in WAL mode with foreign keys on', async () => {
      const dataSource = await open((await freshDatabase()).url);
      expect(await dataSource.query('PRAGMA journal_mode')).toEqual([{ journal_mode: 'wal' }]);
      expect(await dataSource.query('PRAGMA foreign_keys')).toEqual([{ foreign_keys: 1 }]);
    });

    it('commits a transaction that read before writing while another process writes to the file', async () => {
      const { url } = await freshDatabase();
      const dataSource = await open(url);
      // Another instance on the same file, impatient so that the test does not wait on it.
      const other = new Sqlite(url.slice('sqlite:'.length), { timeout: 50 });
      try {
        const seen = await dataSource.transaction(async (manager) => {
          const before = (await manager.query('SELECT COUNT(*) AS count FROM migrations')) as { count: number }[];
          // A deferred transaction would let this write in, then fail its own with SQLITE_BUSY_SNAPSHOT.
          expect(() => other.prepare('UPDATE migrations SET name = name WHERE id = 1').run()).toThrow(/locked|busy/i);
          await manager.query('UPDATE migrations SET name = name WHERE id = 1');
          return before[0]!.count;
        });
        expect(seen).toBe(migrations.length);
        expect(other.prepare('UPDATE migrations SET name = name WHERE id = 1').run().changes).toBe(1);
      } finally {
        other.close();
      }
    });
  }

  it('prints where the database is without its password', () => {
    expect(describeDatabase({ dialect: 'postgres', url: 'postgres://bascule:s3cret@db:5432/plans' })).toBe(
      'postgres://bascule:***@db:5432/plans',
    );
    expect(describeDatabase({ dialect: 'sqlite', path: '/data/bascule.sqlite' })).toBe('sqlite:/data/bascule.sqlite');
  });
});
