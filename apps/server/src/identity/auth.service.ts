import { Injectable } from '@nestjs/common';
import type { Language } from '@bascule/plan-model';
import { z } from 'zod';
import type { AuthContext } from '../access/auth-context.js';
import { AuthEventsService } from './auth-events.service.js';
import { AppError } from '../common/errors.js';
import { Transactor } from '../database/transactor.js';
import { RateLimitService } from '../rate-limit/rate-limit.service.js';
import { ACCESS_TOKEN_TTL_SECONDS, AccessTokenService } from './access-tokens.js';
import { AccountsService } from './accounts.service.js';
import { ApiTokensService } from './api-tokens.service.js';
import type { UserEntity } from './entities.js';
import { InvitationsService } from './invitations.service.js';
import { PasswordHasher } from './password-hasher.js';
import { normalizeEmail, passwordProblem } from './password-policy.js';
import { TOKEN_PREFIXES } from './secret-tokens.js';
import { type ClientInfo, type SessionGrant, SessionsService } from './sessions.service.js';

export interface TokenPair {
  readonly accessToken: string;
  readonly refreshToken: string;
  readonly tokenType: 'Bearer';
  readonly expiresIn: number;
  readonly organizationId: string | null;
}

export const signupInput = z.object({
  email: z.string().max(254),
  password: z.string().max(1024),
  displayName: z.string().trim().min(1).max(120),
  organizationName: z.string().trim().min(1).max(120).optional(),
  invitationToken: z.string().max(100).optional(),
});
export type SignupInput = z.infer<typeof signupInput>;

const INVALID_CREDENTIALS = 'The email or the password is incorrect.';

/** Sign-up, password sign-in, refresh, sign-out, and turning a bearer token into a caller. */
/** Who a genuine bearer token says its caller is, before their session and role are read. */
export type BearerIdentity = Pick<AuthContext, 'principal' | 'userId' | 'organizationId' | 'apiTokenId'>;

@Injectable()
export class AuthService {
  constructor(
    private readonly accounts: AccountsService,
    private readonly passwords: PasswordHasher,
    private readonly sessions: SessionsService,
    private readonly accessTokens: AccessTokenService,
    private readonly apiTokens: ApiTokensService,
    private readonly invitations: InvitationsService,
    private readonly rateLimits: RateLimitService,
    private readonly events: AuthEventsService,
    private readonly transactor: Transactor,
  ) {}

  /** Creates an account and either a new organization it owns or, with an invitation, a membership. */
  async signup(input: SignupInput, client: ClientInfo, language: Language | null = null): Promise<TokenPair> {
    await this.rateLimits.consume('signup', client.ip ?? 'unknown');
    const email = normalizeEmail(input.email);
    const problem = passwordProblem(input.password, email);
    if (problem !== undefined)
      throw new AppError('BAD_USER_INPUT', `Weak password: ${problem}.`, { field: 'password' });
    if (input.invitationToken === undefined && input.organizationName === undefined) {
      throw new AppError('BAD_USER_INPUT', 'Name the organization to create, or sign up with an invitation.', {
        field: 'organizationName',
      });
    }
    const passwordHash = await this.passwords.hash(input.password);
    const grant = await this.transactor.run(async (manager) => {
      const user = await this.accounts.createUser(manager, {
        email,
        displayName: input.displayName,
        passwordHash,
        emailVerified: false,
        language,
      });
      const organizationId =
        input.invitationToken !== undefined
          ? (await this.invitations.acceptWith(manager, input.invitationToken, user)).organizationId
          : (await this.accounts.createOrganization(manager, input.organizationName as string, user.id)).id;
      await this.events.record('SIGN_UP', { userId: user.id, organizationId, ip: client.ip }, manager);
      return this.sessions.start(manager, user.id, organizationId, client);
    });
    return this.tokens(grant);
  }

  /** Checks a password sign-in (passport's local strategy calls this), throttled per IP and per account. */
  async verifyCredentials(email: string, password: string, client: ClientInfo): Promise<UserEntity> {
    const normalized = normalizeEmail(email);
    await this.rateLimits.consume('loginIp', client.ip ?? 'unknown');
    await this.rateLimits.check('loginAccount', normalized);
    const user = await this.accounts.findUserByEmail(normalized);
    if (await this.passwords.verify(user?.passwordHash ?? null, password)) {
      return user as UserEntity;
    }
    await this.events.record('SIGN_IN_FAILED', {
      userId: user?.id ?? null,
      ip: client.ip,
      details: { reason: 'credentials' },
    });
    await this.rateLimits.consume('loginAccount', normalized);
    throw new AppError('UNAUTHENTICATED', INVALID_CREDENTIALS);
  }

