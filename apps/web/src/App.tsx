import { lazy, type ReactNode, Suspense } from 'react';
import { Link, Redirect, Route, Switch, useLocation } from 'wouter';
import { AcceptInvitation } from './AcceptInvitation';
import { useQuery } from './api/hooks';
import { useSession, useTokens } from './api/session-context';
import { Dashboard } from './dashboard/Dashboard';
import { forgetLocalPlans } from './editor/local-plans';
import { LanguageSwitch, useI18n } from './i18n/i18n';
import { NotificationBell } from './notifications/NotificationBell';
import { SignIn } from './SignIn';
import { Unsubscribe } from './Unsubscribe';
import { useViewer, ViewerProvider } from './viewer';

// The editor (Yjs, TipTap), the admin and account pages load when first opened: the first screen stays small.
const PlanEditor = lazy(() => import('./editor/PlanEditor'));
const Admin = lazy(() => import('./admin/Admin'));
const Account = lazy(() => import('./account/Account'));

/** Pages a link in an e-mail leads to, whether or not anyone is signed in on this browser. */
const SIGNED_OUT_PAGES: Readonly<Record<string, ReactNode>> = {
  '/invitations/accept': <AcceptInvitation />,
  '/notifications/unsubscribe': <Unsubscribe />,
};

function Header() {
  const { t } = useI18n();
  const session = useSession();
  const viewer = useViewer();
  return (
    <header className="top-bar">
      <a className="skip-link" href="#content">
        {t('nav.skip')}
      </a>
      <Link href="/" className="brand">
        Bascule
      </Link>
      <nav aria-label={t('nav.main')}>
        <Link href="/" className={(active) => (active ? 'active' : '')}>
          {t('nav.portfolio')}
        </Link>
        <Link href="/admin" className={(active) => (active ? 'active' : '')}>
          {t('nav.admin')}
        </Link>
        <Link href="/account" className={(active) => (active ? 'active' : '')}>
          {t('nav.account')}
        </Link>
      </nav>
      <div className="top-bar-end">
        {/* Notifications belong to an organization: none without one. */}
        {viewer !== null && viewer.organization !== null && <NotificationBell />}
        {viewer !== null && (
          <span className="viewer" data-testid="viewer">
            {viewer.user.displayName}
            {viewer.organization !== null && <span className="muted"> · {viewer.organization.name}</span>}
          </span>
        )}
        <LanguageSwitch />
        <button type="button" className="secondary" onClick={() => void session.signOut().then(forgetLocalPlans)}>
          {t('signOut')}
        </button>
      </div>
    </header>
  );
}

const SERVER_INFO = /* GraphQL */ `
  query ServerInfo {
    serverInfo {
      version
      databaseDialect
    }
  }
`;

/** Which Bascule this is, on which database: what an operator asks first when something is off. */
function Footer() {
  const { t } = useI18n();
  const info = useQuery<{ serverInfo: { version: string; databaseDialect: 'SQLITE' | 'POSTGRES' } }>(SERVER_INFO);
  if (info.data === null) return null;
  const { version, databaseDialect } = info.data.serverInfo;
  return (
    <footer className="footer muted" data-testid="server-info">
      {t('server.version', { version, database: databaseDialect === 'SQLITE' ? 'SQLite' : 'PostgreSQL' })}
    </footer>
  );
}

function Loading() {
  const { t } = useI18n();
  return (
    <p className="loading" role="status">
      {t('loading')}
    </p>
  );
}

export function App() {
  const tokens = useTokens();
  const { t } = useI18n();
  const [location] = useLocation();
  const signedOutPage = SIGNED_OUT_PAGES[location];
  if (signedOutPage !== undefined)
    return (
      <div className="signed-out">
        <div className="signed-out-language">
          <LanguageSwitch />
        </div>
        {signedOutPage}
      </div>
    );
  if (tokens === null)
    return (
      <div className="signed-out">
        <div className="signed-out-language">
          <LanguageSwitch />
        </div>
        <SignIn />
      </div>
    );
  return (
    <ViewerProvider>
      <Header />
      <main id="content" className="content">
        <Suspense fallback={<Loading />}>
          <Switch>
            <Route path="/" component={Dashboard} />
            <Route path="/plans/:id">{(params) => <PlanEditor key={params.id} planId={params.id} />}</Route>
            <Route path="/admin" component={Admin} />
            <Route path="/account" component={Account} />
            <Route path="/sign-in">
              <Redirect to="/" />
            </Route>
            <Route>
              <p role="alert">{t('error.notFound')}</p>
            </Route>
          </Switch>
        </Suspense>
      </main>
      <Footer />
    </ViewerProvider>
  );
}
