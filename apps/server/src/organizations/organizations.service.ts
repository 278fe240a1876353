import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import type { AuthContext } from '../access/auth-context.js';
import { roleAtLeast } from '../access/permissions.js';
import { AuthEventsService } from '../identity/auth-events.service.js';
import { AppError } from '../common/errors.js';
import { Transactor } from '../database/transactor.js';
import { AccessEvents } from '../events/access-events.js';
import { MembershipEntity, OrganizationEntity, UserEntity } from '../identity/entities.js';
import { type OrgRole } from '../access/roles.js';

export interface Member {
  readonly user: UserEntity;
  readonly membership: MembershipEntity;
}

/** An organization's members and their roles, with the rules that keep it governable. */
@Injectable()
export class OrganizationsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly transactor: Transactor,
    private readonly events: AuthEventsService,
    private readonly accessEvents: AccessEvents,
  ) {}

  async get(organizationId: string): Promise<OrganizationEntity> {
    const organization = await this.dataSource.getRepository(OrganizationEntity).findOneBy({ id: organizationId });
    if (organization === null) throw new AppError('NOT_FOUND', 'No such organization.');
    return organization;
  }

  async organizationsOf(userId: string): Promise<{ organization: OrganizationEntity; role: OrgRole }[]> {
    const memberships = await this.dataSource
      .getRepository(MembershipEntity)
      .find({ where: { userId }, order: { createdAt: 'ASC' } });
    if (memberships.length === 0) return [];
    const organizations = await this.dataSource
      .getRepository(OrganizationEntity)
      .createQueryBuilder('o')
      .where('o.id IN (:...ids)', { ids: memberships.map((m) => m.organizationId) })
      .getMany();
    const byId = new Map(organizations.map((organization) => [organization.id, organization]));
    return memberships.flatMap((m) => {
      const organization = byId.get(m.organizationId);
      return organization === undefined ? [] : [{ organization, role: m.role }];
    });
  }

  async members(organizationId: string, { first, offset }: { first: number; offset: number }): Promise<Member[]> {
    const memberships = await this.dataSource.getRepository(MembershipEntity).find({
      where: { organizationId },
      order: { createdAt: 'ASC', userId: 'ASC' },
      take: first,
      skip: offset,
    });
    if (memberships.length === 0) return [];
    const users = await this.dataSource
      .getRepository(UserEntity)
      .createQueryBuilder('u')
      .where('u.id IN (:...ids)', { ids: memberships.map((m) => m.userId) })
      .getMany();
    const byId = new Map(users.map((user) => [user.id, user]));
    return memberships.flatMap((membership) => {
      const user = byId.get(membership.userId);
      return user === undefined ? [] : [{ user, membership }];
    });
  }

  async changeRole(auth: AuthContext, organizationId: string, userId: string, role: OrgRole): Promise<Member> {
    const member = await this.transactor.run(async (manager) => {
      const target = await this.requireMember(manager, organizationId, userId);
      if ((role === 'OWNER' || target.membership.role === 'OWNER') && !roleAtLeast(auth.orgRole, 'OWNER')) {
        throw new AppError('FORBIDDEN', 'Only an owner can make or unmake an owner.');
      }
      if (target.membership.role === role) return target;
      if (target.membership.role === 'OWNER') await this.keepAnOwner(manager, organizationId);
      const from = target.membership.role;
      await manager.update(MembershipEntity, { organizationId, userId }, { role });
      target.membership.role = role;
      await this.events.record(
        'MEMBER_ROLE_CHANGED',
        { userId, organizationId, actorId: auth.userId, details: { from, to: role } },
        manager,
      );
      return target;
    });
    this.accessEvents.publish({ kind: 'user', userId });
    return member;
  }

  async remove(auth: AuthContext, organizationId: string, userId: string): Promise<Member> {
    const member = await this.transactor.run(async (manager) => {
      const target = await this.requireMember(manager, organizationId, userId);
      if (target.membership.role === 'OWNER') {
        if (!roleAtLeast(auth.orgRole, 'OWNER')) throw new AppError('FORBIDDEN', 'Only an owner can remove an owner.');
        await this.keepAnOwner(manager, organizationId);
      }
      await manager.delete(MembershipEntity, { organizationId, userId });
      await this.events.record(
        'MEMBER_REMOVED',
        { userId, organizationId, actorId: auth.userId, details: { role: target.membership.role } },
        manager,
      );
      return target;
    });
    this.accessEvents.publish({ kind: 'user', userId });
    return member;
  }

  private async requireMember(manager: EntityManager, organizationId: string, userId: string): Promise<Member> {
    const membership = await manager.findOneBy(MembershipEntity, { organizationId, userId });
    const user = membership === null ? null : await manager.findOneBy(UserEntity, { id: userId });
    if (membership === null || user === null) throw new AppError('NOT_FOUND', 'No such member in this organization.');
    return { user, membership };
  }

  /** Refuses a change that would leave the organization without an owner. */
  private async keepAnOwner(manager: EntityManager, organizationId: string): Promise<void> {
    const owners = await manager.countBy(MembershipEntity, { organizationId, role: 'OWNER' });
    if (owners <= 1)
      throw new AppError('CONFLICT', 'An organization keeps at least one owner: make someone else owner first.');
  }
}
