import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager, In } from 'typeorm';
import { MembershipEntity, UserEntity } from '../identity/entities.js';
import { PlanEntity, PlanMemberEntity, type PlanRole } from '../plans/entities.js';
import { memberRoleOn } from '../plans/plans.service.js';

/** A person who may read a plan, with the role they have on it. */
export interface PlanReader {
  readonly user: UserEntity;
  readonly role: PlanRole;
}

/**
 * Who may read a plan, by the rule access checks apply to a signed-in member (memberRoleOn). For
 * telling people about a plan: nobody is told of a plan they may not read.
 */
@Injectable()
export class PlanAudience {
  constructor(private readonly dataSource: DataSource) {}

  /** The readers among `userIds` (all of the plan's when omitted), through `manager` when given. */
  async readers(planId: string, userIds?: readonly string[], manager?: EntityManager): Promise<PlanReader[]> {
    const db = manager ?? this.dataSource.manager;
    const plan = await db.getRepository(PlanEntity).findOneBy({ id: planId });
    if (plan === null || (userIds !== undefined && userIds.length === 0)) return [];
    const memberships = await db.getRepository(MembershipEntity).findBy({
      organizationId: plan.organizationId,
      ...(userIds === undefined ? {} : { userId: In([...userIds]) }),
    });
    const explicit = new Map(
      (
        await db.getRepository(PlanMemberEntity).findBy({
          planId,
          ...(userIds === undefined ? {} : { userId: In([...userIds]) }),
        })
      ).map((row) => [row.userId, row.role]),
    );
    const roles = new Map<string, PlanRole>();
    for (const membership of memberships) {
      const role = memberRoleOn(plan, membership.role, explicit.get(membership.userId) ?? null);
      if (role !== null) roles.set(membership.userId, role);
    }
    if (roles.size === 0) return [];
    const users = await db.getRepository(UserEntity).findBy({ id: In([...roles.keys()]) });
    return users
      .map((user) => ({ user, role: roles.get(user.id) as PlanRole }))
      .sort((a, b) => a.user.displayName.localeCompare(b.user.displayName));
  }

  /**
   * Who is asked to approve the plan's checkpoints: the people given the owner or approver role on
   * it, and its creator; not every admin of the organization (they own every plan, and would be
   * asked of all of them).
   */
  async approvers(planId: string, manager?: EntityManager): Promise<string[]> {
    const db = manager ?? this.dataSource.manager;
    const plan = await db.getRepository(PlanEntity).findOneBy({ id: planId });
    if (plan === null) return [];
    const named = await db.getRepository(PlanMemberEntity).findBy({ planId, role: In(['OWNER', 'APPROVER']) });
    return [...new Set([...named.map((row) => row.userId), ...(plan.createdBy === null ? [] : [plan.createdBy])])];
  }
}
