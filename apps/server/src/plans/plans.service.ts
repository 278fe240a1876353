import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { DataSource, In, type SelectQueryBuilder } from 'typeorm';
import type { AuthContext } from '../access/auth-context.js';
import { roleAtLeast } from '../access/permissions.js';
import type { OrgRole } from '../access/roles.js';
import { AppError } from '../common/errors.js';
import { CLOCK, type Clock } from '../core/core.module.js';
import { Transactor } from '../database/transactor.js';
import { AccessEvents } from '../events/access-events.js';
import { PlanEvents } from '../events/plan-events.js';
import { callerNameFrom, type Caller } from '../identity/caller-name.js';
import { ApiTokenEntity, MembershipEntity, UserEntity } from '../identity/entities.js';
import { PlanEntity, PlanMemberEntity, type PlanRole } from './entities.js';
import { AuditTrailService } from '../audit/audit-trail.service.js';

const ROLE_RANK: Record<PlanRole, number> = { VIEWER: 1, APPROVER: 2, EDITOR: 3, OWNER: 4 };
/** Roles that may change the plan's content (APPROVER is an editor who may also approve checkpoints). */
export const WRITING_ROLES: readonly PlanRole[] = ['OWNER', 'EDITOR', 'APPROVER'];

/**
 * A member's role on a plan of their organization: the organization's owners and admins own every
 * plan; another member has the role given to them on it, else the plan's default role, else none.
 */
export function memberRoleOn(
  plan: Pick<PlanEntity, 'defaultMemberRole'>,
  orgRole: OrgRole | null,
  explicit: PlanRole | null,
): PlanRole | null {
  if (orgRole === null) return null;
  return roleAtLeast(orgRole, 'ADMIN') ? 'OWNER' : (explicit ?? plan.defaultMemberRole);
}

export function canWrite(role: PlanRole): boolean {
  return WRITING_ROLES.includes(role);
}

export function planRoleAtLeast(role: PlanRole | null, minimum: PlanRole): boolean {
  return role !== null && ROLE_RANK[role] >= ROLE_RANK[minimum];
}

/** The rows a plan's access is decided from (PlansService.readAccess), read for `userId`. */
export interface PlanAccessRows {
  readonly plan: PlanEntity | null;
  readonly explicitRole: PlanRole | null;
  readonly userId: string;
}

export type PlanAccess =
  | { readonly kind: 'granted'; readonly plan: PlanEntity; readonly role: PlanRole }
  | { readonly kind: 'unknown' }
  | { readonly kind: 'forbidden' };

/**
 * Plans of an organization and who may use them. Owners and admins of the organization hold every
 * plan as OWNER; other members hold what they were given on the plan, or the plan's default role.
 * A read-only API token caps any role at VIEWER.
 */
