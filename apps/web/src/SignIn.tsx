import { type FormEvent, useEffect, useState } from 'react';
import { ApiError, authRequest, type TokenPair } from './api/client';
import { useSession } from './api/session-context';
import { useI18n } from './i18n/i18n';

interface Providers {
  readonly password: boolean;
  readonly oidc: { readonly name: string; readonly loginUrl: string } | null;
}

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

export function SignIn() {
  const { t } = useI18n();
  const session = useSession();
  const [providers, setProviders] = useState<Providers | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    fetch('/auth/providers')
      .then((response) => response.json() as Promise<Providers>)
      .then(setProviders, () => setProviders({ password: true, oidc: null }));
    const sso = takeSingleSignOnResult();
    if (sso.error !== null) setProblem(sso.error);
    if (sso.code !== null)
      authRequest<TokenPair>('/auth/oidc/exchange', { code: sso.code }).then(
        (tokens) => session.set(tokens),
        (error: unknown) => setProblem(messageOf(error)),
      );
  }, [session]);

  async function signIn(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    setBusy(true);
    setProblem(null);
    try {
      session.set(
        await authRequest<TokenPair>('/auth/login', { email: form.get('email'), password: form.get('password') }),
      );
    } catch (error) {
      setProblem(error instanceof ApiError ? error.message : t('error.unreachable', { reason: messageOf(error) }));
      setBusy(false);
    }
  }

  return (
    <main className="sign-in-page" id="content">
      <h1 className="brand-title">Bascule</h1>
      <p className="tagline">{t('app.tagline')}</p>
      <section className="card" aria-labelledby="sign-in-heading">
        <h2 id="sign-in-heading">{t('signIn.title')}</h2>
        {problem !== null && (
          <p role="alert" className="error">
            {problem}
          </p>
        )}
        <form className="stack" onSubmit={(event) => void signIn(event)}>
          <label>
            {t('signIn.email')}
            <input name="email" type="email" autoComplete="username" required />
          </label>
          <label>
            {t('signIn.password')}
            <input name="password" type="password" autoComplete="current-password" required minLength={12} />
          </label>
          <button type="submit" disabled={busy}>
            {busy ? t('signIn.busy') : t('signIn.submit')}
          </button>
        </form>
        {providers !== null && providers.oidc !== null && (
          <>
            <p className="separator">{t('signIn.or')}</p>
            <a className="button secondary" href={providers.oidc.loginUrl}>
              {t('signIn.sso', { name: providers.oidc.name })}
            </a>
          </>
        )}
      </section>
    </main>
  );
}
