import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { sqlDialect } from '../database/sql-dialect.js';

/**
 * Which organization a plan belongs to, remembered: a plan never changes organization, and the
 * trail and webhooks ask for every change. A plan that does not exist (deleted, or not yet
 * committed: its first changes can be recorded while its creation commits) is null, and not
 * remembered, so that it is asked again.
 */
@Injectable()
export class PlanOrganizations {
  private readonly known = new Map<string, string>();

  constructor(private readonly dataSource: DataSource) {}

  async of(planId: string | null): Promise<string | null> {
    if (planId === null) return null;
    const known = this.known.get(planId);
    if (known !== undefined) return known;
    const [row] = (await this.dataSource.query(
      `SELECT organization_id FROM plans WHERE id = ${sqlDialect(this.dataSource).param(1)}`,
      [planId],
    )) as { organization_id: string }[];
    if (row === undefined) return null;
    this.known.set(planId, row.organization_id);
    return row.organization_id;
  }

  /** The plan's title in the registry (not remembered: a plan can be renamed); null for no such plan. */
  async title(planId: string): Promise<string | null> {
    const [row] = (await this.dataSource.query(
      `SELECT title FROM plans WHERE id = ${sqlDialect(this.dataSource).param(1)}`,
      [planId],
    )) as { title: string }[];
    return row?.title ?? null;
  }
}
