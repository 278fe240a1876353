import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import type { Language } from '@bascule/plan-model';
import { DataSource, type EntityManager } from 'typeorm';
import { AppError } from '../common/errors.js';
import { CLOCK, type Clock } from '../core/core.module.js';
import { MembershipEntity, OrganizationEntity, UserEntity } from './entities.js';
import { type OrgRole } from '../access/roles.js';
import { callerNameOf } from './caller-name.js';
import { isPlausibleEmail, normalizeEmail } from './password-policy.js';

export interface NewUser {
  readonly email: string;
  readonly displayName: string;
  readonly passwordHash: string | null;
  readonly emailVerified: boolean;
  /** The language they signed up in: what Bascule writes to them in until they choose. */
  readonly language?: Language | null;
}

/** Users, organizations and memberships: the rows every sign-in path reads and creates. */
@Injectable()
export class AccountsService {
  constructor(
    private readonly dataSource: DataSource,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async findUserByEmail(email: string, manager: EntityManager = this.dataSource.manager): Promise<UserEntity | null> {
    return manager.findOneBy(UserEntity, { email: normalizeEmail(email) });
  }

  async findUser(userId: string): Promise<UserEntity | null> {
    return this.dataSource.getRepository(UserEntity).findOneBy({ id: userId });
  }

  /** The language Bascule writes to the person in (their e-mails). */
  async setLanguage(userId: string, language: Language): Promise<void> {
    await this.dataSource.getRepository(UserEntity).update({ id: userId }, { language });
  }

  /** How others see a caller (presence, the trail): see callerNameOf. */
  callerName(caller: Parameters<typeof callerNameOf>[1]): Promise<string | null> {
    return callerNameOf(this.dataSource, caller);
  }

  /** Creates a user; CONFLICT when the email already has an account. */
  async createUser(manager: EntityManager, input: NewUser): Promise<UserEntity> {
    const email = normalizeEmail(input.email);
    if (!isPlausibleEmail(email))
      throw new AppError('BAD_USER_INPUT', 'This is not a valid email address.', { field: 'email' });
    if ((await manager.findOneBy(UserEntity, { email })) !== null) {
      throw new AppError('CONFLICT', 'An account with this email already exists: sign in instead.', { field: 'email' });
    }
    const user = manager.create(UserEntity, {
      id: randomUUID(),
      email,
      displayName: input.displayName,
      passwordHash: input.passwordHash,
      emailVerified: input.emailVerified,
      language: input.language ?? null,
      createdAt: this.clock.now(),
    });
    await manager.insert(UserEntity, user);
    return user;
  }

  async createOrganization(manager: EntityManager, name: string, ownerId: string): Promise<OrganizationEntity> {
    const organization = manager.create(OrganizationEntity, { id: randomUUID(), name, createdAt: this.clock.now() });
    await manager.insert(OrganizationEntity, organization);
    await this.addMember(manager, organization.id, ownerId, 'OWNER');
    return organization;
  }

  async addMember(
    manager: EntityManager,
    organizationId: string,
    userId: string,
    role: OrgRole,
  ): Promise<MembershipEntity> {
    const membership = manager.create(MembershipEntity, { organizationId, userId, role, createdAt: this.clock.now() });
    await manager.insert(MembershipEntity, membership);
    return membership;
  }

  async membership(
    organizationId: string,
    userId: string,
    manager: EntityManager = this.dataSource.manager,
  ): Promise<MembershipEntity | null> {
    return manager.findOneBy(MembershipEntity, { organizationId, userId });
  }

  /** The organization a sign-in lands in: the one asked for if the user belongs to it, else their oldest. */
  async landingOrganization(
    userId: string,
    requested?: string | null,
    manager: EntityManager = this.dataSource.manager,
  ): Promise<string | null> {
    if (requested !== undefined && requested !== null) {
      if ((await this.membership(requested, userId, manager)) === null) {
        throw new AppError('FORBIDDEN', 'You are not a member of that organization.');
      }
      return requested;
    }
    const first = await manager.findOne(MembershipEntity, { where: { userId }, order: { createdAt: 'ASC' } });
    return first?.organizationId ?? null;
  }
}
