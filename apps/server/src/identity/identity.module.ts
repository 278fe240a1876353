import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { AccessGuard } from './access.guard.js';
import { AuthEventsService } from './auth-events.service.js';
import type { AppConfig } from '../config/config.js';
import { APP_CONFIG } from '../core/core.module.js';
import { MailModule } from '../mail/mail.module.js';
import { AccessTokenService } from './access-tokens.js';
import { AccountsService } from './accounts.service.js';
import { ApiTokensService } from './api-tokens.service.js';
import { AuthService } from './auth.service.js';
import { InvitationsService } from './invitations.service.js';
import { OidcService } from './oidc.service.js';
import { PasswordHasher } from './password-hasher.js';
import { SecretHasher } from './secret-tokens.js';
import { SessionsService } from './sessions.service.js';
import { SsoAccounts } from './sso-accounts.js';
import { createPassport, PASSPORT } from './strategies.js';

/** Accounts, sign-in (password, single sign-on), sessions, API tokens and invitations. */
@Module({
  imports: [MailModule],
  providers: [
    {
      provide: SecretHasher,
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => new SecretHasher(config.secrets.BASCULE_TOKEN_HASH_KEY),
    },
    AccessTokenService,
    AccountsService,
    ApiTokensService,
    AuthEventsService,
    AuthService,
    InvitationsService,
    OidcService,
    PasswordHasher,
    SessionsService,
    SsoAccounts,
    { provide: PASSPORT, inject: [AuthService], useFactory: createPassport },
    // Registered here, next to the passport instance it needs; it guards every module's handlers.
    { provide: APP_GUARD, useClass: AccessGuard },
  ],
  exports: [
    AuthService,
    AccountsService,
    ApiTokensService,
    InvitationsService,
    OidcService,
    PASSPORT,
    AuthEventsService,
    PasswordHasher,
    SessionsService,
  ],
})
export class IdentityModule {}
