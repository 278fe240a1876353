import { type ArgumentsHost, Catch, type ExceptionFilter, Inject } from '@nestjs/common';
import type { Response } from 'express';
import type { z } from 'zod';
import { LOGGER } from '../core/core.module.js';
import type { Logger } from '../logging/logger.js';
import { AppError, httpStatusOf, INTERNAL_ERROR_MESSAGE, toPublicError } from './errors.js';

/** Validates a JSON body against its schema; BAD_USER_INPUT names the first wrong field. */
export function parseBody<T extends z.ZodType>(schema: T, body: unknown): z.output<T> {
  const result = schema.safeParse(body ?? {});
  if (result.success) return result.data;
  const [issue] = result.error.issues;
  const field = issue?.path.join('.') || 'body';
  throw new AppError('BAD_USER_INPUT', `${field}: ${issue?.message ?? 'invalid'}`, { field });
}

/**
 * REST errors in one shape, `{ "error": { "code", "message", ...details } }`, with the status of the
 * code and Retry-After when rate limited. GraphQL errors are left to GraphQL's own formatting.
 */
@Catch()
export class HttpErrorFilter implements ExceptionFilter {
  constructor(@Inject(LOGGER) private readonly logger: Logger) {}

  catch(exception: unknown, host: ArgumentsHost): unknown {
    if (host.getType() !== 'http') return exception;
    const response = host.switchToHttp().getResponse<Response>();
    const known = toPublicError(exception);
    if (known === undefined) this.logger.error({ err: exception }, 'unexpected error in an HTTP request');
    const body = known ?? { code: 'INTERNAL_SERVER_ERROR' as const, message: INTERNAL_ERROR_MESSAGE, details: {} };
    const retryAfter = body.details.retryAfterSeconds;
    if (typeof retryAfter === 'number') response.setHeader('Retry-After', String(retryAfter));
    response
      .status(httpStatusOf(body.code))
      .json({ error: { ...body.details, code: body.code, message: body.message } });
    return undefined;
  }
}
