import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { INestApplication } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { startTestApp, type TestApp } from '../../../../test/support/app.js';
import {
  addMember,
  codeOf,
  graphqlAs,
  invite,
  logIn,
  postJson,
  signUp,
  type TokenPair,
  uniqueEmail,
} from '../../../../test/support/identity.js';

const MEMBERS = '{ members { user { id email } role } }';
const ROLE = 'mutation($u: ID!, $r: OrgRole!) { changeMemberRole(userId: $u, role: $r) { role } }';
const REMOVE = 'mutation($u: ID!) { removeMember(userId: $u) { user { id } } }';
const CREATE_TOKEN =
  'mutation($i: CreateApiTokenInput!) { createApiToken(input: $i) { secret apiToken { id name prefix scopes lastUsedAt createdBy { id } } } }';

describe('organizations, members and API tokens', () => {
  let testApp: TestApp;
  let app: INestApplication;
  let baseUrl: string;

  beforeAll(async () => {
    testApp = await startTestApp();
    ({ app, baseUrl } = testApp);
  });

  afterAll(() => testApp.close());

  describe('invitations', () => {
    it('bring a new person in with the invited role, once', async () => {
      const owner = await signUp(baseUrl);
      const email = uniqueEmail('invitee');
      const response = await graphqlAs<{
        inviteMember: { acceptUrl: string; token: string; invitation: { email: string; role: string } };
      }>(
        baseUrl,
        owner.tokens.accessToken,
        'mutation($i: InviteMemberInput!) { inviteMember(input: $i) { acceptUrl token invitation { email role expiresAt } } }',
        { i: { email: email.toUpperCase(), role: 'ADMIN' } },
      );
      const { token, acceptUrl, invitation } = response.data!.inviteMember;
      expect(invitation).toMatchObject({ email, role: 'ADMIN' });
      expect(acceptUrl).toContain(token);
      const joined = await signUp(baseUrl, { email, invitationToken: token });
      expect(joined.organizationId).toBe(owner.organizationId);
      const members = await graphqlAs<{ members: { user: { email: string }; role: string }[] }>(
        baseUrl,
        owner.tokens.accessToken,
        MEMBERS,
      );
      expect(members.data!.members.map((m) => [m.user.email, m.role])).toEqual([
        [owner.email, 'OWNER'],
        [email, 'ADMIN'],
      ]);
      const reuse = await postJson(baseUrl, '/auth/signup', {
        email: uniqueEmail(),
        password: 'another sturdy passphrase',
        displayName: 'x',
        invitationToken: token,
      });
      expect(reuse.status).toBe(404);
    });

    it('let an existing user accept, only for their own email, and not after expiry', async () => {
      const owner = await signUp(baseUrl);
      const existing = await signUp(baseUrl);
      const intruder = await signUp(baseUrl);
      const token = await invite(baseUrl, owner.tokens.accessToken, existing.email);
      const accept = 'mutation($t: String!) { acceptInvitation(token: $t) { organization { id } role } }';
      expect(codeOf(await graphqlAs(baseUrl, intruder.tokens.accessToken, accept, { t: token }))).toBe('FORBIDDEN');
      const accepted = await graphqlAs(baseUrl, existing.tokens.accessToken, accept, { t: token });
      expect(accepted.data).toEqual({
        acceptInvitation: { organization: { id: owner.organizationId }, role: 'MEMBER' },
      });
      const switched = await postJson<TokenPair>(baseUrl, '/auth/refresh', {
        refreshToken: existing.tokens.refreshToken,
        organizationId: owner.organizationId,
      });
      expect(switched.status).toBe(200);
      const inOwnerOrg = await graphqlAs<{ me: { organization: { id: string }; organizations: unknown[] } }>(
        baseUrl,
        switched.body.accessToken,
        '{ me { organization { id } organizations { role } } }',
      );
      expect(inOwnerOrg.data!.me.organization.id).toBe(owner.organizationId);
      expect(inOwnerOrg.data!.me.organizations).toHaveLength(2);

      const late = await signUp(baseUrl);
      const lateToken = await invite(baseUrl, owner.tokens.accessToken, late.email);
      await app.get(DataSource).query(`UPDATE invitations SET expires_at = created_at WHERE email = '${late.email}'`);
      expect(codeOf(await graphqlAs(baseUrl, late.tokens.accessToken, accept, { t: lateToken }))).toBe('NOT_FOUND');
    });

    it('refuse a member twice, a bad email, and an owner invited by an admin', async () => {
      const owner = await signUp(baseUrl);
      const admin = await addMember(baseUrl, owner.tokens.accessToken, 'ADMIN');
      const query = 'mutation($i: InviteMemberInput!) { inviteMember(input: $i) { token } }';
      expect(codeOf(await graphqlAs(baseUrl, owner.tokens.accessToken, query, { i: { email: admin.email } }))).toBe(
        'CONFLICT',
      );
      expect(codeOf(await graphqlAs(baseUrl, owner.tokens.accessToken, query, { i: { email: 'not an email' } }))).toBe(
        'BAD_USER_INPUT',
      );
      expect(
        codeOf(
          await graphqlAs(baseUrl, admin.tokens.accessToken, query, { i: { email: uniqueEmail(), role: 'OWNER' } }),
        ),
      ).toBe('FORBIDDEN');
      expect(
        codeOf(
          await graphqlAs(baseUrl, admin.tokens.accessToken, query, { i: { email: uniqueEmail(), role: 'ADMIN' } }),
        ),
      ).toBeUndefined();
    });
  });

  describe('roles', () => {
    it('are changed by admins and owners only, with owners protected', async () => {
      const owner = await signUp(baseUrl);
      const admin = await addMember(baseUrl, owner.tokens.accessToken, 'ADMIN');
      const member = await addMember(baseUrl, owner.tokens.accessToken, 'MEMBER');
      expect(codeOf(await graphqlAs(baseUrl, member.tokens.accessToken, ROLE, { u: admin.userId, r: 'MEMBER' }))).toBe(
        'FORBIDDEN',
      );
      expect(codeOf(await graphqlAs(baseUrl, admin.tokens.accessToken, ROLE, { u: owner.userId, r: 'MEMBER' }))).toBe(
        'FORBIDDEN',
      );
      expect(codeOf(await graphqlAs(baseUrl, admin.tokens.accessToken, ROLE, { u: member.userId, r: 'OWNER' }))).toBe(
        'FORBIDDEN',
      );
      expect((await graphqlAs(baseUrl, admin.tokens.accessToken, ROLE, { u: member.userId, r: 'ADMIN' })).data).toEqual(
        { changeMemberRole: { role: 'ADMIN' } },
      );
      const events = (await app
        .get(DataSource)
        .query(
          `SELECT type, actor_id FROM auth_events WHERE user_id = '${member.userId}' AND type = 'MEMBER_ROLE_CHANGED'`,
        )) as {
        actor_id: string;
      }[];
      expect(events).toEqual([{ type: 'MEMBER_ROLE_CHANGED', actor_id: admin.userId }]);
    });

    it('take effect on the very next request, without a new token', async () => {
      const owner = await signUp(baseUrl);
      const admin = await addMember(baseUrl, owner.tokens.accessToken, 'ADMIN');
      const invitation = 'mutation($e: String!) { inviteMember(input: { email: $e }) { token } }';
      expect(
        codeOf(await graphqlAs(baseUrl, admin.tokens.accessToken, invitation, { e: uniqueEmail() })),
      ).toBeUndefined();
      await graphqlAs(baseUrl, owner.tokens.accessToken, ROLE, { u: admin.userId, r: 'MEMBER' });
      expect(codeOf(await graphqlAs(baseUrl, admin.tokens.accessToken, invitation, { e: uniqueEmail() }))).toBe(
        'FORBIDDEN',
      );
    });

    it('always leave an owner', async () => {
      const owner = await signUp(baseUrl);
      expect(codeOf(await graphqlAs(baseUrl, owner.tokens.accessToken, ROLE, { u: owner.userId, r: 'ADMIN' }))).toBe(
        'CONFLICT',
      );
      expect(codeOf(await graphqlAs(baseUrl, owner.tokens.accessToken, REMOVE, { u: owner.userId }))).toBe('CONFLICT');
      const second = await addMember(baseUrl, owner.tokens.accessToken, 'OWNER');
      expect((await graphqlAs(baseUrl, second.tokens.accessToken, ROLE, { u: owner.userId, r: 'ADMIN' })).data).toEqual(
        { changeMemberRole: { role: 'ADMIN' } },
      );
    });
  });

  it('removing a member cuts their sessions and tokens off the organization at once', async () => {
    const owner = await signUp(baseUrl);
    const admin = await addMember(baseUrl, owner.tokens.accessToken, 'ADMIN');
    const token = await graphqlAs<{ createApiToken: { secret: string } }>(
      baseUrl,
      admin.tokens.accessToken,
      CREATE_TOKEN,
      { i: { name: 'CMDB sync', scopes: ['READ'] } },
    );
    const secret = token.data!.createApiToken.secret;
    expect((await graphqlAs(baseUrl, secret, MEMBERS)).data).toBeDefined();
    expect((await graphqlAs(baseUrl, owner.tokens.accessToken, REMOVE, { u: admin.userId })).data).toEqual({
      removeMember: { user: { id: admin.userId } },
    });
    expect(codeOf(await graphqlAs(baseUrl, admin.tokens.accessToken, MEMBERS))).toBe('FORBIDDEN');
    expect(codeOf(await graphqlAs(baseUrl, secret, MEMBERS))).toBe('UNAUTHENTICATED');
    expect(codeOf(await graphqlAs(baseUrl, owner.tokens.accessToken, REMOVE, { u: admin.userId }))).toBe('NOT_FOUND');
  });

  describe('API tokens', () => {
    it('are shown once with a recognisable prefix, then listed without their secret', async () => {
      const owner = await signUp(baseUrl);
      const created = await graphqlAs<{
        createApiToken: { secret: string; apiToken: { id: string; prefix: string; scopes: string[] } };
      }>(baseUrl, owner.tokens.accessToken, CREATE_TOKEN, { i: { name: 'Ticketing', scopes: ['WRITE'] } });
      const { secret, apiToken } = created.data!.createApiToken;
      expect(secret).toMatch(/^bsc_[0-9A-Za-z]{38}$/);
      expect(secret.startsWith(apiToken.prefix)).toBe(true);
      expect(apiToken.scopes).toEqual(['READ', 'WRITE']);
      const listed = await graphqlAs(
        baseUrl,
        owner.tokens.accessToken,
        '{ apiTokens { id name prefix scopes createdBy { email } } }',
      );
      expect(JSON.stringify(listed)).not.toContain(secret);
      expect(listed.data).toEqual({
        apiTokens: [
          {
            id: apiToken.id,
            name: 'Ticketing',
            prefix: apiToken.prefix,
            scopes: ['READ', 'WRITE'],
            createdBy: { email: owner.email },
          },
        ],
      });
    });

    it('act within their scope, record their last use, and stop at once when revoked', async () => {
      const owner = await signUp(baseUrl);
      const read = (
        await graphqlAs<{ createApiToken: { secret: string; apiToken: { id: string } } }>(
          baseUrl,
          owner.tokens.accessToken,
          CREATE_TOKEN,
          { i: { name: 'BI', scopes: ['READ'] } },
        )
      ).data!.createApiToken;
      const write = (
        await graphqlAs<{ createApiToken: { secret: string } }>(baseUrl, owner.tokens.accessToken, CREATE_TOKEN, {
          i: { name: 'ITSM', scopes: ['WRITE'] },
        })
      ).data!.createApiToken;

      const me = await graphqlAs(
        baseUrl,
        read.secret,
        '{ me { user { email } viaApiToken scopes organization { id } } organization { id } }',
      );
      expect(me.data).toEqual({
        me: {
          user: { email: owner.email },
          viaApiToken: true,
          scopes: ['READ'],
          organization: { id: owner.organizationId },
        },
        organization: { id: owner.organizationId },
      });
      const invitation = 'mutation($e: String!) { inviteMember(input: { email: $e }) { token } }';
      expect(codeOf(await graphqlAs(baseUrl, read.secret, invitation, { e: uniqueEmail() }))).toBe('FORBIDDEN');
      expect(codeOf(await graphqlAs(baseUrl, write.secret, invitation, { e: uniqueEmail() }))).toBeUndefined();
      // A token never manages tokens or sessions: those need a person.
      expect(
        codeOf(await graphqlAs(baseUrl, write.secret, CREATE_TOKEN, { i: { name: 'child', scopes: ['READ'] } })),
      ).toBe('FORBIDDEN');
      expect(codeOf(await graphqlAs(baseUrl, write.secret, '{ sessions { id } }'))).toBe('FORBIDDEN');

      const used = await graphqlAs<{ apiTokens: { id: string; lastUsedAt: string | null }[] }>(
        baseUrl,
        owner.tokens.accessToken,
        '{ apiTokens { id lastUsedAt } }',
      );
      expect(used.data!.apiTokens.find((token) => token.id === read.apiToken.id)?.lastUsedAt).toEqual(
        expect.any(String),
      );

      const revoked = await graphqlAs(
        baseUrl,
        owner.tokens.accessToken,
        'mutation($id: ID!) { revokeApiToken(id: $id) { revokedAt } }',
        { id: read.apiToken.id },
      );
      expect(revoked.data).toEqual({ revokeApiToken: { revokedAt: expect.any(String) } });
      expect(codeOf(await graphqlAs(baseUrl, read.secret, '{ me { user { id } } }'))).toBe('UNAUTHENTICATED');
    });

    it('refuse a past expiry and no scope, and stop working once expired', async () => {
      const owner = await signUp(baseUrl);
      expect(
        codeOf(
          await graphqlAs(baseUrl, owner.tokens.accessToken, CREATE_TOKEN, {
            i: { name: 'x', scopes: ['READ'], expiresAt: '2020-01-01T00:00:00Z' },
          }),
        ),
      ).toBe('BAD_USER_INPUT');
      expect(
        codeOf(await graphqlAs(baseUrl, owner.tokens.accessToken, CREATE_TOKEN, { i: { name: 'x', scopes: [] } })),
      ).toBe('BAD_USER_INPUT');
      expect(
        codeOf(
          await graphqlAs(baseUrl, owner.tokens.accessToken, CREATE_TOKEN, { i: { name: '   ', scopes: ['READ'] } }),
        ),
      ).toBe('BAD_USER_INPUT');
      const soon = new Date(Date.now() + 3_600_000).toISOString();
      const created = (
        await graphqlAs<{ createApiToken: { secret: string; apiToken: { id: string } } }>(
          baseUrl,
          owner.tokens.accessToken,
          CREATE_TOKEN,
          { i: { name: 'short-lived', scopes: ['READ'], expiresAt: soon } },
        )
      ).data!.createApiToken;
      expect(codeOf(await graphqlAs(baseUrl, created.secret, '{ me { user { id } } }'))).toBeUndefined();
      await app
        .get(DataSource)
        .query(`UPDATE api_tokens SET expires_at = created_at WHERE id = '${created.apiToken.id}'`);
      expect(codeOf(await graphqlAs(baseUrl, created.secret, '{ me { user { id } } }'))).toBe('UNAUTHENTICATED');
    });

    it('are refused with a wrong checksum before any lookup', async () => {
      const owner = await signUp(baseUrl);
      const { secret } = (
        await graphqlAs<{ createApiToken: { secret: string } }>(baseUrl, owner.tokens.accessToken, CREATE_TOKEN, {
          i: { name: 'typo', scopes: ['READ'] },
        })
      ).data!.createApiToken;
      const typo = `${secret.slice(0, 10)}${secret[10] === 'a' ? 'b' : 'a'}${secret.slice(11)}`;
      expect(codeOf(await graphqlAs(baseUrl, typo, '{ me { user { id } } }'))).toBe('UNAUTHENTICATED');
    });
  });

  it('a member sees the organization and its members but manages nothing', async () => {
    const owner = await signUp(baseUrl);
    const member = await addMember(baseUrl, owner.tokens.accessToken, 'MEMBER');
    expect((await graphqlAs(baseUrl, member.tokens.accessToken, '{ organization { id } }')).data).toEqual({
      organization: { id: owner.organizationId },
    });
    expect(codeOf(await graphqlAs(baseUrl, member.tokens.accessToken, '{ apiTokens { id } }'))).toBe('FORBIDDEN');
    expect(codeOf(await graphqlAs(baseUrl, member.tokens.accessToken, REMOVE, { u: owner.userId }))).toBe('FORBIDDEN');
    const login = await logIn(baseUrl, member.email, member.password);
    expect(login.body.organizationId).toBe(owner.organizationId);
  });
});
