import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { INestApplication } from '@nestjs/common';
import { SignJWT, UnsecuredJWT } from 'jose';
import { DataSource } from 'typeorm';
import { TEST_SECRETS } from '../../../../test/support/config.js';
import { AuthService } from './auth.service.js';
import { startTestApp, type TestApp } from '../../../../test/support/app.js';
import {
  bearer,
  codeOf,
  graphqlAs,
  logIn,
  postJson,
  signUp,
  STRONG_PASSWORD,
  type TokenPair,
  uniqueEmail,
} from '../../../../test/support/identity.js';

const ME = '{ me { user { id email } organization { id } role } }';

describe('authentication (passport local, JWT, refresh, API tokens)', () => {
  let testApp: TestApp;
  let app: INestApplication;
  let baseUrl: string;
  const issuer = 'http://localhost:3000';

  beforeAll(async () => {
    testApp = await startTestApp();
    ({ app, baseUrl } = testApp);
  });

  afterAll(() => testApp.close());

  describe('sign-up', () => {
    it('creates the user and an organization they own, and signs them in', async () => {
      const email = uniqueEmail();
      const response = await postJson<TokenPair>(baseUrl, '/auth/signup', {
        email: `  ${email.toUpperCase()} `,
        password: STRONG_PASSWORD,
        displayName: 'Chloé',
        organizationName: 'CHU de Test',
      });
      expect(response.status).toBe(201);
      expect(response.body).toMatchObject({
        tokenType: 'Bearer',
        expiresIn: 900,
        refreshToken: expect.stringMatching(/^bsr_/),
      });
      const me = await graphqlAs(baseUrl, response.body.accessToken, ME);
      expect(me.data).toMatchObject({
        me: { user: { email }, organization: { id: response.body.organizationId }, role: 'OWNER' },
      });
    });

    it('refuses a second account for the same mailbox with CONFLICT, whatever the case', async () => {
      const { email } = await signUp(baseUrl);
      const again = await postJson(baseUrl, '/auth/signup', {
        email: email.toUpperCase(),
        password: STRONG_PASSWORD,
        displayName: 'Twin',
        organizationName: 'Twin org',
      });
      expect(again.status).toBe(409);
      expect(again.body).toMatchObject({ error: { code: 'CONFLICT', field: 'email' } });
    });

    it.each([
      ['short', 'at least 12 characters'],
      ['password1234', 'most common'],
      ['aaaaaaaaaaaaaaaa', 'too few different characters'],
    ])('refuses the weak password %s with BAD_USER_INPUT and the reason', async (password, reason) => {
      const response = await postJson(baseUrl, '/auth/signup', {
        email: uniqueEmail(),
        password,
        displayName: 'Weak',
        organizationName: 'Weak',
      });
      expect(response.status).toBe(400);
      expect(response.body).toMatchObject({
        error: { code: 'BAD_USER_INPUT', field: 'password', message: expect.stringContaining(reason) },
      });
    });

    it('refuses a password containing the email', async () => {
      const email = uniqueEmail('jeanne');
      const response = await postJson(baseUrl, '/auth/signup', {
        email,
        password: `${email.split('@')[0]}-secret`,
        displayName: 'J',
        organizationName: 'J',
      });
      expect(response.body).toMatchObject({
        error: { code: 'BAD_USER_INPUT', message: expect.stringContaining('email') },
      });
    });

    it('says which field is malformed', async () => {
      const response = await postJson(baseUrl, '/auth/signup', { email: 'x@y.fr', password: 42 });
      expect(response.status).toBe(400);
      expect(response.body).toMatchObject({ error: { code: 'BAD_USER_INPUT', field: 'password' } });
      const notEmail = await postJson(baseUrl, '/auth/signup', {
        email: 'not-an-email',
        password: STRONG_PASSWORD,
        displayName: 'x',
        organizationName: 'x',
      });
      expect(notEmail.body).toMatchObject({ error: { code: 'BAD_USER_INPUT', field: 'email' } });
    });
  });

  describe('sign-in', () => {
    it('signs in with a normalised email', async () => {
      const { email } = await signUp(baseUrl);
      const response = await logIn(baseUrl, ` ${email.toUpperCase()}`, STRONG_PASSWORD);
      expect(response.status).toBe(200);
      expect((await graphqlAs(baseUrl, response.body.accessToken, ME)).data).toMatchObject({ me: { user: { email } } });
    });

    it('gives the same answer for a wrong password and an unknown account (no enumeration)', async () => {
      const { email } = await signUp(baseUrl);
      const wrongPassword = await logIn(baseUrl, email, 'not the right passphrase');
      const unknownAccount = await logIn(baseUrl, uniqueEmail('nobody'), 'not the right passphrase');
      expect(wrongPassword.status).toBe(401);
      expect(unknownAccount.status).toBe(401);
      expect(unknownAccount.body).toEqual(wrongPassword.body);
      expect(wrongPassword.body).toEqual({
        error: { code: 'UNAUTHENTICATED', message: 'The email or the password is incorrect.' },
      });
    });

    it('lands in the organization asked for, and refuses one the user does not belong to', async () => {
      const a = await signUp(baseUrl);
      const other = await signUp(baseUrl);
      const refused = await logIn(baseUrl, a.email, a.password, other.organizationId);
      expect(refused.status).toBe(403);
      const landed = await logIn(baseUrl, a.email, a.password, a.organizationId);
      expect(landed.body.organizationId).toBe(a.organizationId);
    });
  });

  describe('access tokens', () => {
    async function forge(
      payload: Record<string, unknown>,
      options: { secret?: string; alg?: string; expiresIn?: number } = {},
    ): Promise<string> {
      const now = Math.floor(Date.now() / 1000);
      return new SignJWT(payload)
        .setProtectedHeader({ alg: options.alg ?? 'HS256' })
        .setIssuer(issuer)
        .setAudience('bascule-api')
        .setIssuedAt(now - 60)
        .setExpirationTime(now + (options.expiresIn ?? 600))
        .sign(new TextEncoder().encode(options.secret ?? TEST_SECRETS.BASCULE_JWT_SECRET));
    }

    it('accepts a real one, and refuses it tampered, expired, unsigned, re-signed or aimed elsewhere', async () => {
      const user = await signUp(baseUrl);
      const valid = user.tokens.accessToken;
      expect((await graphqlAs(baseUrl, valid, ME)).data).toBeDefined();

      const [header, payload, signature] = valid.split('.') as [string, string, string];
      const claims = JSON.parse(Buffer.from(payload, 'base64url').toString()) as Record<string, unknown>;
      const otherUser = await signUp(baseUrl);
      const tampered = `${header}.${Buffer.from(JSON.stringify({ ...claims, sub: otherUser.userId })).toString('base64url')}.${signature}`;
      const unsigned = new UnsecuredJWT({ ...claims }).encode();
      const base = { sid: claims.sid, org: claims.org, sub: claims.sub } as Record<string, string>;
      const expired = await forge(base, { expiresIn: -10 });
      const wrongKey = await forge(base, { secret: 'another secret that is long enough 12345' });
      const otherAlgorithm = await forge(base, { alg: 'HS512' });
      const wrongAudience = await new SignJWT(base)
        .setProtectedHeader({ alg: 'HS256' })
        .setIssuer(issuer)
        .setAudience('someone-else')
        .setExpirationTime('5m')
        .sign(new TextEncoder().encode(TEST_SECRETS.BASCULE_JWT_SECRET));
      const wrongIssuer = await new SignJWT(base)
        .setProtectedHeader({ alg: 'HS256' })
        .setIssuer('https://evil.example')
        .setAudience('bascule-api')
        .setExpirationTime('5m')
        .sign(new TextEncoder().encode(TEST_SECRETS.BASCULE_JWT_SECRET));

      // Signed with the right key, but saying nothing of who issued it, or of whom it is for.
      const now = Math.floor(Date.now() / 1000);
      const unaddressed = () =>
        new SignJWT(base)
          .setProtectedHeader({ alg: 'HS256' })
          .setIssuedAt(now)
          .setExpirationTime(now + 300);
      const key = new TextEncoder().encode(TEST_SECRETS.BASCULE_JWT_SECRET);
      const noIssuer = await unaddressed().setAudience('bascule-api').sign(key);
      const noAudience = await unaddressed().setIssuer(issuer).sign(key);

      for (const token of [
        noIssuer,
        noAudience,
        tampered,
        unsigned,
        expired,
        wrongKey,
        otherAlgorithm,
        wrongAudience,
        wrongIssuer,
        'garbage',
        '',
      ]) {
        const response = await graphqlAs(baseUrl, token, ME);
        expect({ token, code: codeOf(response), data: response.data ?? null }).toEqual({
          token,
          code: 'UNAUTHENTICATED',
          data: null,
        });
      }
      const expiredAnswer = await graphqlAs(baseUrl, expired, ME);
      expect(expiredAnswer.errors?.[0]?.message).toContain('expired');
      // A correctly signed token for the real session still works: the checks above were not luck.
      expect((await graphqlAs(baseUrl, await forge(base), ME)).data).toMatchObject({
        me: { user: { id: user.userId } },
      });
    });

    it('is checked once per request, however many root fields ask for the caller', async () => {
      const user = await signUp(baseUrl);
      const auth = app.get(AuthService);
      const authenticateBearer = auth.authenticateBearer.bind(auth);
      let checks = 0;
      auth.authenticateBearer = (token) => ((checks += 1), authenticateBearer(token));
      try {
        const twoFields = '{ me { user { id } } templates { id } portfolio { planCount } }';
        const answer = await graphqlAs(baseUrl, user.tokens.accessToken, twoFields);
        expect(answer.errors).toBeUndefined();
        expect(checks).toBe(1);
        // A bad token is refused, still from one check.
        checks = 0;
        const refused = await graphqlAs(baseUrl, `${user.tokens.accessToken}x`, twoFields);
        expect(new Set(refused.errors?.map((error) => error.extensions?.code))).toEqual(new Set(['UNAUTHENTICATED']));
        expect(checks).toBe(1);
      } finally {
        auth.authenticateBearer = authenticateBearer;
      }
    });

    it('stops working as soon as its session is revoked', async () => {
      const user = await signUp(baseUrl);
      const second = await logIn(baseUrl, user.email, user.password);
      const sessions = await graphqlAs<{ sessions: { id: string; current: boolean }[] }>(
        baseUrl,
        user.tokens.accessToken,
        '{ sessions { id current } }',
      );
      expect(sessions.data?.sessions).toHaveLength(2);
      const other = sessions.data!.sessions.find((session) => !session.current)!;
      const revoked = await graphqlAs(
        baseUrl,
        user.tokens.accessToken,
        'mutation($id: ID!) { revokeSession(id: $id) { id revokedAt } }',
        { id: other.id },
      );
      expect(revoked.data).toMatchObject({ revokeSession: { id: other.id, revokedAt: expect.any(String) } });
      expect(codeOf(await graphqlAs(baseUrl, second.body.accessToken, ME))).toBe('UNAUTHENTICATED');
      expect((await postJson(baseUrl, '/auth/refresh', { refreshToken: second.body.refreshToken })).status).toBe(401);
      expect((await graphqlAs(baseUrl, user.tokens.accessToken, ME)).data).toBeDefined();
    });

    it('cannot revoke someone else’s session', async () => {
      const a = await signUp(baseUrl);
      const b = await signUp(baseUrl);
      const sessionsOfB = await graphqlAs<{ sessions: { id: string }[] }>(
        baseUrl,
        b.tokens.accessToken,
        '{ sessions { id } }',
      );
      const attempt = await graphqlAs(
        baseUrl,
        a.tokens.accessToken,
        'mutation($id: ID!) { revokeSession(id: $id) { id } }',
        {
          id: sessionsOfB.data!.sessions[0]!.id,
        },
      );
      expect(codeOf(attempt)).toBe('NOT_FOUND');
      expect((await graphqlAs(baseUrl, b.tokens.accessToken, ME)).data).toBeDefined();
    });

    it('ends the session on logout', async () => {
      const user = await signUp(baseUrl);
      const out = await postJson(baseUrl, '/auth/logout', {}, bearer(user.tokens.accessToken));
      expect(out.status).toBe(204);
      expect(codeOf(await graphqlAs(baseUrl, user.tokens.accessToken, ME))).toBe('UNAUTHENTICATED');
      expect((await postJson(baseUrl, '/auth/logout', {})).status).toBe(401);
    });
  });

  describe('refresh tokens', () => {
    it('rotate: each refresh returns a new pair and spends the old refresh token', async () => {
      const user = await signUp(baseUrl);
      const first = await postJson<TokenPair>(baseUrl, '/auth/refresh', { refreshToken: user.tokens.refreshToken });
      expect(first.status).toBe(200);
      expect(first.body.refreshToken).not.toBe(user.tokens.refreshToken);
      const second = await postJson<TokenPair>(baseUrl, '/auth/refresh', { refreshToken: first.body.refreshToken });
      expect(second.status).toBe(200);
      expect((await graphqlAs(baseUrl, second.body.accessToken, ME)).data).toMatchObject({
        me: { user: { id: user.userId } },
      });
    });

    it('revoke the whole session when a spent one is presented again (theft detection)', async () => {
      const user = await signUp(baseUrl);
      const rotated = await postJson<TokenPair>(baseUrl, '/auth/refresh', { refreshToken: user.tokens.refreshToken });
      const replay = await postJson(baseUrl, '/auth/refresh', { refreshToken: user.tokens.refreshToken });
      expect(replay.status).toBe(401);
      expect(replay.body).toMatchObject({ error: { code: 'UNAUTHENTICATED' } });
      // The legitimate holder of the newest tokens is signed out too: the family is burnt.
      expect((await postJson(baseUrl, '/auth/refresh', { refreshToken: rotated.body.refreshToken })).status).toBe(401);
      expect(codeOf(await graphqlAs(baseUrl, rotated.body.accessToken, ME))).toBe('UNAUTHENTICATED');
      const events = (await app
        .get(DataSource)
        .query(`SELECT type FROM auth_events WHERE user_id = '${user.userId}' ORDER BY id`)) as { type: string }[];
      expect(events.map((event) => event.type)).toContain('REFRESH_REUSE_DETECTED');
    });

    it('let only one of two simultaneous refreshes with the same token win', async () => {
      const user = await signUp(baseUrl);
      const results = await Promise.all(
        [1, 2, 3].map(() => postJson(baseUrl, '/auth/refresh', { refreshToken: user.tokens.refreshToken })),
      );
      expect(results.filter((result) => result.status === 200).length).toBeLessThanOrEqual(1);
      expect(results.filter((result) => result.status === 401).length).toBeGreaterThanOrEqual(2);
    });

    it('refuse made-up and malformed tokens', async () => {
      for (const refreshToken of ['bsr_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA', 'nope', '']) {
        expect((await postJson(baseUrl, '/auth/refresh', { refreshToken })).status).toBe(401);
      }
      expect((await postJson(baseUrl, '/auth/refresh', {})).status).toBe(400);
    });

    it('switch the session to another organization of the user, not to a foreign one', async () => {
      const owner = await signUp(baseUrl);
      const stranger = await signUp(baseUrl);
      const foreign = await postJson(baseUrl, '/auth/refresh', {
        refreshToken: owner.tokens.refreshToken,
        organizationId: stranger.organizationId,
      });
      expect(foreign.status).toBe(403);
      const same = await postJson<TokenPair>(baseUrl, '/auth/refresh', {
        refreshToken: owner.tokens.refreshToken,
        organizationId: owner.organizationId,
      });
      expect(same.status).toBe(200);
    });
  });

  describe('what the database holds', () => {
    it('contains no usable password or token: a dump replays nothing', async () => {
      const user = await signUp(baseUrl);
      const created = await graphqlAs<{ createApiToken: { secret: string } }>(
        baseUrl,
        user.tokens.accessToken,
        'mutation { createApiToken(input: { name: "dump test", scopes: [READ] }) { secret } }',
      );
      const apiSecret = created.data!.createApiToken.secret;
      const invitation = await graphqlAs<{ inviteMember: { token: string } }>(
        baseUrl,
        user.tokens.accessToken,
        'mutation($e: String!) { inviteMember(input: { email: $e }) { token } }',
        { e: uniqueEmail() },
      );
      const secrets = [
        user.password,
        user.tokens.refreshToken,
        apiSecret,
        invitation.data!.inviteMember.token,
        TEST_SECRETS.BASCULE_TOKEN_HASH_KEY,
      ];

      const dataSource = app.get(DataSource);
      const dump: string[] = [];
      for (const table of [
        'users',
        'sessions',
        'refresh_tokens',
        'api_tokens',
        'invitations',
        'auth_events',
        'oidc_logins',
        'user_identities',
      ]) {
        dump.push(JSON.stringify(await dataSource.query(`SELECT * FROM ${table}`)));
      }
      const text = dump.join('\n');
      for (const secret of secrets) expect(text.includes(secret)).toBe(false);
      expect(text).toMatch(/\$argon2id\$v=19\$m=19456,p=1,t=2\$/);

      const stored = (await dataSource.query('SELECT token_hash FROM api_tokens')) as { token_hash: string }[];
      for (const { token_hash } of stored) {
        expect(codeOf(await graphqlAs(baseUrl, token_hash, ME))).toBe('UNAUTHENTICATED');
        expect(codeOf(await graphqlAs(baseUrl, `bsc_${token_hash}`, ME))).toBe('UNAUTHENTICATED');
      }
      expect((await graphqlAs(baseUrl, apiSecret, ME)).data).toBeDefined();
    });

    it('keeps auth events append-only, enforced by the database itself', async () => {
      const user = await signUp(baseUrl);
      await logIn(baseUrl, user.email, 'a wrong passphrase here');
      const dataSource = app.get(DataSource);
      const events = (await dataSource.query(
        `SELECT type FROM auth_events WHERE user_id = '${user.userId}' ORDER BY id`,
      )) as { type: string }[];
      expect(events.map((event) => event.type)).toEqual(['SIGN_UP', 'SIGN_IN_FAILED']);
      await expect(
        dataSource.query(`UPDATE auth_events SET type = 'SIGN_UP' WHERE user_id = '${user.userId}'`),
      ).rejects.toThrow(/append-only/);
      await expect(dataSource.query(`DELETE FROM auth_events WHERE user_id = '${user.userId}'`)).rejects.toThrow(
        /append-only/,
      );
      expect(await dataSource.query(`SELECT COUNT(*) AS n FROM auth_events WHERE user_id = '${user.userId}'`)).toEqual([
        { n: expect.anything() },
      ]);
    });
  });

  it('answers the providers a sign-in page can offer', async () => {
    const response = await fetch(`${baseUrl}/auth/providers`);
    expect(await response.json()).toEqual({ password: true, oidc: null });
  });
});
