import { describe, expect, it } from '@jest/globals';
import type { IncomingMessage } from 'node:http';
import { pathOf } from './logger.js';

const request = (url: string, originalUrl?: string) => ({ url, originalUrl }) as unknown as IncomingMessage;

describe('request paths in the logs', () => {
  it('blank the credentials a query string may carry, and keep the rest', () => {
    expect(pathOf(request('/reports/plans/p1/milestones.ics?token=bsc_secret&lang=fr'))).toBe(
      '/reports/plans/p1/milestones.ics?token=[redacted]&lang=fr',
    );
    expect(pathOf(request('/auth/oidc/callback?code=abc&state=xyz'))).toBe(
      '/auth/oidc/callback?code=[redacted]&state=[redacted]',
    );
    expect(pathOf(request('/?sso_code=one-time'))).toBe('/?sso_code=[redacted]');
    expect(pathOf(request('/', '/graphql?operationName=Portfolio'))).toBe('/graphql?operationName=Portfolio');
  });
});
