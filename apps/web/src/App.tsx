import { useEffect, useState } from 'react';
import { graphqlRequest } from './graphql';

interface ServerInfo {
  version: string;
  databaseDialect: 'SQLITE' | 'POSTGRES';
  roles: string[];
  planSchemaVersion: number;
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

const dialectNames: Record<ServerInfo['databaseDialect'], string> = {
  SQLITE: 'SQLite (embedded)',
  POSTGRES: 'PostgreSQL',
};

type State = { kind: 'loading' } | { kind: 'ready'; info: ServerInfo } | { kind: 'failed'; message: string };

export function App() {
  const [state, setState] = useState<State>({ kind: 'loading' });

  useEffect(() => {
    let cancelled = false;
    graphqlRequest<{ serverInfo: ServerInfo }>(SERVER_INFO_QUERY).then(
      (data) => !cancelled && setState({ kind: 'ready', info: data.serverInfo }),
      (error: unknown) =>
        !cancelled && setState({ kind: 'failed', message: error instanceof Error ? error.message : String(error) }),
    );
    return () => {
      cancelled = true;
    };
  }, []);

  return (
    <main className="page">
      <header>
        <h1>Bascule</h1>
        <p className="tagline">Co-edit cloud-migration plans in real time.</p>
      </header>
      <section aria-labelledby="server-heading" aria-busy={state.kind === 'loading'}>
        <h2 id="server-heading">Server</h2>
        {state.kind === 'loading' && <p>Connecting…</p>}
        {state.kind === 'failed' && (
          <p role="alert" className="error">
            The server could not be reached: {state.message}
          </p>
        )}
        {state.kind === 'ready' && (
          <dl className="facts" data-testid="server-info">
            <dt>Version</dt>
            <dd data-testid="server-version">{state.info.version}</dd>
            <dt>Database</dt>
            <dd>{dialectNames[state.info.databaseDialect]}</dd>
            <dt>Roles</dt>
            <dd>{state.info.roles.map((role) => role.toLowerCase()).join(', ')}</dd>
            <dt>Plan schema</dt>
            <dd>v{state.info.planSchemaVersion}</dd>
          </dl>
        )}
      </section>
    </main>
  );
}
