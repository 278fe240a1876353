import { randomUUID } from 'node:crypto';
import { graphql, type GraphqlResponse } from './http.js';

export const STRONG_PASSWORD = 'a sturdy passphrase for tests';

export interface TokenPair {
  accessToken: string;
  refreshToken: string;
  tokenType: string;
  expiresIn: number;
  organizationId: string | null;
}

export interface JsonResponse<T = Record<string, unknown>> {
  status: number;
  body: T;
  headers: Headers;
}

/** A fresh address per call, so tests never share an account. */
export function uniqueEmail(label = 'user'): string {
  return `${label}-${randomUUID().slice(0, 8)}@example.test`;
}

export async function postJson<T = Record<string, unknown>>(
  baseUrl: string,
  path: string,
  body: unknown,
  headers: Record<string, string> = {},
): Promise<JsonResponse<T>> {
  const response = await fetch(`${baseUrl}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, body: (text === '' ? {} : JSON.parse(text)) as T, headers: response.headers };
}

export const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

export interface SignedUp {
  email: string;
  password: string;
  userId: string;
  organizationId: string;
  tokens: TokenPair;
}

/** Signs a new user up with a new organization they own (or with an invitation). */
export async function signUp(
  baseUrl: string,
  input: {
    email?: string;
    password?: string;
    displayName?: string;
    organizationName?: string;
    invitationToken?: string;
  } = {},
): Promise<SignedUp> {
  const email = input.email ?? uniqueEmail();
  const password = input.password ?? STRONG_PASSWORD;
  const response = await postJson<TokenPair>(baseUrl, '/auth/signup', {
    email,
    password,
    displayName: input.displayName ?? `Test ${email.split('@')[0]}`,
    ...(input.invitationToken === undefined
      ? { organizationName: input.organizationName ?? `Org of ${email}` }
      : { invitationToken: input.invitationToken }),
  });
  if (response.status !== 201) throw new Error(`sign-up failed: ${response.status} ${JSON.stringify(response.body)}`);
  const me = await graphqlAs<{ me: { user: { id: string } } }>(
    baseUrl,
    response.body.accessToken,
    '{ me { user { id } } }',
  );
  return {
    email,
    password,
    userId: me.data!.me.user.id,
    organizationId: response.body.organizationId as string,
    tokens: response.body,
  };
}

export async function logIn(
  baseUrl: string,
  email: string,
  password: string,
  organizationId?: string,
): Promise<JsonResponse<TokenPair>> {
  return postJson<TokenPair>(baseUrl, '/auth/login', {
    email,
    password,
    ...(organizationId === undefined ? {} : { organizationId }),
  });
}

/**
 * GraphQL as any signed-up user of one server: `as` gives the whole answer, `must` only its data,
 * failing with the errors when there are any. `baseUrl` is read at each call (a suite's server
 * starts in its beforeAll).
 */
export function graphqlUsers(baseUrl: () => string) {
  const as = <T = Record<string, unknown>>(who: SignedUp, query: string, variables?: Record<string, unknown>) =>
    graphqlAs<T>(baseUrl(), who.tokens.accessToken, query, variables);
  const must = async <T = Record<string, unknown>>(
    who: SignedUp,
    query: string,
    variables?: Record<string, unknown>,
  ): Promise<T> => {
    const response = await as<T>(who, query, variables);
    if (response.errors !== undefined) throw new Error(`GraphQL errors: ${JSON.stringify(response.errors)}`);
    return response.data as T;
  };
  return { as, must };
}

export function graphqlAs<T = Record<string, unknown>>(
  baseUrl: string,
  token: string,
  query: string,
  variables?: Record<string, unknown>,
): Promise<GraphqlResponse<T>> {
  return graphql<T>(baseUrl, query, variables, bearer(token));
}

/** Invites `email` into the inviter's current organization as `role` and returns the invitation token. */
export async function invite(baseUrl: string, inviterToken: string, email: string, role = 'MEMBER'): Promise<string> {
  const response = await graphqlAs<{ inviteMember: { token: string } }>(
    baseUrl,
    inviterToken,
    'mutation($input: InviteMemberInput!) { inviteMember(input: $input) { token } }',
    { input: { email, role } },
  );
  if (response.data === undefined || response.data === null)
    throw new Error(`invite failed: ${JSON.stringify(response.errors)}`);
  return response.data.inviteMember.token;
}

/** A second member of `owner`'s organization, signed up through an invitation, with the given role. */
export async function addMember(baseUrl: string, ownerToken: string, role = 'MEMBER'): Promise<SignedUp> {
  const email = uniqueEmail(role.toLowerCase());
  const invitationToken = await invite(baseUrl, ownerToken, email, role);
  return signUp(baseUrl, { email, invitationToken });
}

export function codeOf(response: GraphqlResponse<unknown>): string | undefined {
  return response.errors?.[0]?.extensions?.code;
}

/** A signed-up user as the author of server-side changes in tests. */
export function authorOf(user: SignedUp, role = 'OWNER') {
  return { kind: 'user', userId: user.userId, apiTokenId: null, name: user.email, role } as const;
}
