import { randomUUID, webcrypto } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { errors, jwtVerify, SignJWT } from 'jose';
import { AppError } from '../common/errors.js';
import type { AppConfig } from '../config/config.js';
import { APP_CONFIG, CLOCK, type Clock } from '../core/core.module.js';

export const ACCESS_TOKEN_TTL_SECONDS = 15 * 60;
const ALGORITHM = 'HS256';
export const ACCESS_TOKEN_AUDIENCE = 'bascule-api';

export interface AccessTokenClaims {
  readonly userId: string;
  readonly sessionId: string;
  readonly organizationId: string | null;
}

export interface VerifiedAccessToken extends AccessTokenClaims {
  readonly expiresAt: Date;
}

/**
 * Short-lived access tokens (JWT, HS256). Verification pins the algorithm (so `alg: none` and
 * algorithm confusion are refused), and checks issuer, audience, expiry and the claims' shape.
 */
@Injectable()
export class AccessTokenService {
  /** Imported once: given raw bytes, jose imports the key again at every signature and check. */
  private readonly key: Promise<webcrypto.CryptoKey>;
  private readonly issuer: string;

  constructor(
    @Inject(APP_CONFIG) config: AppConfig,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {
    this.key = webcrypto.subtle.importKey(
      'raw',
      new TextEncoder().encode(config.secrets.BASCULE_JWT_SECRET),
      { name: 'HMAC', hash: 'SHA-256' },
      false,
      ['sign', 'verify'],
    );
    this.issuer = config.publicUrl;
  }

  async sign(claims: AccessTokenClaims): Promise<string> {
    const now = Math.floor(this.clock.now().getTime() / 1000);
    return new SignJWT({ sid: claims.sessionId, org: claims.organizationId })
      .setProtectedHeader({ alg: ALGORITHM, typ: 'JWT' })
      .setSubject(claims.userId)
      .setIssuer(this.issuer)
      .setAudience(ACCESS_TOKEN_AUDIENCE)
      .setIssuedAt(now)
      .setExpirationTime(now + ACCESS_TOKEN_TTL_SECONDS)
      .setJti(randomUUID())
      .sign(await this.key);
  }

  async verify(token: string): Promise<VerifiedAccessToken> {
    try {
      const { payload } = await jwtVerify(token, await this.key, {
        algorithms: [ALGORITHM],
        issuer: this.issuer,
        audience: ACCESS_TOKEN_AUDIENCE,
        currentDate: this.clock.now(),
        requiredClaims: ['sub', 'exp', 'iat', 'sid'],
      });
      const { sub, sid, org, exp } = payload as { sub?: unknown; sid?: unknown; org?: unknown; exp?: number };
      if (typeof sub !== 'string' || typeof sid !== 'string' || (org !== null && typeof org !== 'string')) {
        throw new AppError('UNAUTHENTICATED', 'The access token is malformed.');
      }
      return { userId: sub, sessionId: sid, organizationId: org, expiresAt: new Date((exp ?? 0) * 1000) };
    } catch (error) {
      if (error instanceof AppError) throw error;
      const expired = error instanceof errors.JWTExpired;
      throw new AppError(
        'UNAUTHENTICATED',
        expired ? 'The access token has expired: refresh it.' : 'The access token is invalid.',
      );
    }
  }
}
