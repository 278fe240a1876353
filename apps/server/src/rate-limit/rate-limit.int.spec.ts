import { afterEach, describe, expect, it } from '@jest/globals';
import type { INestApplication } from '@nestjs/common';
import { captureLogs, testConfig } from '../../../../test/support/config.js';
import { createTestDatabase, type TestDatabase } from '../../../../test/support/database.js';
import { listen } from '../../../../test/support/http.js';
import { logIn, postJson, signUp, STRONG_PASSWORD, uniqueEmail } from '../../../../test/support/identity.js';
import { createApp } from '../app.factory.js';

const TIGHT_LIMITS = {
  BASCULE_RATE_LIMIT_SIGNUP: '2/1h',
  BASCULE_RATE_LIMIT_LOGIN_IP: '6/5m',
  BASCULE_RATE_LIMIT_LOGIN_ACCOUNT: '3/15m',
  BASCULE_RATE_LIMIT_REFRESH: '3/1m',
};

describe(`throttling of the sign-in paths (${process.env.REDIS_URL ? 'Redis' : 'in memory'})`, () => {
  const apps: INestApplication[] = [];
  const databases: TestDatabase[] = [];

  /** An instance with tight limits; instances given the same database are one installation. */
  async function instance(
    database?: TestDatabase,
    limits: Record<string, string> = TIGHT_LIMITS,
  ): Promise<{ baseUrl: string; database: TestDatabase }> {
    const db = database ?? (await createTestDatabase());
    if (database === undefined) databases.push(db);
    const app = await createApp(testConfig({ DATABASE_URL: db.url, ...limits }), captureLogs().logger);
    apps.push(app);
    return { baseUrl: await listen(app), database: db };
  }

  afterEach(async () => {
    for (const app of apps.splice(0)) await app.close();
    for (const database of databases.splice(0)) await database.drop();
  });

  function expectThrottled(response: { status: number; body: unknown; headers: Headers }): void {
    expect(response.status).toBe(429);
    expect(response.body).toMatchObject({ error: { code: 'RATE_LIMITED', retryAfterSeconds: expect.any(Number) } });
    const retryAfter = Number(response.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThan(0);
    expect((response.body as { error: { retryAfterSeconds: number } }).error.retryAfterSeconds).toBe(retryAfter);
  }

  it('limits sign-ups per IP address', async () => {
    const { baseUrl } = await instance();
    const attempt = () =>
      postJson(baseUrl, '/auth/signup', {
        email: uniqueEmail(),
        password: STRONG_PASSWORD,
        displayName: 'S',
        organizationName: 'S',
      });
    expect((await attempt()).status).toBe(201);
    expect((await attempt()).status).toBe(201);
    expectThrottled(await attempt());
  });

  it('locks an account after repeated failures, even for the right password, without touching other accounts', async () => {
    const { baseUrl } = await instance(undefined, { ...TIGHT_LIMITS, BASCULE_RATE_LIMIT_SIGNUP: '10/1h' });
    const victim = await signUp(baseUrl);
    const bystander = await signUp(baseUrl);
    for (let i = 0; i < 3; i += 1)
      expect((await logIn(baseUrl, victim.email, `wrong guess number ${i}`)).status).toBe(401);
    expectThrottled(await logIn(baseUrl, victim.email, victim.password));
    expect((await logIn(baseUrl, bystander.email, bystander.password)).status).toBe(200);
  });

  it('limits sign-in attempts per IP address across accounts', async () => {
    const { baseUrl } = await instance();
    const statuses: number[] = [];
    for (let i = 0; i < 7; i += 1)
      statuses.push((await logIn(baseUrl, uniqueEmail('guess'), 'some guessed password')).status);
    expect(statuses).toEqual([401, 401, 401, 401, 401, 401, 429]);
  });

  it('limits refreshes per IP address', async () => {
    const { baseUrl } = await instance();
    const user = await signUp(baseUrl);
    let refreshToken = user.tokens.refreshToken;
    for (let i = 0; i < 3; i += 1) {
      const response = await postJson<{ refreshToken: string }>(baseUrl, '/auth/refresh', { refreshToken });
      expect(response.status).toBe(200);
      refreshToken = response.body.refreshToken;
    }
    expectThrottled(await postJson(baseUrl, '/auth/refresh', { refreshToken }));
  });

  it(
    process.env.REDIS_URL
      ? 'holds a limit across instances through Redis'
      : 'counts per instance when no Redis is configured (documented: set REDIS_URL to share limits)',
    async () => {
      const first = await instance(undefined, { ...TIGHT_LIMITS, BASCULE_RATE_LIMIT_SIGNUP: '10/1h' });
      const second = await instance(first.database, { ...TIGHT_LIMITS, BASCULE_RATE_LIMIT_SIGNUP: '10/1h' });
      const user = await signUp(first.baseUrl);
      for (let i = 0; i < 3; i += 1) await logIn(first.baseUrl, user.email, `wrong guess ${i}`);
      const elsewhere = await logIn(second.baseUrl, user.email, user.password);
      if (process.env.REDIS_URL) expectThrottled(elsewhere);
      else expect(elsewhere).toMatchObject({ status: 200 });
    },
  );
});
