import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from '@jest/globals';
import type { DataSource } from 'typeorm';
import { captureLogs, testConfig } from '../../../../test/support/config.js';
import { entities } from '../entities.js';
import { openDatabase } from './data-source.js';
import { WalCheckpointer } from './wal-checkpointer.js';

// Always on a SQLite file, whichever database the suite runs on: it is SQLite's log that is checkpointed.
describe('the SQLite log checkpointed off the event loop', () => {
  const cleanups: (() => Promise<void>)[] = [];

  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  async function openFile(): Promise<{ dataSource: DataSource; path: string }> {
    const dir = mkdtempSync(join(tmpdir(), 'bascule-wal-'));
    const path = join(dir, 'bascule.sqlite');
    const dataSource = await openDatabase(
      testConfig({ DATABASE_URL: `sqlite:${path}` }),
      captureLogs().logger,
      entities,
    );
    cleanups.push(async () => {
      if (dataSource.isInitialized) await dataSource.destroy();
      rmSync(dir, { recursive: true, force: true });
    });
    return { dataSource, path };
  }

  it('leaves the commits to write, and copies the log back on its own thread', async () => {
    const { dataSource, path } = await openFile();
    const logs = captureLogs();
    const checkpointer = await WalCheckpointer.start(dataSource, path, logs.logger);
    if (checkpointer === null) throw new Error('a file database is checkpointed');
    cleanups.push(() => checkpointer.stop());
    expect(await dataSource.query('PRAGMA wal_autocheckpoint')).toEqual([{ wal_autocheckpoint: 0 }]);

    await dataSource.query('CREATE TABLE filler (id INTEGER PRIMARY KEY, data BLOB)');
    const before = statSync(path).size;
    // About 2 MiB over many commits: pages in the log that only the thread copies back.
    for (let row = 0; row < 64; row += 1)
      await dataSource.query('INSERT INTO filler (data) VALUES (randomblob(32768))');
    let round = await checkpointer.nextRound();
    while (round.checkpointed < round.log) round = await checkpointer.nextRound();
    expect(round.log).toBeGreaterThan(0);
    expect(statSync(path).size - before).toBeGreaterThan(2 * 1024 * 1024);
    expect(logs.lines().filter((line) => Number(line.level) >= 40)).toEqual([]);
  });

  it('stops before the server closes the database, which then closes clean', async () => {
    const { dataSource, path } = await openFile();
    const checkpointer = await WalCheckpointer.start(dataSource, path, captureLogs().logger);
    await dataSource.query('CREATE TABLE filler (id INTEGER PRIMARY KEY, data BLOB)');
    await dataSource.query('INSERT INTO filler (data) VALUES (randomblob(65536))');
    await checkpointer?.stop();
    await dataSource.destroy();
    // The last connection to close checkpoints and removes the log: the thread held none open.
    expect(() => statSync(`${path}-wal`)).toThrow();
  });

  it('does nothing for an in-memory database', async () => {
    expect(await WalCheckpointer.start({} as DataSource, ':memory:', captureLogs().logger)).toBeNull();
  });
});
