import { Inject, Injectable } from '@nestjs/common';
import * as client from 'openid-client';
import { DataSource, IsNull } from 'typeorm';
import { AuthEventsService } from './auth-events.service.js';
import { AppError } from '../common/errors.js';
import type { AppConfig, OidcConfig } from '../config/config.js';
import { APP_CONFIG, CLOCK, type Clock, LOGGER } from '../core/core.module.js';
import { Transactor } from '../database/transactor.js';
import { AccessEvents } from '../events/access-events.js';
import type { Logger } from '../logging/logger.js';
import { OidcLoginEntity, UserEntity } from './entities.js';
import { generateSecret, isWellFormedSecret, SecretHasher } from './secret-tokens.js';
import { SsoAccounts } from './sso-accounts.js';

/** How long a browser has to come back from the provider, and then to collect its tokens. */
const LOGIN_TTL_MS = 10 * 60_000;
const EXCHANGE_TTL_MS = 2 * 60_000;

export const OIDC_CALLBACK_PATH = '/auth/oidc/callback';

/**
 * Single sign-on through any OpenID Connect provider: authorization code flow with PKCE, state and
 * nonce kept server-side (so any instance can finish a login another one began), account linking by
 * verified email, and optional membership by email domain.
 */
@Injectable()
export class OidcService {
  private configuration: Promise<client.Configuration> | undefined;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(LOGGER) private readonly logger: Logger,
    private readonly dataSource: DataSource,
    private readonly transactor: Transactor,
    private readonly hasher: SecretHasher,
    private readonly ssoAccounts: SsoAccounts,
    private readonly events: AuthEventsService,
    private readonly accessEvents: AccessEvents,
  ) {}

  get displayName(): string | null {
    return this.config.oidc?.displayName ?? null;
  }

  private get redirectUri(): string {
    return `${this.config.publicUrl}${OIDC_CALLBACK_PATH}`;
  }

  private oidc(): OidcConfig {
    if (this.config.oidc === undefined)
      throw new AppError('NOT_FOUND', 'Single sign-on is not configured on this server.');
    return this.config.oidc;
  }

  /** Discovery is done on first use and kept; a failure is retried on the next login. */
  private discover(): Promise<client.Configuration> {
    const oidc = this.oidc();
    if (this.configuration === undefined) {
      const issuer = new URL(oidc.issuer);
      const insecure = issuer.protocol === 'http:' ? { execute: [client.allowInsecureRequests] } : undefined;
      this.configuration = client
        .discovery(issuer, oidc.clientId, oidc.clientSecret, undefined, insecure)
        .catch((error: unknown) => {
          this.configuration = undefined;
          this.logger.error({ err: error, issuer: oidc.issuer }, 'OpenID provider discovery failed');
          throw new AppError('INTERNAL_SERVER_ERROR', 'The single sign-on provider cannot be reached.');
        });
    }
    return this.configuration;
  }

  /** Starts a login: remembers state, nonce and PKCE verifier, and returns the provider's URL. */
  async begin(): Promise<URL> {
    const configuration = await this.discover();
    const state = client.randomState();
    const nonce = client.randomNonce();
    const codeVerifier = client.randomPKCECodeVerifier();
    const now = this.clock.now();
    await this.dataSource.getRepository(OidcLoginEntity).insert({
      stateHash: this.hasher.hash(state),
      codeVerifier,
      nonce,
      createdAt: now,
      expiresAt: new Date(now.getTime() + LOGIN_TTL_MS),
      userId: null,
      exchangeHash: null,
    });
    return client.buildAuthorizationUrl(configuration, {
      redirect_uri: this.redirectUri,
      scope: 'openid email profile',
      code_challenge: await client.calculatePKCECodeChallenge(codeVerifier),
      code_challenge_method: 'S256',
      state,
      nonce,
    });
  }

  /**
   * Finishes a login at the callback: checks state, exchanges the code (PKCE, nonce, ID token
   * validation by openid-client), finds or creates the user, and returns a one-time code the
   * browser trades for tokens at /auth/oidc/exchange.
   */
  async complete(callbackUrl: URL, ip: string | null): Promise<string> {
    const state = callbackUrl.searchParams.get('state');
    if (state === null) throw new AppError('BAD_USER_INPUT', 'The sign-on response has no state.');
    const stateHash = this.hasher.hash(state);
    const login = await this.dataSource.getRepository(OidcLoginEntity).findOneBy({ stateHash });
    if (login === null || login.expiresAt <= this.clock.now() || login.userId !== null) {
      throw new AppError('BAD_USER_INPUT', 'This sign-on attempt is unknown or has expired: start again.');
    }
    const configuration = await this.discover();
    let claims: client.IDToken;
    try {
      const tokens = await client.authorizationCodeGrant(configuration, callbackUrl, {
        pkceCodeVerifier: login.codeVerifier,
        expectedState: state,
        expectedNonce: login.nonce,
        idTokenExpected: true,
      });
      const idToken = tokens.claims();
      if (idToken === undefined) throw new Error('no ID token in the token response');
      // Providers may keep email claims out of the ID token (OIDC core 5.4): ask userinfo as well.
      const userInfo = await client.fetchUserInfo(configuration, tokens.access_token, idToken.sub);
      claims = { ...idToken, ...userInfo, sub: idToken.sub } as client.IDToken;
    } catch (error) {
      this.logger.warn({ err: error }, 'single sign-on code exchange refused');
      await this.events.record('SIGN_IN_FAILED', {
        ip,
        details: { reason: 'oidc_exchange', error: error instanceof Error ? error.message : String(error) },
      });
      throw new AppError('UNAUTHENTICATED', 'The sign-on provider did not confirm this login.');
    }
    const exchange = generateSecret('oidcExchange');
    const userId = await this.transactor.run(async (manager) => {
      const user = await this.ssoAccounts.resolve(manager, configuration.serverMetadata().issuer, claims, ip);
      const now = this.clock.now();
      const claimed = await manager.update(
        OidcLoginEntity,
        { stateHash, userId: IsNull() },
        {
          userId: user.id,
          exchangeHash: this.hasher.hash(exchange),
          expiresAt: new Date(now.getTime() + EXCHANGE_TTL_MS),
        },
      );
      if (claimed.affected !== 1) throw new AppError('BAD_USER_INPUT', 'This sign-on attempt was already used.');
      return user.id;
    });
    // Linking may have revoked what a previous holder of the address had open.
    this.accessEvents.publish({ kind: 'user', userId });
    return exchange;
  }

  /** Trades the one-time code for the user's id; the caller opens the session. */
  async redeem(exchange: string): Promise<UserEntity> {
    if (!isWellFormedSecret('oidcExchange', exchange))
      throw new AppError('UNAUTHENTICATED', 'This sign-on code is invalid or expired.');
    const exchangeHash = this.hasher.hash(exchange);
    return this.transactor.run(async (manager) => {
      const login = await manager.findOneBy(OidcLoginEntity, { exchangeHash });
      if (login === null || login.userId === null || login.expiresAt <= this.clock.now()) {
        throw new AppError('UNAUTHENTICATED', 'This sign-on code is invalid or expired.');
      }
      await manager.delete(OidcLoginEntity, { stateHash: login.stateHash });
      return manager.findOneByOrFail(UserEntity, { id: login.userId });
    });
  }
}
