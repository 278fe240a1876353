import {
  BadRequestException,
  ForbiddenException,
  HttpException,
  NotFoundException,
  UnauthorizedException,
} from '@nestjs/common';
import { describe, expect, it } from '@jest/globals';
import { AppError, ERROR_CODES, httpStatusOf, toPublicError } from './errors.js';

describe('error registry', () => {
  it('gives every public code of REST a distinct HTTP status', () => {
    const rest = ERROR_CODES.filter((code) => code !== 'QUERY_TOO_COMPLEX');
    expect(new Set(rest.map(httpStatusOf)).size).toBe(rest.length);
    expect(httpStatusOf('RATE_LIMITED')).toBe(429);
  });

  it('answers a GraphQL operation refused for its cost with 400, like the other request errors', () => {
    expect(httpStatusOf('QUERY_TOO_COMPLEX')).toBe(400);
  });

  it('shows an AppError as written, with its details', () => {
    expect(toPublicError(new AppError('CONFLICT', 'That email is taken.', { field: 'email' }))).toEqual({
      code: 'CONFLICT',
      message: 'That email is taken.',
      details: { field: 'email' },
    });
  });

  it.each([
    [new UnauthorizedException(), 'UNAUTHENTICATED'],
    [new ForbiddenException(), 'FORBIDDEN'],
    [new NotFoundException(), 'NOT_FOUND'],
    [new BadRequestException('title must be shorter'), 'BAD_USER_INPUT'],
    [new HttpException('slow down', 429), 'RATE_LIMITED'],
  ])('maps a framework HTTP exception by its status (%s)', (error, code) => {
    expect(toPublicError(error)?.code).toBe(code);
  });

  it('masks everything else', () => {
    expect(toPublicError(new Error('relation "users" does not exist'))).toBeUndefined();
    expect(toPublicError(new HttpException('upstream broke', 502))).toBeUndefined();
    expect(toPublicError('a string')).toBeUndefined();
  });
});
