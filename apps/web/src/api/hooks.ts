import { createClient, type Client } from 'graphql-ws';
import { useCallback, useEffect, useRef, useState } from 'react';
import type { Session } from './client';
import { useSession } from './session-context';

export interface QueryState<T> {
  readonly data: T | null;
  readonly error: Error | null;
  readonly loading: boolean;
  /** Fetches again, keeping the current data on screen meanwhile. */
  readonly reload: () => void;
}

/** Runs a query when `key` changes (the variables, serialized); the newest answer wins. */
export function useQuery<T>(query: string, variables?: Readonly<Record<string, unknown>>): QueryState<T> {
  const session = useSession();
  const key = JSON.stringify(variables ?? {});
  const [state, setState] = useState<{ data: T | null; error: Error | null; loading: boolean }>({
    data: null,
    error: null,
    loading: true,
  });
  const [generation, setGeneration] = useState(0);
  useEffect(() => {
    let current = true;
    setState((previous) => ({ ...previous, loading: true }));
    session.request<T>(query, JSON.parse(key) as Record<string, unknown>).then(
      (data) => current && setState({ data, error: null, loading: false }),
      (error: unknown) =>
        current &&
        setState((previous) => ({
          data: previous.data,
          error: error instanceof Error ? error : new Error(String(error)),
          loading: false,
        })),
    );
    return () => {
      current = false;
    };
  }, [session, query, key, generation]);
  const reload = useCallback(() => setGeneration((value) => value + 1), []);
  return { ...state, reload };
}

const clients = new WeakMap<Session, Client>();

/** One graphql-ws connection per session, authenticated with a fresh token at each (re)connection. */
function subscriptionClient(session: Session): Client {
  let client = clients.get(session);
  if (client === undefined) {
    const url = `${window.location.protocol === 'https:' ? 'wss' : 'ws'}://${window.location.host}/graphql`;
    client = createClient({
      url,
      lazy: true,
      retryAttempts: Infinity,
      shouldRetry: () => true,
      connectionParams: async () => ({ authorization: `Bearer ${(await session.accessToken()) ?? ''}` }),
    });
    clients.set(session, client);
    // A new token (refresh, another organization) must reach the server: reconnect with it.
    session.onChange(() => client?.terminate());
  }
  return client;
}

/**
 * Calls `onEvent` for each event of a GraphQL subscription while the component is mounted; the
 * connection comes back by itself after a network loss or a token refresh.
 */
export function useSubscription(
  query: string,
  variables: Readonly<Record<string, unknown>>,
  onEvent: () => void,
): void {
  const session = useSession();
  const handler = useRef(onEvent);
  handler.current = onEvent;
  const key = JSON.stringify(variables);
  useEffect(() => {
    const client = subscriptionClient(session);
    return client.subscribe(
      { query, variables: JSON.parse(key) as Record<string, unknown> },
      { next: () => handler.current(), error: () => undefined, complete: () => undefined },
    );
  }, [session, query, key]);
}
