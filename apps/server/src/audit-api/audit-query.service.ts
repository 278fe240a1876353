import { Injectable } from '@nestjs/common';
import { DataSource, type SelectQueryBuilder } from 'typeorm';
import type { AuthContext } from '../access/auth-context.js';
import { roleAtLeast } from '../access/permissions.js';
import { AppError } from '../common/errors.js';
import { sqlDialect } from '../database/sql-dialect.js';
import { PlansService } from '../plans/plans.service.js';
import { AuditEventEntity } from '../audit/audit-event.entity.js';
import { AuditTrailService, type ChainCheck } from '../audit/audit-trail.service.js';

export interface AuditFilter {
  readonly planId?: string | null;
  readonly entity?: string | null;
  readonly entityId?: string | null;
  readonly action?: string | null;
  readonly actorId?: string | null;
  readonly since?: Date | null;
  readonly until?: Date | null;
}

export const MAX_AUDIT_PAGE = 500;

/**
 * Reading the trail: a plan's events for whoever may see the plan, the whole organization's for its
 * owners and admins. Newest first, paged by position in the chain.
 */
@Injectable()
export class AuditQueryService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly plans: PlansService,
    private readonly trail: AuditTrailService,
  ) {}

  async page(
    auth: AuthContext,
    filter: AuditFilter,
    first: number,
    after: string | null,
  ): Promise<{ events: AuditEventEntity[]; hasNextPage: boolean; totalCount: number }> {
    if (!Number.isInteger(first) || first < 1 || first > MAX_AUDIT_PAGE)
      throw new AppError('BAD_USER_INPUT', `first must be between 1 and ${MAX_AUDIT_PAGE}.`, { field: 'first' });
    const before = after === null || after === undefined ? null : Number(after);
    if (before !== null && (!Number.isInteger(before) || before < 1))
      throw new AppError('BAD_USER_INPUT', 'after must be a cursor from an earlier page.', { field: 'after' });
    const query = await this.query(auth, filter);
    const totalCount = await query.clone().getCount();
    if (before !== null) query.andWhere('event.seq < :before', { before });
    const rows = await query
      .orderBy('event.seq', 'DESC')
      .take(first + 1)
      .getMany();
    return { events: rows.slice(0, first), hasNextPage: rows.length > first, totalCount };
  }

  /** Every matching event, oldest first, a thousand at a time (for exports). */
  async *all(auth: AuthContext, filter: AuditFilter): AsyncGenerator<AuditEventEntity[]> {
    const base = await this.query(auth, filter);
    for (let after = 0; ;) {
      const rows = await base
        .clone()
        .andWhere('event.seq > :after', { after })
        .orderBy('event.seq', 'ASC')
        .take(1000)
        .getMany();
      if (rows.length === 0) return;
      yield rows;
      after = rows[rows.length - 1]?.seq ?? after;
    }
  }

  /** Verifies the caller's organization's chain (owners and admins). */
  async verify(auth: AuthContext): Promise<ChainCheck> {
    const organizationId = this.requireAdmin(auth);
    const [check] = await this.trail.verify(organizationId);
    return check ?? { organizationId, events: 0, brokenAt: null, problem: null, head: null };
  }

  private async query(auth: AuthContext, filter: AuditFilter): Promise<SelectQueryBuilder<AuditEventEntity>> {
    let organizationId: string;
    if (filter.planId !== undefined && filter.planId !== null) {
      const { plan } = await this.plans.require(auth, filter.planId, 'VIEWER');
      organizationId = plan.organizationId;
    } else organizationId = this.requireAdmin(auth);
    const query = this.dataSource
      .getRepository(AuditEventEntity)
      .createQueryBuilder('event')
      .where('event.organization_id = :organizationId', { organizationId });
    const equal = {
      planId: 'plan_id',
      entity: 'entity',
      entityId: 'entity_id',
      action: 'action',
      actorId: 'actor_id',
    } as const;
    for (const [key, column] of Object.entries(equal)) {
      const value = filter[key as keyof typeof equal];
      if (value !== undefined && value !== null) query.andWhere(`event.${column} = :${key}`, { [key]: value });
    }
    const { time } = sqlDialect(this.dataSource);
    if (filter.since) query.andWhere('event.occurred_at >= :since', { since: time(filter.since) });
    if (filter.until) query.andWhere('event.occurred_at < :until', { until: time(filter.until) });
    return query;
  }

  private requireAdmin(auth: AuthContext): string {
    if (auth.organizationId === null || !roleAtLeast(auth.orgRole, 'ADMIN'))
      throw new AppError(
        'FORBIDDEN',
        "The organization's whole trail is for its owners and admins; ask for one plan's.",
      );
    return auth.organizationId;
  }
}
