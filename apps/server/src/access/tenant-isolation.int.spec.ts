import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { type INestApplication, Module } from '@nestjs/common';
import { GraphQLSchemaHost, Query, Resolver } from '@nestjs/graphql';
import { startTestApp, type TestApp } from '../../../../test/support/app.js';
import { AccessAudit } from './access-audit.js';
import { addMember, graphqlAs, invite, type SignedUp, signUp, uniqueEmail } from '../../../../test/support/identity.js';

/** What organization A owns, which an outsider must neither reach nor learn about. */
interface Victim {
  owner: SignedUp;
  member: SignedUp;
  apiTokenId: string;
  apiTokenSecret: string;
  sessionId: string;
  pendingInvitationToken: string;
  invitedEmail: string;
  planId: string;
}

type Expectation = 'denied' | 'own-data-only';
interface Attack {
  readonly query: string;
  readonly variables?: (victim: Victim) => Record<string, unknown>;
  /** denied: NOT_FOUND or FORBIDDEN. own-data-only: the answer concerns the caller's organization alone. */
  readonly expect: Expectation;
}

/**
 * Every GraphQL operation, aimed at organization A by a member of organization B. A new operation
 * must be added here (the first test fails until it is), with the ids of A it could be pointed at.
 */
const ATTACKS: Record<string, Attack> = {
  serverInfo: { query: '{ serverInfo { version } }', expect: 'own-data-only' },
  me: {
    query: '{ me { user { id email } organization { id name } organizations { organization { id } } } }',
    expect: 'own-data-only',
  },
  sessions: { query: '{ sessions { id } }', expect: 'own-data-only' },
  organization: { query: '{ organization { id name } }', expect: 'own-data-only' },
  members: { query: '{ members(first: 500) { user { id email } role } }', expect: 'own-data-only' },
  apiTokens: { query: '{ apiTokens { id name prefix createdBy { id } } }', expect: 'own-data-only' },
  revokeSession: {
    query: 'mutation($id: ID!) { revokeSession(id: $id) { id } }',
    variables: (v) => ({ id: v.sessionId }),
    expect: 'denied',
  },
  acceptInvitation: {
    query: 'mutation($t: String!) { acceptInvitation(token: $t) { organization { id } } }',
    variables: (v) => ({ t: v.pendingInvitationToken }),
    expect: 'denied',
  },
  inviteMember: {
    query: 'mutation($e: String!) { inviteMember(input: { email: $e, role: ADMIN }) { invitation { id email } } }',
    variables: () => ({ e: uniqueEmail('outsider-invite') }),
    expect: 'own-data-only',
  },
  changeMemberRole: {
    query: 'mutation($u: ID!) { changeMemberRole(userId: $u, role: OWNER) { role } }',
    variables: (v) => ({ u: v.member.userId }),
    expect: 'denied',
  },
  removeMember: {
    query: 'mutation($u: ID!) { removeMember(userId: $u) { user { id } } }',
    variables: (v) => ({ u: v.owner.userId }),
    expect: 'denied',
  },
  createApiToken: {
    query: 'mutation { createApiToken(input: { name: "outsider", scopes: [WRITE] }) { apiToken { id } } }',
    expect: 'own-data-only',
  },
  plans: { query: '{ plans(first: 500) { id title } }', expect: 'own-data-only' },
  createPlan: { query: 'mutation { createPlan(input: { title: "Outsider plan" }) { id } }', expect: 'own-data-only' },
  setPlanMemberRole: {
    query: 'mutation($p: ID!, $u: ID!) { setPlanMemberRole(planId: $p, userId: $u, role: EDITOR) { role } }',
    variables: (v) => ({ p: v.planId, u: v.member.userId }),
    expect: 'denied',
  },
  revokeApiToken: {
    query: 'mutation($id: ID!) { revokeApiToken(id: $id) { id } }',
    variables: (v) => ({ id: v.apiTokenId }),
    expect: 'denied',
  },
};

