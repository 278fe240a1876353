import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import type { INestApplication } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { captureLogs, testConfig } from '../../../../test/support/config.js';
import { createTestDatabase, type TestDatabase } from '../../../../test/support/database.js';
import { graphqlAs, logIn, postJson, signUp, type TokenPair, uniqueEmail } from '../../../../test/support/identity.js';
import { freePort } from '../../../../test/support/http.js';
import {
  browseSingleSignOn,
  startOpenIdProvider,
  type TestOpenIdProvider,
} from '../../../../test/support/oidc-provider.js';
import { createApp } from '../app.factory.js';

const ME = '{ me { user { id email displayName } organization { id } role } }';

describe('single sign-on with a real OpenID Connect provider (authorization code + PKCE)', () => {
  let database: TestDatabase;
  let provider: TestOpenIdProvider;
  let port: number;
  let baseUrl: string;
  let app: INestApplication | undefined;
  let hospital: { organizationId: string; ownerToken: string };

  async function start(env: NodeJS.ProcessEnv = {}): Promise<void> {
    app = await createApp(
      testConfig({
        DATABASE_URL: database.url,
        BASCULE_PUBLIC_URL: baseUrl,
        BASCULE_OIDC_ISSUER: provider.issuer,
        BASCULE_OIDC_CLIENT_ID: provider.clientId,
        BASCULE_OIDC_CLIENT_SECRET: provider.clientSecret,
        BASCULE_OIDC_NAME: 'ProConnect (test)',
        ...env,
      }),
      captureLogs().logger,
    );
    await app.listen(port, '127.0.0.1');
  }

  async function exchange(landing: URL): Promise<{ status: number; body: TokenPair }> {
    const code = landing.searchParams.get('sso_code');
    if (code === null) throw new Error(`no sso_code: ${landing.toString()}`);
    return postJson<TokenPair>(baseUrl, '/auth/oidc/exchange', { code });
  }

  function person(label: string, emailVerified = true, domain = 'hopital.test'): { subject: string; email: string } {
    const subject = `sub-${label}-${Math.random().toString(36).slice(2, 10)}`;
    const email = uniqueEmail(label).replace('@example.test', `@${domain}`);
    provider.accounts.set(subject, { email, emailVerified, name: `Dr ${label}` });
    return { subject, email };
  }

  beforeAll(async () => {
    database = await createTestDatabase();
    port = await freePort();
    baseUrl = `http://127.0.0.1:${port}`;
    provider = await startOpenIdProvider(`${baseUrl}/auth/oidc/callback`);
    await start();
    const owner = await signUp(baseUrl, { organizationName: 'Hôpital de test' });
    hospital = { organizationId: owner.organizationId, ownerToken: owner.tokens.accessToken };
  });

  afterEach(async () => {
    await app?.close();
    app = undefined;
    await start({ BASCULE_OIDC_AUTO_JOIN: `hopital.test=${hospital.organizationId}` });
  });

  afterAll(async () => {
    await app?.close();
    await provider.close();
    await database.drop();
  });

  it('offers the provider on the sign-in page', async () => {
    expect(await (await fetch(`${baseUrl}/auth/providers`)).json()).toEqual({
      password: true,
      oidc: { name: 'ProConnect (test)', loginUrl: '/auth/oidc/login' },
    });
  });

  it('sends the browser to the provider with PKCE (S256), state and nonce', async () => {
    const response = await fetch(`${baseUrl}/auth/oidc/login`, { redirect: 'manual' });
    expect(response.status).toBe(302);
    const target = new URL(response.headers.get('location')!);
    expect(target.origin).toBe(provider.issuer);
    expect(Object.fromEntries(target.searchParams)).toMatchObject({
      client_id: provider.clientId,
      redirect_uri: `${baseUrl}/auth/oidc/callback`,
      response_type: 'code',
      code_challenge_method: 'S256',
      code_challenge: expect.stringMatching(/^[\w-]{43}$/),
      state: expect.any(String),
      nonce: expect.any(String),
      scope: 'openid email profile',
    });
  });

  it('creates an account for a new person with a verified email, without a password', async () => {
    const { subject, email } = person('newcomer', true, 'clinique.test');
    const landing = await browseSingleSignOn(baseUrl, subject);
    expect(landing.pathname).toBe('/');
    const tokens = await exchange(landing);
    expect(tokens.status).toBe(200);
    const me = await graphqlAs(baseUrl, tokens.body.accessToken, ME);
    expect(me.data).toMatchObject({
      me: { user: { email, displayName: 'Dr newcomer' }, organization: null, role: null },
    });
    const [row] = (await app!
      .get(DataSource)
      .query(`SELECT password_hash, email_verified FROM users WHERE email = '${email}'`)) as {
      password_hash: string | null;
      email_verified: boolean | number;
    }[];
    expect(row!.password_hash).toBeNull();
    expect(Boolean(row!.email_verified)).toBe(true);

    // The same person again: the same account, found by issuer and subject.
    const again = await exchange(await browseSingleSignOn(baseUrl, subject));
    expect((await graphqlAs(baseUrl, again.body.accessToken, ME)).data).toMatchObject({
      me: { user: { id: (me.data as { me: { user: { id: string } } }).me.user.id } },
    });
  });

  it('joins the organization configured for the email domain', async () => {
    await app!.close();
    await start({ BASCULE_OIDC_AUTO_JOIN: `hopital.test=${hospital.organizationId}` });
    const { subject } = person('nurse');
    const tokens = await exchange(await browseSingleSignOn(baseUrl, subject));
    expect(tokens.body.organizationId).toBe(hospital.organizationId);
    expect((await graphqlAs(baseUrl, tokens.body.accessToken, ME)).data).toMatchObject({
      me: { organization: { id: hospital.organizationId }, role: 'MEMBER' },
    });
  });

  it('links an existing password account by verified email, and shuts out whoever registered it unverified', async () => {
    const email = uniqueEmail('squatter').replace('@example.test', '@hopital.test');
    const squatter = await signUp(baseUrl, { email });
    const subject = `sub-owner-${Date.now()}`;
    provider.accounts.set(subject, { email, emailVerified: true, name: 'Real owner' });

    const tokens = await exchange(await browseSingleSignOn(baseUrl, subject));
    expect(tokens.status).toBe(200);
    expect((await graphqlAs(baseUrl, tokens.body.accessToken, ME)).data).toMatchObject({
      me: { user: { id: squatter.userId, email } },
    });
    expect((await logIn(baseUrl, email, squatter.password)).status).toBe(401);
    expect((await graphqlAs(baseUrl, squatter.tokens.accessToken, ME)).errors?.[0]?.extensions?.code).toBe(
      'UNAUTHENTICATED',
    );
    const events = (await app!
      .get(DataSource)
      .query(`SELECT type FROM auth_events WHERE user_id = '${squatter.userId}' ORDER BY id`)) as { type: string }[];
    expect(events.map((event) => event.type)).toContain('SSO_ACCOUNT_LINKED');
  });

  it('refuses a person whose provider does not vouch for the email, and creates nothing', async () => {
    const { subject, email } = person('unverified', false);
    const landing = await browseSingleSignOn(baseUrl, subject);
    expect(landing.searchParams.get('sso_code')).toBeNull();
    expect(landing.searchParams.get('sso_error')).toContain('email');
    expect(await app!.get(DataSource).query(`SELECT id FROM users WHERE email = '${email}'`)).toEqual([]);
  });

  it('spends the one-time code on first use', async () => {
    const { subject } = person('once');
    const landing = await browseSingleSignOn(baseUrl, subject);
    expect((await exchange(landing)).status).toBe(200);
    expect((await exchange(landing)).status).toBe(401);
    expect((await postJson(baseUrl, '/auth/oidc/exchange', { code: 'bso_made-up' })).status).toBe(401);
  });

  it('refuses a callback with an unknown state or a replayed one', async () => {
    const forged = await fetch(`${baseUrl}/auth/oidc/callback?code=abc&state=forged`, { redirect: 'manual' });
    expect(new URL(forged.headers.get('location')!).searchParams.get('sso_error')).toMatch(/unknown or has expired/);

    // Capture the real callback URL, use it once, then replay it.
    const { subject } = person('replay');
    const original = globalThis.fetch;
    let callback: string | undefined;
    globalThis.fetch = ((input: string | URL | Request, init?: RequestInit) => {
      const url = input instanceof Request ? input.url : input.toString();
      if (url.includes('/auth/oidc/callback')) callback = url;
      return original(input, init);
    }) as typeof fetch;
    try {
      await browseSingleSignOn(baseUrl, subject);
    } finally {
      globalThis.fetch = original;
    }
    const replay = await fetch(callback!, { redirect: 'manual' });
    expect(new URL(replay.headers.get('location')!).searchParams.get('sso_error')).toBeTruthy();
  });

  it('says so when single sign-on is not configured', async () => {
    await app!.close();
    app = await createApp(testConfig({ DATABASE_URL: database.url }), captureLogs().logger);
    await app.listen(port, '127.0.0.1');
    const response = await fetch(`${baseUrl}/auth/oidc/login`, { redirect: 'manual' });
    expect(response.status).toBe(404);
    expect(await response.json()).toMatchObject({ error: { code: 'NOT_FOUND' } });
  });
});
