import type { Request, Response } from 'express';
import { Passport } from 'passport';
import { Strategy as BearerStrategy } from 'passport-http-bearer';
import { Strategy as LocalStrategy } from 'passport-local';
import { AppError } from '../common/errors.js';
import type { AuthService } from './auth.service.js';

export function clientOf(request: Request): { ip: string | null; userAgent: string | null } {
  return { ip: request.ip ?? null, userAgent: request.get('user-agent') ?? null };
}

export type PassportInstance = InstanceType<typeof Passport>;

/** The application's own passport instance (never the process-wide default), provided as PASSPORT. */
export const PASSPORT = Symbol('PASSPORT');

/**
 * Two strategies: `local` (email and password, for POST /auth/login) and `bearer` (an access token
 * or an API token in the Authorization header, for GraphQL and every protected route).
 */
export function createPassport(auth: AuthService): PassportInstance {
  const passport = new Passport();
  passport.use(
    'local',
    new LocalStrategy(
      { usernameField: 'email', passwordField: 'password', passReqToCallback: true, session: false },
      (request, email, password, done) => {
        auth.verifyCredentials(email, password, clientOf(request)).then(
          (user) => done(null, user),
          (error: unknown) => done(error),
        );
      },
    ),
  );
  passport.use(
    'bearer',
    new BearerStrategy((token, done) => {
      auth.authenticateBearer(token).then(
        (caller) => done(null, caller),
        (error: unknown) => done(error),
      );
    }),
  );
  return passport;
}

/** Runs a strategy on a request and resolves with what it authenticated; throws the contract's errors. */
export function authenticate<T>(
  passport: PassportInstance,
  strategy: 'local' | 'bearer',
  request: Request,
  response: Response,
): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const handler = passport.authenticate(strategy, { session: false }, (error: unknown, user: T | false) => {
      if (error !== null && error !== undefined) reject(error);
      else if (user === false || user === undefined) {
        reject(
          new AppError(
            strategy === 'local' ? 'BAD_USER_INPUT' : 'UNAUTHENTICATED',
            strategy === 'local'
              ? 'Give an email and a password.'
              : 'The token is missing, malformed, expired or revoked.',
          ),
        );
      } else resolve(user);
    }) as (req: Request, res: Response, next: (error?: unknown) => void) => void;
    handler(request, response, reject);
  });
}