  /** Opens a session for a user whose identity was just proven (password or single sign-on). */
  async signIn(
    user: UserEntity,
    client: ClientInfo,
    organizationId?: string | null,
    method = 'password',
  ): Promise<TokenPair> {
    const grant = await this.transactor.run(async (manager) => {
      const landing = await this.accounts.landingOrganization(user.id, organizationId, manager);
      await this.events.record(
        'SIGN_IN_SUCCEEDED',
        { userId: user.id, organizationId: landing, ip: client.ip, details: { method } },
        manager,
      );
      return this.sessions.start(manager, user.id, landing, client);
    });
    if (method === 'password') await this.rateLimits.reset('loginAccount', user.email);
    return this.tokens(grant);
  }

  async refresh(refreshToken: string, client: ClientInfo, organizationId?: string): Promise<TokenPair> {
    await this.rateLimits.consume('refresh', client.ip ?? 'unknown');
    return this.tokens(await this.sessions.rotate(refreshToken, client, organizationId));
  }

  async logout(auth: AuthContext, client: ClientInfo): Promise<void> {
    if (auth.sessionId === null)
      throw new AppError('BAD_USER_INPUT', 'Only a signed-in session can sign out; revoke API tokens instead.');
    await this.sessions.revokeOwn(auth.userId, auth.sessionId, 'sign_out');
    await this.events.record('SIGN_OUT', { userId: auth.userId, organizationId: auth.organizationId, ip: client.ip });
  }

  /**
   * The caller behind an Authorization bearer token: an API token (by its prefix) or an access token
   * whose session is still open. The organization role is read now, not taken from the token.
   */
  async authenticateBearer(token: string): Promise<AuthContext> {
    return (await this.verifyBearer(token)).caller;
  }

  /**
   * A bearer token in two steps: `identity` once the token itself is genuine (an access token's
   * signature, or a live API token), and `caller` once its session and organization role are read
   * too (at once for an API token). What depends only on who the caller claims to be can be read
   * meanwhile; nothing may be granted before `caller` resolves. Throws UNAUTHENTICATED for a token
   * that is not genuine; `caller` rejects with it for a session that has ended.
   */
  async verifyBearer(token: string): Promise<{ identity: BearerIdentity; caller: Promise<AuthContext> }> {
    if (token.startsWith(TOKEN_PREFIXES.apiToken)) {
      const auth = await this.apiTokens.authenticate(token);
      if (auth === undefined) throw new AppError('UNAUTHENTICATED', 'The API token is invalid, expired or revoked.');
      return { identity: auth, caller: Promise.resolve(auth) };
    }
    const claims = await this.accessTokens.verify(token);
    const caller = this.sessionCaller(claims);
    // Whoever reads the identity alone may not wait for the caller: its rejection is theirs to see.
    caller.catch(() => undefined);
    return {
      identity: {
        principal: 'user',
        userId: claims.userId,
        organizationId: claims.organizationId,
        apiTokenId: null,
      },
      caller,
    };
  }

  private async sessionCaller(claims: Awaited<ReturnType<AccessTokenService['verify']>>): Promise<AuthContext> {
    // Both read at once (one round trip's wait, not two); the role is used only if the session is open.
    const [session, membership] = await Promise.all([
      this.sessions.findActive(claims.sessionId),
      claims.organizationId === null ? null : this.accounts.membership(claims.organizationId, claims.userId),
    ]);
    if (session === null || session.userId !== claims.userId) {
      throw new AppError('UNAUTHENTICATED', 'This session has ended: sign in again.');
    }
    return {
      principal: 'user',
      userId: claims.userId,
      organizationId: claims.organizationId,
      orgRole: membership?.role ?? null,
      scopes: ['read', 'write'],
      sessionId: claims.sessionId,
      apiTokenId: null,
      expiresAt: claims.expiresAt,
    };
  }

  private async tokens(grant: SessionGrant): Promise<TokenPair> {
    const { session, refreshToken } = grant;
    const accessToken = await this.accessTokens.sign({
      userId: session.userId,
      sessionId: session.id,
      organizationId: session.organizationId,
    });
    return {
      accessToken,
      refreshToken,
      tokenType: 'Bearer',
      expiresIn: ACCESS_TOKEN_TTL_SECONDS,
      organizationId: session.organizationId,
    };
  }
}
