/** A failure the server explained, with the contract's code (UNAUTHENTICATED, FORBIDDEN...). */
export class ApiError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

export interface TokenPair {
  readonly accessToken: string;
  readonly refreshToken: string;
  readonly organizationId: string | null;
}

interface ErrorBody {
  error?: { code?: string; message?: string };
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

/** One GraphQL request over HTTP. A JSON body satisfies the server's CSRF prevention. */
export async function graphqlRequest<T>(
  query: string,
  variables?: Readonly<Record<string, unknown>>,
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

/** Seconds since the epoch at which a JWT expires, or null if it cannot be read. */
export function expiryOf(accessToken: string): number | null {
  try {
    const payload = JSON.parse(atob((accessToken.split('.')[1] ?? '').replace(/-/g, '+').replace(/_/g, '/'))) as {
      exp?: unknown;
    };
    return typeof payload.exp === 'number' ? payload.exp : null;
  } catch {
    return null;
  }
}

const STORAGE_KEY = 'bascule.session';
/** Refresh this long before the access token expires. */
const REFRESH_MARGIN_MS = 60_000;

/**
 * The signed-in session: keeps the token pair (in localStorage, so a reload stays signed in),
 * refreshes the access token before it expires and once more when the server says it expired,
 * and tells listeners (the collab socket, subscriptions) when the token changed.
 */
export class Session {
  private tokens: TokenPair | null;
  private refreshing: Promise<TokenPair | null> | null = null;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private readonly listeners = new Set<(tokens: TokenPair | null) => void>();

  constructor(private readonly storage: Storage = localStorage) {
    const stored = storage.getItem(STORAGE_KEY);
    this.tokens = stored === null ? null : (JSON.parse(stored) as TokenPair);
    this.schedule();
  }

  get current(): TokenPair | null {
    return this.tokens;
  }

  set(tokens: TokenPair | null): void {
    this.tokens = tokens;
    if (tokens === null) this.storage.removeItem(STORAGE_KEY);
    else this.storage.setItem(STORAGE_KEY, JSON.stringify(tokens));
    this.schedule();
    for (const listener of this.listeners) listener(tokens);
  }

  onChange(listener: (tokens: TokenPair | null) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** A usable access token, refreshed first if it is about to expire; null when signed out. */
  async accessToken(): Promise<string | null> {
    const tokens = this.tokens;
    if (tokens === null) return null;
    const expiry = expiryOf(tokens.accessToken);
    if (expiry !== null && expiry * 1000 - Date.now() < REFRESH_MARGIN_MS)
      return (await this.refresh())?.accessToken ?? null;
    return tokens.accessToken;
  }

  /** Trades the refresh token for a new pair (once, however many callers ask); signs out if refused. */
  refresh(): Promise<TokenPair | null> {
    const tokens = this.tokens;
    if (tokens === null) return Promise.resolve(null);
    this.refreshing ??= authRequest<TokenPair>('/auth/refresh', {
      refreshToken: tokens.refreshToken,
      ...(tokens.organizationId === null ? {} : { organizationId: tokens.organizationId }),
    })
      .then(
        (fresh) => {
          this.set(fresh);
          return fresh;
        },
        (error: unknown) => {
          // Refused: the session ended elsewhere. Unreachable: keep the tokens and try again later.
          if (error instanceof ApiError) {
            this.set(null);
            return null;
          }
          throw error;
        },
      )
      .finally(() => {
        this.refreshing = null;
      });
    return this.refreshing;
  }

  /** GraphQL as the signed-in user; an expired token is refreshed and the request sent once more. */
  async request<T>(query: string, variables?: Readonly<Record<string, unknown>>): Promise<T> {
    const token = await this.accessToken();
    try {
      return await graphqlRequest<T>(query, variables, token ?? undefined);
    } catch (error) {
      if (!(error instanceof ApiError) || error.code !== 'UNAUTHENTICATED' || token === null) throw error;
      const fresh = await this.refresh();
      if (fresh === null) throw error;
      return graphqlRequest<T>(query, variables, fresh.accessToken);
    }
  }

  async signOut(): Promise<void> {
    const tokens = this.tokens;
    this.set(null);
    if (tokens !== null) await authRequest('/auth/logout', {}, tokens.accessToken).catch(() => undefined);
  }

  private schedule(): void {
    clearTimeout(this.timer);
    const expiry = this.tokens === null ? null : expiryOf(this.tokens.accessToken);
    if (expiry === null) return;
    const inMs = Math.max(1000, expiry * 1000 - Date.now() - REFRESH_MARGIN_MS);
    this.timer = setTimeout(() => void this.refresh().catch(() => this.schedule()), inMs);
  }
}
