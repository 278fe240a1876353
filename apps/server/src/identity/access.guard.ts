import { type CanActivate, type ExecutionContext, Inject, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { GqlExecutionContext } from '@nestjs/graphql';
import type { Response } from 'express';
import { AppError } from '../common/errors.js';
import { LOGGER } from '../core/core.module.js';
import { authenticate, PASSPORT, type PassportInstance } from './strategies.js';
import type { Logger } from '../logging/logger.js';
import { AccessService } from '../access/access.service.js';
import type { AuthContext } from '../access/auth-context.js';
import { ACCESS_METADATA, type Permission } from '../access/permissions.js';
import { requestOf } from '../access/request.js';

function responseOf(context: ExecutionContext): Response {
  if (context.getType<string>() === 'graphql')
    return GqlExecutionContext.create(context).getContext<{ res: Response }>().res;
  return context.switchToHttp().getResponse<Response>();
}

/**
 * Applied to every GraphQL operation and REST route (registered as a global guard). Default deny:
 * a handler without an @Allow declaration is refused. A bearer token, when present, is verified by
 * passport's bearer strategy; then the access service checks the declared permission.
 */
@Injectable()
export class AccessGuard implements CanActivate {
  /** The authentication under way for a request, while its first guard awaits it. */
  private readonly callers = new WeakMap<object, Promise<AuthContext>>();

  constructor(
    private readonly reflector: Reflector,
    private readonly access: AccessService,
    @Inject(PASSPORT) private readonly passport: PassportInstance,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const permission = this.reflector.getAllAndOverride<Permission | undefined>(ACCESS_METADATA, [
      context.getHandler(),
      context.getClass(),
    ]);
    if (permission === undefined) {
      this.logger.error(
        { handler: `${context.getClass().name}.${context.getHandler().name}` },
        'operation without access declaration refused',
      );
      throw new AppError('FORBIDDEN', 'This operation is not available.');
    }
    const request = requestOf(context);
    if (request.user === undefined && typeof request.headers.authorization === 'string') {
      // The root fields of one operation run side by side: they share one check of the token.
      let caller = this.callers.get(request);
      if (caller === undefined) {
        caller = authenticate<AuthContext>(this.passport, 'bearer', request, responseOf(context));
        this.callers.set(request, caller);
      }
      request.user = await caller;
    }
    this.access.require(request.user, permission);
    return true;
  }
}
