import { QueryFailedError } from 'typeorm';
import { HttpException } from '@nestjs/common';

/** Every error code a client can see, in GraphQL `extensions.code` and in REST error bodies. */
export const ERROR_CODES = [
  'UNAUTHENTICATED',
  'FORBIDDEN',
  'NOT_FOUND',
  'BAD_USER_INPUT',
  /** A GraphQL operation that may read more rows than allowed: refused before it runs. */
  'QUERY_TOO_COMPLEX',
  'CONFLICT',
  'RATE_LIMITED',
  'INTERNAL_SERVER_ERROR',
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

export function assertNever(value: never): never {
  throw new Error(`unexpected value: ${String(value)}`);
}

/**
 * A failure meant for the client: its message is written for users and is shown as is. Anything
 * else that escapes a resolver or controller is an internal error and is masked.
 */
export class AppError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details: Readonly<Record<string, unknown>> = {},
  ) {
    super(message);
    this.name = 'AppError';
  }
}

export function httpStatusOf(code: ErrorCode): number {
  switch (code) {
    case 'UNAUTHENTICATED':
      return 401;
    case 'FORBIDDEN':
      return 403;
    case 'NOT_FOUND':
      return 404;
    case 'BAD_USER_INPUT':
      return 400;
    // GraphQL's only, beside the request errors Apollo answers with 400: REST never gives it.
    case 'QUERY_TOO_COMPLEX':
      return 400;
    case 'CONFLICT':
      return 409;
    case 'RATE_LIMITED':
      return 429;
    case 'INTERNAL_SERVER_ERROR':
      return 500;
    default:
      return assertNever(code);
  }
}

function codeOfHttpStatus(status: number): ErrorCode {
  if (status === 401) return 'UNAUTHENTICATED';
  if (status === 403) return 'FORBIDDEN';
  if (status === 404) return 'NOT_FOUND';
  if (status === 409) return 'CONFLICT';
  if (status === 429) return 'RATE_LIMITED';
  if (status >= 400 && status < 500) return 'BAD_USER_INPUT';
  return 'INTERNAL_SERVER_ERROR';
}

export interface PublicError {
  readonly code: ErrorCode;
  readonly message: string;
  readonly details: Readonly<Record<string, unknown>>;
}

export const INTERNAL_ERROR_MESSAGE = 'Internal server error';

/**
 * What a client may learn about an error: the AppError as written, a Nest HTTP exception thrown by
 * framework pieces (guards, pipes) by its status, and for anything else only that it happened.
 * Returns undefined for the masked case so the caller logs the original.
 */
export function toPublicError(error: unknown): PublicError | undefined {
  if (error instanceof AppError) return { code: error.code, message: error.message, details: error.details };
  // PostgreSQL's text cannot hold U+0000: whatever field brought one, the caller is told what is wrong.
  if (error instanceof QueryFailedError && (error.driverError as { code?: unknown } | undefined)?.code === '22021')
    return { code: 'BAD_USER_INPUT', message: 'Text may not contain the NUL character (U+0000).', details: {} };
  if (error instanceof HttpException) {
    const code = codeOfHttpStatus(error.getStatus());
    if (code === 'INTERNAL_SERVER_ERROR') return undefined;
    return { code, message: error.message, details: {} };
  }
  return undefined;
}
