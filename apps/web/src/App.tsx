import { type FormEvent, useEffect, useState } from 'react';
import { ApiError, authRequest, graphqlRequest, type TokenPair } from './graphql';

interface ServerInfo {
  version: string;
  databaseDialect: 'SQLITE' | 'POSTGRES';
  roles: string[];
  planSchemaVersion: number;
}

interface Providers {
  password: boolean;
  oidc: { name: string; loginUrl: string } | null;
}

interface Viewer {
  user: { email: string; displayName: string };
  organization: { name: string } | null;
  role: string | null;
}

const SERVER_INFO_QUERY = /* GraphQL */ `
  query ServerInfo {
    serverInfo {
      version
      databaseDialect
      roles
      planSchemaVersion
    }
  }
`;

const ME_QUERY = /* GraphQL */ `
  query Me {
    me {
      user {
        email
        displayName
      }
      organization {
        name
      }
      role
    }
  }
`;

const dialectNames: Record<ServerInfo['databaseDialect'], string> = {
  SQLITE: 'SQLite (embedded)',
  POSTGRES: 'PostgreSQL',
};

const messageOf = (error: unknown) => (error instanceof Error ? error.message : String(error));

/** Picks up the one-time code the server adds to the address after single sign-on, and clears it. */
function takeSingleSignOnResult(): { code: string | null; error: string | null } {
  const url = new URL(window.location.href);
  const result = { code: url.searchParams.get('sso_code'), error: url.searchParams.get('sso_error') };
  if (result.code !== null || result.error !== null) {
    url.searchParams.delete('sso_code');
    url.searchParams.delete('sso_error');
    window.history.replaceState(null, '', url);
  }
  return result;
}

export function App() {
  const [info, setInfo] = useState<ServerInfo | null>(null);
  const [providers, setProviders] = useState<Providers | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [tokens, setTokens] = useState<TokenPair | null>(null);
  const [viewer, setViewer] = useState<Viewer | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    graphqlRequest<{ serverInfo: ServerInfo }>(SERVER_INFO_QUERY).then(
      (data) => setInfo(data.serverInfo),
      (error: unknown) => setProblem(`The server could not be reached: ${messageOf(error)}`),
    );
    fetch('/auth/providers')
      .then((response) => response.json() as Promise<Providers>)
      .then(setProviders, () => setProviders({ password: true, oidc: null }));
    const sso = takeSingleSignOnResult();
    if (sso.error !== null) setProblem(sso.error);
    if (sso.code !== null) {
      authRequest<TokenPair>('/auth/oidc/exchange', { code: sso.code }).then(setTokens, (error: unknown) =>
        setProblem(messageOf(error)),
      );
    }
  }, []);

  useEffect(() => {
    if (tokens === null) {
      setViewer(null);
      return;
    }
    graphqlRequest<{ me: Viewer }>(ME_QUERY, undefined, tokens.accessToken).then(
      (data) => setViewer(data.me),
      (error: unknown) => setProblem(messageOf(error)),
    );
  }, [tokens]);

  async function signIn(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    setBusy(true);
    setProblem(null);
    try {
      setTokens(
        await authRequest<TokenPair>('/auth/login', { email: form.get('email'), password: form.get('password') }),
      );
    } catch (error) {
      setProblem(error instanceof ApiError && error.code === 'RATE_LIMITED' ? error.message : messageOf(error));
    } finally {
      setBusy(false);
    }
  }

  async function signOut() {
    if (tokens !== null) await authRequest('/auth/logout', {}, tokens.accessToken).catch(() => undefined);
    setTokens(null);
  }

  return (
    <main className="page">
      <header>
        <h1>Bascule</h1>
        <p className="tagline">Co-edit cloud-migration plans in real time.</p>
      </header>

      {problem !== null && (
        <p role="alert" className="error">
          {problem}
        </p>
      )}

      <section aria-labelledby="account-heading">
        <h2 id="account-heading">{viewer === null ? 'Sign in' : 'Signed in'}</h2>
        {viewer !== null ? (
          <div data-testid="viewer">
            <p>
              <strong>{viewer.user.displayName}</strong> ({viewer.user.email})
              {viewer.organization !== null && (
                <>
                  {' '}
                  — {viewer.role?.toLowerCase()} of <strong>{viewer.organization.name}</strong>
                </>
              )}
            </p>
            <button type="button" onClick={() => void signOut()}>
              Sign out
            </button>
          </div>
        ) : (
          <>
            <form className="sign-in" onSubmit={(event) => void signIn(event)}>
              <label>
                Email
                <input name="email" type="email" autoComplete="username" required />
              </label>
              <label>
                Password
                <input name="password" type="password" autoComplete="current-password" required minLength={12} />
              </label>
              <button type="submit" disabled={busy}>
                {busy ? 'Signing in…' : 'Sign in'}
              </button>
            </form>
            {providers !== null && providers.oidc !== null && (
              <p>
                <a className="button" href={providers.oidc.loginUrl}>
                  {providers.oidc.name}
                </a>
              </p>
            )}
          </>
        )}
      </section>

      <section aria-labelledby="server-heading" aria-busy={info === null}>
        <h2 id="server-heading">Server</h2>
        {info === null ? (
          <p>Connecting…</p>
        ) : (
          <dl className="facts" data-testid="server-info">
            <dt>Version</dt>
            <dd data-testid="server-version">{info.version}</dd>
            <dt>Database</dt>
            <dd>{dialectNames[info.databaseDialect]}</dd>
            <dt>Roles</dt>
            <dd>{info.roles.map((role) => role.toLowerCase()).join(', ')}</dd>
            <dt>Plan schema</dt>
            <dd>v{info.planSchemaVersion}</dd>
          </dl>
        )}
      </section>
    </main>
  );
}
