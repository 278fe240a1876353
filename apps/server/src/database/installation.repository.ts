import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { InstallationEntity } from './installation.entity.js';

export interface Installation {
  readonly id: string;
  readonly createdAt: Date;
}

/** Returns this installation, recording it on first start; safe when several instances start at once. */
export async function ensureInstallation(
  dataSource: DataSource,
  now: () => Date = () => new Date(),
): Promise<Installation> {
  const repository = dataSource.getRepository(InstallationEntity);
  await repository
    .createQueryBuilder()
    .insert()
    .values({ slot: 1, id: randomUUID(), createdAt: now() })
    .orIgnore()
    .execute();
  const row = await repository.findOneByOrFail({ slot: 1 });
  return { id: row.id, createdAt: row.createdAt };
}