@Injectable()
export class PlansService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly transactor: Transactor,
    private readonly accessEvents: AccessEvents,
    private readonly planEvents: PlanEvents,
    private readonly audit: AuditTrailService,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async create(
    auth: AuthContext,
    organizationId: string,
    input: { title: string; defaultMemberRole: PlanRole | null },
  ): Promise<PlanEntity> {
    return this.transactor.run(async (manager) => {
      const now = this.clock.now();
      const plan = manager.create(PlanEntity, {
        id: randomUUID(),
        organizationId,
        title: input.title,
        defaultMemberRole: input.defaultMemberRole,
        createdBy: auth.userId,
        createdAt: now,
      });
      await manager.insert(PlanEntity, plan);
      await manager.insert(PlanMemberEntity, { planId: plan.id, userId: auth.userId, role: 'OWNER', createdAt: now });
      return plan;
    });
  }

  /**
   * The plans of the caller's organization that the caller may see, as a query to refine (alias
   * `plan`), or null when the caller has no organization. Visibility is decided in SQL: a plan is
   * visible with an explicit role or a default one, and every plan to owners and admins.
   */
  visibleQuery(auth: AuthContext): SelectQueryBuilder<PlanEntity> | null {
    if (auth.organizationId === null || auth.orgRole === null) return null;
    const query = this.dataSource
      .getRepository(PlanEntity)
      .createQueryBuilder('plan')
      .where('plan.organization_id = :organizationId', { organizationId: auth.organizationId });
    if (!roleAtLeast(auth.orgRole, 'ADMIN')) {
      query.andWhere(
        '(plan.default_member_role IS NOT NULL OR EXISTS (SELECT 1 FROM plan_members m WHERE m.plan_id = plan.id AND m.user_id = :userId))',
        { userId: auth.userId },
      );
    }
    return query;
  }

  /** The caller's role on each of `plans` (all visible to them); a plan they may not see is left out. */
  async rolesFor(auth: AuthContext, plans: readonly PlanEntity[]): Promise<Map<string, PlanRole>> {
    const explicit = await this.explicitRoles(
      auth.userId,
      plans.map((plan) => plan.id),
    );
    const roles = new Map<string, PlanRole>();
    for (const plan of plans) {
      const role = this.roleOf(auth, plan, explicit.get(plan.id) ?? null);
      if (role !== null) roles.set(plan.id, role);
    }
    return roles;
  }

  /** What the caller may do on a plan: another organization's plan is unknown to them. */
  async access(auth: AuthContext, planId: string): Promise<PlanAccess> {
    return this.decideAccess(auth, await this.readAccess(planId, auth.userId));
  }

  /**
   * What access to a plan is decided from, read before the caller is fully known (the collab socket
   * reads it beside the session): the plan and the user's explicit role on it, both at once.
   */
  async readAccess(planId: string, userId: string): Promise<PlanAccessRows> {
    const [plan, explicit] = await Promise.all([
      this.dataSource.getRepository(PlanEntity).findOneBy({ id: planId }),
      this.dataSource.getRepository(PlanMemberEntity).findOneBy({ planId, userId }),
    ]);
    return { plan, explicitRole: explicit?.role ?? null, userId };
  }

  /**
   * What opening a plan's socket reads, in one statement: the plan and the caller's explicit role on
   * it (as readAccess), and how others see the caller (as callerNameOf). No plan, no name: a
   * socket on an unknown plan is refused before anyone is named.
   */
  async readAccessAndName(
    planId: string,
    caller: Caller,
  ): Promise<{ readonly rows: PlanAccessRows; readonly callerName: string | null }> {
    const {
      entities: [plan],
      raw: [row],
    } = await this.dataSource
      .getRepository(PlanEntity)
      .createQueryBuilder('plan')
      .leftJoin(PlanMemberEntity, 'member', 'member.planId = plan.id AND member.userId = :userId')
      .leftJoin(UserEntity, 'caller', 'caller.id = :userId')
      .leftJoin(ApiTokenEntity, 'token', 'token.id = :apiTokenId')
      .addSelect('member.role', 'member_role')
      .addSelect('caller.displayName', 'caller_name')
      .addSelect('token.name', 'token_name')
      .where('plan.id = :planId', { planId, userId: caller.userId, apiTokenId: caller.apiTokenId })
      .getRawAndEntities<{ member_role: PlanRole | null; caller_name: string | null; token_name: string | null }>();
    return {
      rows: { plan: plan ?? null, explicitRole: row?.member_role ?? null, userId: caller.userId },
      callerName: callerNameFrom(caller, row?.caller_name ?? null, row?.token_name ?? null),
    };
  }

  /** The access `rows` give the caller; the explicit role counts only once the plan is known to be the caller's organization's. */
  decideAccess(auth: AuthContext, rows: PlanAccessRows): PlanAccess {
    const { plan } = rows;
    if (plan === null || plan.organizationId !== auth.organizationId || rows.userId !== auth.userId)
      return { kind: 'unknown' };
    const role = this.roleOf(auth, plan, rows.explicitRole);
    return role === null ? { kind: 'forbidden' } : { kind: 'granted', plan, role };
  }

  /** The plan, provided the caller holds at least `minimum` on it; NOT_FOUND or FORBIDDEN otherwise. */
  async require(auth: AuthContext, planId: string, minimum: PlanRole): Promise<{ plan: PlanEntity; role: PlanRole }> {
    const access = await this.access(auth, planId);
    if (access.kind === 'unknown') throw new AppError('NOT_FOUND', 'No such plan.');
    if (access.kind === 'forbidden' || !planRoleAtLeast(access.role, minimum)) {
      throw new AppError('FORBIDDEN', `This needs the ${minimum} role on the plan.`);
    }
    return access;
  }

  /** Gives a member of the organization a role on the plan, or takes it away (null). Plan owners only. */
  async setMemberRole(
    auth: AuthContext,
    planId: string,
    userId: string,
    role: PlanRole | null,
  ): Promise<PlanRole | null> {
    const { plan } = await this.require(auth, planId, 'OWNER');
    await this.transactor.run(async (manager) => {
      if ((await manager.findOneBy(MembershipEntity, { organizationId: plan.organizationId, userId })) === null) {
        throw new AppError('NOT_FOUND', 'No such member in this organization.');
      }
      if (role === null) await manager.delete(PlanMemberEntity, { planId, userId });
      else
        await manager.upsert(PlanMemberEntity, { planId, userId, role, createdAt: this.clock.now() }, [
          'planId',
          'userId',
        ]);
    });
    await this.planEvents.invalidate(plan.organizationId);
    this.accessEvents.publish({ kind: 'plan', planId });
    await this.audit.recordAdmin(auth, {
      action: 'PLAN_ROLE_CHANGED',
      entity: 'plan',
      entityId: planId,
      planId,
      after: { userId, role },
    });
    return role;
  }

  /** Changes the role every member of the organization has on the plan (null: listed people only). Owners only. */
  async setDefaultRole(auth: AuthContext, planId: string, role: PlanRole | null): Promise<void> {
    const { plan } = await this.require(auth, planId, 'OWNER');
    await this.dataSource.getRepository(PlanEntity).update({ id: planId }, { defaultMemberRole: role });
    await this.planEvents.invalidate(plan.organizationId);
    this.accessEvents.publish({ kind: 'plan', planId });
    await this.audit.recordAdmin(auth, {
      action: 'PLAN_DEFAULT_ROLE_CHANGED',
      entity: 'plan',
      entityId: planId,
      planId,
      after: role,
    });
  }

  /** The people given an explicit role on each plan, by name. */
  async explicitMembers(planIds: readonly string[]): Promise<Map<string, { user: UserEntity; role: PlanRole }[]>> {
    const grouped = new Map<string, { user: UserEntity; role: PlanRole }[]>();
    if (planIds.length === 0) return grouped;
    const rows = await this.dataSource.getRepository(PlanMemberEntity).findBy({ planId: In([...planIds]) });
    const users = await this.dataSource
      .getRepository(UserEntity)
      .findBy({ id: In([...new Set(rows.map((row) => row.userId))]) });
    const byId = new Map(users.map((user) => [user.id, user]));
    for (const row of rows) {
      const user = byId.get(row.userId);
      if (user === undefined) continue;
      const list = grouped.get(row.planId) ?? [];
      list.push({ user, role: row.role });
      grouped.set(row.planId, list);
    }
    for (const list of grouped.values()) list.sort((a, b) => a.user.displayName.localeCompare(b.user.displayName));
    return grouped;
  }

  private roleOf(auth: AuthContext, plan: PlanEntity, explicit: PlanRole | null): PlanRole | null {
    if (auth.organizationId !== plan.organizationId) return null;
    const role = memberRoleOn(plan, auth.orgRole, explicit);
    if (role === null) return null;
    return auth.scopes.includes('write') ? role : 'VIEWER';
  }

  private async explicitRoles(userId: string, planIds: string[]): Promise<Map<string, PlanRole>> {
    if (planIds.length === 0) return new Map();
    const rows = await this.dataSource.getRepository(PlanMemberEntity).findBy({ userId, planId: In(planIds) });
    return new Map(rows.map((row) => [row.planId, row.role]));
  }
}