describe('tenant isolation: every GraphQL operation against another organization', () => {
  let testApp: TestApp;
  let app: INestApplication;
  let baseUrl: string;
  let victim: Victim;
  let attackers: { label: string; token: string }[];

  beforeAll(async () => {
    testApp = await startTestApp();
    ({ app, baseUrl } = testApp);

    const owner = await signUp(baseUrl, { organizationName: 'Organization A' });
    const member = await addMember(baseUrl, owner.tokens.accessToken, 'MEMBER');
    const token = await graphqlAs<{ createApiToken: { secret: string; apiToken: { id: string } } }>(
      baseUrl,
      owner.tokens.accessToken,
      'mutation { createApiToken(input: { name: "A integration", scopes: [WRITE] }) { secret apiToken { id } } }',
    );
    const sessions = await graphqlAs<{ sessions: { id: string }[] }>(
      baseUrl,
      owner.tokens.accessToken,
      '{ sessions { id } }',
    );
    const invitedEmail = uniqueEmail('a-invitee');
    victim = {
      owner,
      member,
      apiTokenId: token.data!.createApiToken.apiToken.id,
      apiTokenSecret: token.data!.createApiToken.secret,
      sessionId: sessions.data!.sessions[0]!.id,
      pendingInvitationToken: await invite(baseUrl, owner.tokens.accessToken, invitedEmail),
      invitedEmail,
      planId: (
        await graphqlAs<{ createPlan: { id: string } }>(
          baseUrl,
          owner.tokens.accessToken,
          'mutation { createPlan(input: { title: "Plan of A", defaultMemberRole: null }) { id } }',
        )
      ).data!.createPlan.id,
    };

    const outsider = await signUp(baseUrl, { organizationName: 'Organization B' });
    const outsiderToken = await graphqlAs<{ createApiToken: { secret: string } }>(
      baseUrl,
      outsider.tokens.accessToken,
      'mutation { createApiToken(input: { name: "B integration", scopes: [WRITE] }) { secret } }',
    );
    attackers = [
      { label: 'owner of B (session)', token: outsider.tokens.accessToken },
      { label: 'API token of B (write)', token: outsiderToken.data!.createApiToken.secret },
    ];
  });

  afterAll(() => testApp.close());

  it('covers every operation of the schema', () => {
    const schema = app.get(GraphQLSchemaHost).schema;
    const operations = [schema.getQueryType(), schema.getMutationType(), schema.getSubscriptionType()].flatMap(
      (type) => (type === null || type === undefined ? [] : Object.keys(type.getFields())),
    );
    expect(Object.keys(ATTACKS).sort()).toEqual(operations.sort());
  });

  it.each(Object.keys(ATTACKS))('%s: organization A stays out of reach', async (operation) => {
    const attack = ATTACKS[operation]!;
    const secretsOfA = [
      victim.owner.organizationId,
      victim.owner.userId,
      victim.owner.email,
      victim.member.userId,
      victim.member.email,
      victim.apiTokenId,
      victim.sessionId,
      victim.planId,
      'Organization A',
      'Plan of A',
    ];
    for (const attacker of attackers) {
      const response = await graphqlAs(baseUrl, attacker.token, attack.query, attack.variables?.(victim));
      const code = response.errors?.[0]?.extensions?.code;
      const seen = { attacker: attacker.label, code };
      if (attack.expect === 'denied') {
        expect(seen).toEqual({ attacker: attacker.label, code: expect.stringMatching(/^(NOT_FOUND|FORBIDDEN)$/) });
      } else {
        expect(['NOT_FOUND', 'FORBIDDEN', undefined]).toContain(code);
      }
      const body = JSON.stringify(response.data ?? null);
      for (const secret of secretsOfA) {
        expect({ ...seen, leaks: body.includes(secret) ? secret : null }).toEqual({ ...seen, leaks: null });
      }
    }
  });

  it('declares these permissions, operation by operation (a change here is a security review)', () => {
    const declared = Object.fromEntries(
      app
        .get(AccessAudit)
        .operations()
        .map((operation) => [operation.handler, `${operation.type}: ${operation.permission ?? 'NONE'}`])
        .sort(([a], [b]) => (a as string).localeCompare(b as string)),
    );
    expect(declared).toEqual({
      'AccountResolver.acceptInvitation': 'Mutation: account.manage',
      'AccountResolver.me': 'Query: account.read',
      'AccountResolver.revokeSession': 'Mutation: account.manage',
      'AccountResolver.sessions': 'Query: account.manage',
      'ApiTokensResolver.apiTokens': 'Query: apiTokens.manage',
      'ApiTokensResolver.createApiToken': 'Mutation: apiTokens.manage',
      'ApiTokensResolver.revokeApiToken': 'Mutation: apiTokens.manage',
      'OrganizationsResolver.changeMemberRole': 'Mutation: members.manage',
      'OrganizationsResolver.inviteMember': 'Mutation: members.manage',
      'OrganizationsResolver.members': 'Query: organization.read',
      'OrganizationsResolver.organization': 'Query: organization.read',
      'OrganizationsResolver.removeMember': 'Mutation: members.manage',
      'PlansResolver.createPlan': 'Mutation: plans.write',
      'PlansResolver.plans': 'Query: plans.read',
      'PlansResolver.setPlanMemberRole': 'Mutation: plans.write',
      'ServerInfoResolver.serverInfo': 'Query: public',
    });
  });

  it('left organization A exactly as it was', async () => {
    const state = await graphqlAs(
      baseUrl,
      victim.owner.tokens.accessToken,
      '{ organization { name } members { user { id } role } apiTokens { id revokedAt } sessions { id } }',
    );
    expect(state.data).toEqual({
      organization: { name: 'Organization A' },
      members: [
        { user: { id: victim.owner.userId }, role: 'OWNER' },
        { user: { id: victim.member.userId }, role: 'MEMBER' },
      ],
      apiTokens: [{ id: victim.apiTokenId, revokedAt: null }],
      sessions: [{ id: victim.sessionId }],
    });
    expect((await graphqlAs(baseUrl, victim.apiTokenSecret, '{ organization { name } }')).data).toEqual({
      organization: { name: 'Organization A' },
    });
  });
});

@Resolver()
class ForgetfulResolver {
  @Query(() => String)
  undeclaredOperation(): string {
    return 'should never run';
  }
}

@Module({ providers: [ForgetfulResolver] })
class ForgetfulModule {}

describe('an operation without an access declaration', () => {
  it('stops the application from starting, naming it', async () => {
    await expect(startTestApp({}, { extra: [ForgetfulModule] })).rejects.toThrow(
      /ForgetfulResolver\.undeclaredOperation \(Query\)/,
    );
  });
});
