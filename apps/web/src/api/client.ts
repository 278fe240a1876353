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

let requestLanguage = 'fr';

/**
 * The interface's language, sent with every request (Accept-Language): what the server writes for
 * this person (templates, automatic risks, catalog texts, reports) is written in it.
 */
export function setRequestLanguage(language: string): void {
  requestLanguage = language;
}

/** The headers every request carries. */
export const languageHeaders = (): Record<string, string> => ({ 'accept-language': requestLanguage });

interface ErrorBody {
  error?: { code?: string; message?: string };
}

/** A JSON call to the /auth routes. */
export async function authRequest<T>(path: string, body: unknown, accessToken?: string): Promise<T> {
  const response = await fetch(path, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...languageHeaders(),
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

export interface RequestOptions {
  /** Told the share of the request body sent so far (0 to 1): large uploads show their progress. */
  readonly onUploadProgress?: (sent: number) => void;
}

/** POSTs JSON to /graphql; with upload progress wanted, through XMLHttpRequest (fetch cannot tell it). */
async function postGraphql(
  body: string,
  headers: Record<string, string>,
  options: RequestOptions,
): Promise<{ status: number; text: string }> {
  const { onUploadProgress } = options;
  if (onUploadProgress === undefined) {
    const response = await fetch('/graphql', { method: 'POST', headers, body });
    return { status: response.status, text: await response.text() };
  }
  return new Promise((resolve, reject) => {
    const request = new XMLHttpRequest();
    request.open('POST', '/graphql');
    for (const [name, value] of Object.entries(headers)) request.setRequestHeader(name, value);
    request.upload.onprogress = (event) => {
      if (event.lengthComputable && event.total > 0) onUploadProgress(event.loaded / event.total);
    };
    request.upload.onload = () => onUploadProgress(1);
    request.onload = () => resolve({ status: request.status, text: request.responseText });
    request.onerror = () => reject(new TypeError('Failed to fetch'));
    request.send(body);
  });
}

/** One GraphQL request over HTTP. A JSON body satisfies the server's CSRF prevention. */
export async function graphqlRequest<T>(
  query: string,
  variables?: Readonly<Record<string, unknown>>,
  accessToken?: string,
  options: RequestOptions = {},
): Promise<T> {
  const response = await postGraphql(
    JSON.stringify({ query, variables }),
    {
      'content-type': 'application/json',
      accept: 'application/json',
      ...languageHeaders(),
      ...(accessToken === undefined ? {} : { authorization: `Bearer ${accessToken}` }),
    },
    options,
  );
  const body = JSON.parse(response.text) as {
    data?: T;
    errors?: { message: string; extensions?: { code?: string } }[];
  };
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
  async request<T>(
    query: string,
    variables?: Readonly<Record<string, unknown>>,
    options: RequestOptions = {},
  ): Promise<T> {
    const token = await this.accessToken();
    try {
      return await graphqlRequest<T>(query, variables, token ?? undefined, options);
    } catch (error) {
      if (!(error instanceof ApiError) || error.code !== 'UNAUTHENTICATED' || token === null) throw error;
      const fresh = await this.refresh();
      if (fresh === null) throw error;
      return graphqlRequest<T>(query, variables, fresh.accessToken, options);
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
