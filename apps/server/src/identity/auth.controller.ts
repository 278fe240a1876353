import { Body, Controller, Get, HttpCode, Inject, Post, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { z } from 'zod';
import type { AuthContext } from '../access/auth-context.js';
import { CurrentAuth } from '../access/current-auth.decorator.js';
import { Allow } from '../access/permissions.js';
import { AppError } from '../common/errors.js';
import { parseBody } from '../common/http.js';
import type { AppConfig } from '../config/config.js';
import { APP_CONFIG, LOGGER } from '../core/core.module.js';
import type { Logger } from '../logging/logger.js';
import { AuthService, signupInput, type TokenPair } from './auth.service.js';
import type { UserEntity } from './entities.js';
import { OidcService } from './oidc.service.js';
import { languageOfRequest } from '../access/request-language.decorator.js';
import { authenticate, clientOf, PASSPORT, type PassportInstance } from './strategies.js';

const loginInput = z.object({
  email: z.string().max(254),
  password: z.string().max(1024),
  organizationId: z.uuid().optional(),
});
const refreshInput = z.object({ refreshToken: z.string().max(200), organizationId: z.uuid().optional() });
const exchangeInput = z.object({ code: z.string().max(200), organizationId: z.uuid().optional() });

/** The REST side of authentication (public contract: /auth/*). Tokens come back as JSON. */
@Controller('auth')
export class AuthController {
  constructor(
    private readonly auth: AuthService,
    private readonly oidc: OidcService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(LOGGER) private readonly logger: Logger,
    @Inject(PASSPORT) private readonly passport: PassportInstance,
  ) {}

  /** Which ways to sign in this server offers, for the sign-in page. */
  @Allow('public')
  @Get('providers')
  providers(): { password: true; oidc: { name: string; loginUrl: string } | null } {
    const name = this.oidc.displayName;
    return { password: true, oidc: name === null ? null : { name, loginUrl: '/auth/oidc/login' } };
  }

  @Allow('public')
  @Post('signup')
  @HttpCode(201)
  signup(@Body() body: unknown, @Req() request: Request): Promise<TokenPair> {
    return this.auth.signup(parseBody(signupInput, body), clientOf(request), languageOfRequest(request));
  }

  @Allow('public')
  @Post('login')
  @HttpCode(200)
  async login(
    @Body() body: unknown,
    @Req() request: Request,
    @Res({ passthrough: true }) response: Response,
  ): Promise<TokenPair> {
    const { organizationId } = parseBody(loginInput, body);
    const user = await authenticate<UserEntity>(this.passport, 'local', request, response);
    return this.auth.signIn(user, clientOf(request), organizationId);
  }

  @Allow('public')
  @Post('refresh')
  @HttpCode(200)
  refresh(@Body() body: unknown, @Req() request: Request): Promise<TokenPair> {
    const input = parseBody(refreshInput, body);
    return this.auth.refresh(input.refreshToken, clientOf(request), input.organizationId);
  }

  @Allow('account.manage')
  @Post('logout')
  @HttpCode(204)
  async logout(@CurrentAuth() auth: AuthContext, @Req() request: Request): Promise<void> {
    await this.auth.logout(auth, clientOf(request));
  }

  @Allow('public')
  @Get('oidc/login')
  async oidcLogin(@Res() response: Response): Promise<void> {
    response.redirect(302, (await this.oidc.begin()).toString());
  }

  /** The provider sends the browser back here; the browser then lands on the web client with a one-time code. */
  @Allow('public')
  @Get('oidc/callback')
  async oidcCallback(@Req() request: Request, @Res() response: Response): Promise<void> {
    const back = new URL('/', this.config.publicUrl);
    try {
      const providerError = typeof request.query.error === 'string' ? request.query.error : undefined;
      if (providerError !== undefined)
        throw new AppError('UNAUTHENTICATED', `The provider refused the sign-on (${providerError.slice(0, 60)}).`);
      const code = await this.oidc.complete(new URL(request.originalUrl, this.config.publicUrl), clientOf(request).ip);
      back.searchParams.set('sso_code', code);
    } catch (error) {
      if (!(error instanceof AppError)) this.logger.error({ err: error }, 'single sign-on callback failed');
      back.searchParams.set('sso_error', error instanceof AppError ? error.message : 'Single sign-on failed.');
    }
    response.redirect(302, back.toString());
  }

  @Allow('public')
  @Post('oidc/exchange')
  @HttpCode(200)
  async oidcExchange(@Body() body: unknown, @Req() request: Request): Promise<TokenPair> {
    const input = parseBody(exchangeInput, body);
    const user = await this.oidc.redeem(input.code);
    return this.auth.signIn(user, clientOf(request), input.organizationId, 'oidc');
  }
}
