/** One GraphQL request over HTTP. A JSON body satisfies the server's CSRF prevention. */
export async function graphqlRequest<T>(query: string, variables?: Record<string, unknown>): Promise<T> {
  const response = await fetch('/graphql', {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json' },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await response.json()) as { data?: T; errors?: { message: string; extensions?: { code?: string } }[] };
  if (body.errors !== undefined && body.errors.length > 0) {
    const [first] = body.errors;
    throw new Error(`${first.extensions?.code ?? 'ERROR'}: ${first.message}`);
  }
  if (body.data === undefined) throw new Error(`the server answered ${response.status} without data`);
  return body.data;
}
