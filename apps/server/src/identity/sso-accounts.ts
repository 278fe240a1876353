import { Inject, Injectable } from '@nestjs/common';
import type * as client from 'openid-client';
import type { EntityManager } from 'typeorm';
import { AuthEventsService } from './auth-events.service.js';
import { AppError } from '../common/errors.js';
import type { AppConfig, OidcConfig } from '../config/config.js';
import { APP_CONFIG, CLOCK, type Clock, LOGGER } from '../core/core.module.js';
import type { Logger } from '../logging/logger.js';
import { AccountsService } from './accounts.service.js';
import { ApiTokensService } from './api-tokens.service.js';
import { OrganizationEntity, UserEntity, UserIdentityEntity } from './entities.js';
import { normalizeEmail } from './password-policy.js';
import { SessionsService } from './sessions.service.js';

/** Turns a confirmed single sign-on into a Bascule account: linking, creation, membership by domain. */
@Injectable()
export class SsoAccounts {
  constructor(
    private readonly accounts: AccountsService,
    private readonly sessions: SessionsService,
    private readonly apiTokens: ApiTokensService,
    private readonly events: AuthEventsService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  private oidc(): OidcConfig {
    if (this.config.oidc === undefined)
      throw new AppError('NOT_FOUND', 'Single sign-on is not configured on this server.');
    return this.config.oidc;
  }

  /**
   * The Bascule user behind a provider account: linked before by issuer and subject, else found
   * or created by verified email (then linked), and joined to the organizations of its domain.
   */
  async resolve(
    manager: EntityManager,
    issuer: string,
    claims: client.IDToken,
    ip: string | null,
  ): Promise<UserEntity> {
    const linked = await manager.findOneBy(UserIdentityEntity, { issuer, subject: claims.sub });
    if (linked !== null) return manager.findOneByOrFail(UserEntity, { id: linked.userId });

    const email = typeof claims.email === 'string' ? normalizeEmail(claims.email) : undefined;
    if (email === undefined || claims.email_verified !== true) {
      throw new AppError(
        'FORBIDDEN',
        'The sign-on provider did not vouch for an email address: ask your administrator.',
      );
    }
    let user = await this.accounts.findUserByEmail(email, manager);
    if (user === null) {
      const name =
        typeof claims.name === 'string' && claims.name.trim() !== ''
          ? claims.name.trim().slice(0, 120)
          : email.slice(0, email.indexOf('@'));
      user = await this.accounts.createUser(manager, {
        email,
        displayName: name,
        passwordHash: null,
        emailVerified: true,
      });
    } else if (!user.emailVerified) {
      // Whoever registered this address before never proved they own it; the provider just did.
      // Whatever they set up (password, sessions, API tokens) must not survive into this account.
      await manager.update(UserEntity, { id: user.id }, { passwordHash: null, emailVerified: true });
      await this.sessions.revokeAllOfUser(manager, user.id, 'sso_takeover_guard');
      await this.apiTokens.revokeAllOfUser(manager, user.id);
      user.passwordHash = null;
      user.emailVerified = true;
    }
    await manager.insert(UserIdentityEntity, {
      issuer,
      subject: claims.sub,
      userId: user.id,
      createdAt: this.clock.now(),
    });
    await this.events.record('SSO_ACCOUNT_LINKED', { userId: user.id, ip, details: { issuer } }, manager);
    await this.joinByDomain(manager, user);
    return user;
  }

  private async joinByDomain(manager: EntityManager, user: UserEntity): Promise<void> {
    const domain = user.email.split('@')[1];
    for (const rule of this.oidc().autoJoin) {
      if (rule.domain !== domain) continue;
      if ((await manager.findOneBy(OrganizationEntity, { id: rule.organizationId })) === null) {
        this.logger.warn(
          { organizationId: rule.organizationId },
          'BASCULE_OIDC_AUTO_JOIN names an organization that does not exist',
        );
        continue;
      }
      if ((await this.accounts.membership(rule.organizationId, user.id, manager)) === null) {
        await this.accounts.addMember(manager, rule.organizationId, user.id, 'MEMBER');
        await this.events.record(
          'INVITATION_ACCEPTED',
          { userId: user.id, organizationId: rule.organizationId, details: { via: 'sso_domain', domain } },
          manager,
        );
      }
    }
  }
}
