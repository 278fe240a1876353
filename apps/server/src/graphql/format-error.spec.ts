import { describe, expect, it } from '@jest/globals';
import { GraphQLError } from 'graphql';
import { captureLogs } from '../../../../test/support/config.js';
import { AppError } from '../common/errors.js';
import { createFormatError } from './format-error.js';
import { tooComplex } from './protection.js';

function format(error: GraphQLError) {
  const logs = captureLogs();
  const formatted = createFormatError(logs.logger)(error.toJSON(), error);
  return { formatted, logs: logs.lines() };
}

describe('formatError', () => {
  it('passes a user-facing error with its code and path', () => {
    const original = new AppError('NOT_FOUND', 'No plan with this id.', { id: 'p1' });
    const { formatted, logs } = format(new GraphQLError(original.message, { path: ['plan'], originalError: original }));
    expect(formatted).toEqual({
      message: 'No plan with this id.',
      path: ['plan'],
      extensions: { id: 'p1', code: 'NOT_FOUND' },
    });
    expect(logs).toEqual([]);
  });

  it('passes a refusal raised before execution, with its figures', () => {
    const { formatted, logs } = format(tooComplex(139_334, 50_000));
    expect(formatted).toEqual({
      message:
        'This query may read about 139,334 rows (cost), more than the 50,000 allowed: ask for fewer items per list (first) or split it.',
      extensions: { code: 'QUERY_TOO_COMPLEX', cost: 139_334, limit: 50_000 },
    });
    expect(logs).toEqual([]);
  });

  it('masks an unexpected error and logs the original', () => {
    const original = new Error('SQLITE_ERROR: no such table: plans');
    const { formatted, logs } = format(
      new GraphQLError(original.message, { path: ['plans'], originalError: original }),
    );
    expect(formatted).toEqual({
      message: 'Internal server error',
      path: ['plans'],
      extensions: { code: 'INTERNAL_SERVER_ERROR' },
    });
    expect(JSON.stringify(formatted)).not.toContain('SQLITE');
    expect(logs).toHaveLength(1);
    expect(logs[0]).toMatchObject({ level: 50, err: { message: 'SQLITE_ERROR: no such table: plans' } });
  });

  it('says a limit passed as a limit, not as a syntax error; a real syntax error stays one', () => {
    const limit = (message: string) =>
      format(new GraphQLError(message, { extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } })).formatted.message;
    expect(limit('Syntax Error: Query depth limit of 12 exceeded, found 15.')).toBe(
      'Query depth limit of 12 exceeded, found 15.',
    );
    expect(limit('Syntax Error: Document contains more that 4000 tokens. Parsing aborted.')).toBe(
      'Document contains more that 4000 tokens. Parsing aborted.',
    );
    expect(limit('Syntax Error: Expected Name, found "}".')).toBe('Syntax Error: Expected Name, found "}".');
  });

  it('reports a request the client must fix as BAD_USER_INPUT, keeping the explanation', () => {
    const error = new GraphQLError('Cannot query field "nope" on type "Query".', {
      extensions: { code: 'GRAPHQL_VALIDATION_FAILED' },
    });
    expect(format(error).formatted).toEqual({
      message: 'Cannot query field "nope" on type "Query".',
      extensions: { code: 'BAD_USER_INPUT' },
    });
  });

  it('does not trust a code that an unexpected error claims for itself', () => {
    const error = new GraphQLError('boom', {
      extensions: { code: 'FORBIDDEN' },
      originalError: new TypeError('x is undefined'),
    });
    expect(format(error).formatted.extensions).toEqual({ code: 'INTERNAL_SERVER_ERROR' });
  });
});
