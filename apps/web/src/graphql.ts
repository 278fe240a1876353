export interface TokenPair {
  accessToken: string;
  refreshToken: string;
  organizationId: string | null;
}

interface ErrorBody {
  error?: { code?: string; message?: string };
}

/** A failure the server explained, with the contract's code. */
export class ApiError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/** One GraphQL request over HTTP. A JSON body satisfies the server's CSRF prevention. */
export async function graphqlRequest<T>(
  query: string,
  variables?: Record<string, unknown>,
  accessToken?: string,
): Promise<T> {
  const response = await fetch('/graphql', {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      accept: 'application/json',
      ...(accessToken === undefined ? {} : { authorization: `Bearer ${accessToken}` }),
    },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await response.json()) as { data?: T; errors?: { message: string; extensions?: { code?: string } }[] };
  const [first] = body.errors ?? [];
  if (first !== undefined) throw new ApiError(first.extensions?.code ?? 'ERROR', first.message);
  if (body.data === undefined) throw new ApiError('ERROR', `the server answered ${response.status} without data`);
  return body.data;
}

/** A JSON call to the /auth routes. */
export async function authRequest<T>(path: string, body: unknown, accessToken?: string): Promise<T> {
  const response = await fetch(path, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...(accessToken === undefined ? {} : { authorization: `Bearer ${accessToken}` }),
    },
    body: JSON.stringify(body),
  });
  const text = await response.text();
  const parsed = (text === '' ? {} : JSON.parse(text)) as T & ErrorBody;
  if (!response.ok)
    throw new ApiError(parsed.error?.code ?? 'ERROR', parsed.error?.message ?? `HTTP ${response.status}`);
  return parsed;
}
