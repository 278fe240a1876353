import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import { AppError } from '../common/errors.js';
import { requestOf } from './request.js';
import type { AuthContext } from './auth-context.js';

/** The authenticated caller of this request; the access guard has already required one. */
export const CurrentAuth = createParamDecorator((_data: unknown, context: ExecutionContext): AuthContext => {
  const auth = requestOf(context).user;
  if (auth === undefined) throw new AppError('UNAUTHENTICATED', 'Sign in first.');
  return auth;
});
