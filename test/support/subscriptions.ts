import { type Client, createClient } from 'graphql-ws';
import WebSocket from 'ws';

export interface Subscription<T> {
  /** Results received so far (data or errors). */
  readonly results: { data?: T; errors?: { message: string; extensions?: { code?: string } }[] }[];
  /** Set when the server ended the subscription (completed or failed). */
  readonly ended: { done: boolean; error: unknown };
  /** Resolves once the server has acknowledged the connection. */
  readonly connected: Promise<void>;
  readonly client: Client;
  close(): Promise<void>;
}

/** A graphql-ws subscription to `query`, as a browser or an integration would open it. */
export function subscribe<T = Record<string, unknown>>(
  baseUrl: string,
  connectionParams: Record<string, unknown>,
  query: string,
  variables: Record<string, unknown> = {},
): Subscription<T> {
  let markConnected: () => void = () => undefined;
  const connected = new Promise<void>((resolve) => (markConnected = resolve));
  const client = createClient({
    url: `${baseUrl.replace(/^http/, 'ws')}/graphql`,
    webSocketImpl: WebSocket,
    connectionParams,
    retryAttempts: 0,
    lazy: false,
    on: { connected: () => markConnected() },
  });
  const results: Subscription<T>['results'] = [];
  const ended = { done: false, error: undefined as unknown };
  const dispose = client.subscribe<T>(
    { query, variables },
    {
      next: (result) => results.push(result as Subscription<T>['results'][number]),
      error: (error) => {
        ended.done = true;
        ended.error = error;
      },
      complete: () => (ended.done = true),
    },
  );
  return {
    results,
    ended,
    connected,
    client,
    close: async () => {
      dispose();
      await client.dispose();
    },
  };
}
