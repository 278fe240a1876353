import type { DataSource } from 'typeorm';
import { sqlDialect } from '../database/sql-dialect.js';

/**
 * Which organization a plan belongs to, remembered: a plan never changes organization, and the
 * trail and webhooks ask for every change. A plan that does not exist (deleted) is null.
 */
export class PlanOrganizations {
  private readonly known = new Map<string, string | null>();

  constructor(private readonly dataSource: DataSource) {}

  async of(planId: string | null): Promise<string | null> {
    if (planId === null) return null;
    if (!this.known.has(planId)) {
      const [row] = (await this.dataSource.query(
        `SELECT organization_id FROM plans WHERE id = ${sqlDialect(this.dataSource).param(1)}`,
        [planId],
      )) as { organization_id: string }[];
      this.known.set(planId, row?.organization_id ?? null);
    }
    return this.known.get(planId) ?? null;
  }
}
