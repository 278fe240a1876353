import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import type { Language } from '@bascule/plan-model';
import { type EntityManager, IsNull } from 'typeorm';
import type { AuthContext } from '../access/auth-context.js';
import { roleAtLeast } from '../access/permissions.js';
import { AuthEventsService } from './auth-events.service.js';
import { AppError } from '../common/errors.js';
import type { AppConfig } from '../config/config.js';
import { APP_CONFIG, CLOCK, type Clock } from '../core/core.module.js';
import { Transactor } from '../database/transactor.js';
import { InvitationMail } from '../mail/invitation-mail.js';
import { AccountsService } from './accounts.service.js';
import { InvitationEntity, MembershipEntity, OrganizationEntity, UserEntity } from './entities.js';
import { type OrgRole } from '../access/roles.js';
import { isPlausibleEmail, normalizeEmail } from './password-policy.js';
import { generateSecret, isWellFormedSecret, SecretHasher } from './secret-tokens.js';

export const INVITATION_TTL_DAYS = 7;

export interface IssuedInvitation {
  readonly invitation: InvitationEntity;
  /** The single-use secret; only its hash is kept. */
  readonly token: string;
  readonly acceptUrl: string;
  /** Whether the link is on its way by e-mail; when not (e-mail is off), the inviter sends it. */
  readonly emailed: boolean;
}

const UNUSABLE = 'This invitation is invalid, expired, already used or revoked.';

/** Invitations to join an organization: a link with a single-use, expiring secret for one email address. */
@Injectable()
export class InvitationsService {
  constructor(
    private readonly transactor: Transactor,
    private readonly accounts: AccountsService,
    private readonly hasher: SecretHasher,
    private readonly events: AuthEventsService,
    private readonly mail: InvitationMail,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** Invites `email`, and e-mails them the link in `language` when this server sends e-mail. */
  async invite(
    auth: AuthContext,
    organizationId: string,
    email: string,
    role: OrgRole,
    language: Language,
  ): Promise<IssuedInvitation> {
    const normalized = normalizeEmail(email);
    if (!isPlausibleEmail(normalized))
      throw new AppError('BAD_USER_INPUT', 'This is not a valid email address.', { field: 'email' });
    if (role === 'OWNER' && !roleAtLeast(auth.orgRole, 'OWNER')) {
      throw new AppError('FORBIDDEN', 'Only an owner can invite another owner.');
    }
    const token = generateSecret('invitation');
    const acceptUrl = `${this.config.publicUrl}/invitations/accept#token=${token}`;
    const { invitation, emailed } = await this.transactor.run(async (manager) => {
      const existing = await this.accounts.findUserByEmail(normalized, manager);
      if (existing !== null && (await this.accounts.membership(organizationId, existing.id, manager)) !== null) {
        throw new AppError('CONFLICT', 'This person is already a member of the organization.', { field: 'email' });
      }
      const now = this.clock.now();
      const entity = manager.create(InvitationEntity, {
        id: randomUUID(),
        organizationId,
        email: normalized,
        role,
        tokenHash: this.hasher.hash(token),
        invitedBy: auth.userId,
        createdAt: now,
        expiresAt: new Date(now.getTime() + INVITATION_TTL_DAYS * 86_400_000),
        acceptedAt: null,
        acceptedBy: null,
        revokedAt: null,
      });
      await manager.insert(InvitationEntity, entity);
      await this.events.record(
        'MEMBER_INVITED',
        { organizationId, actorId: auth.userId, details: { invitationId: entity.id, email: normalized, role } },
        manager,
      );
      const emailed = await this.mail.enqueueIn(manager, {
        organizationId,
        organizationName: (await manager.findOneByOrFail(OrganizationEntity, { id: organizationId })).name,
        email: normalized,
        role,
        inviterName: (await manager.findOneByOrFail(UserEntity, { id: auth.userId })).displayName,
        acceptUrl,
        validDays: INVITATION_TTL_DAYS,
        language,
      });
      return { invitation: entity, emailed };
    });
    return { invitation, token, acceptUrl, emailed };
  }

  /** Accepts for a signed-in user. */
  async accept(auth: AuthContext, token: string): Promise<MembershipEntity> {
    return this.transactor.run(async (manager) => {
      const user = await manager.findOneByOrFail(UserEntity, { id: auth.userId });
      return this.acceptWith(manager, token, user);
    });
  }

  /** Spends the invitation inside the caller's transaction and makes the user a member. */
  async acceptWith(manager: EntityManager, token: string, user: UserEntity): Promise<MembershipEntity> {
    if (!isWellFormedSecret('invitation', token)) throw new AppError('NOT_FOUND', UNUSABLE);
    const invitation = await manager.findOneBy(InvitationEntity, { tokenHash: this.hasher.hash(token) });
    const now = this.clock.now();
    if (
      invitation === null ||
      invitation.acceptedAt !== null ||
      invitation.revokedAt !== null ||
      invitation.expiresAt <= now
    )
      throw new AppError('NOT_FOUND', UNUSABLE);
    if (invitation.email !== user.email) {
      throw new AppError('FORBIDDEN', 'This invitation was sent to another email address.');
    }
    const spent = await manager.update(
      InvitationEntity,
      { id: invitation.id, acceptedAt: IsNull() },
      { acceptedAt: now, acceptedBy: user.id },
    );
    if (spent.affected !== 1) throw new AppError('NOT_FOUND', UNUSABLE);
    if ((await this.accounts.membership(invitation.organizationId, user.id, manager)) !== null) {
      throw new AppError('CONFLICT', 'You are already a member of this organization.');
    }
    const membership = await this.accounts.addMember(manager, invitation.organizationId, user.id, invitation.role);
    await this.events.record(
      'INVITATION_ACCEPTED',
      {
        userId: user.id,
        organizationId: invitation.organizationId,
        details: { invitationId: invitation.id, role: invitation.role },
      },
      manager,
    );
    return membership;
  }
}
