import { type FormEvent, useState } from 'react';
import { useLocation } from 'wouter';
import { ApiError, authRequest, type TokenPair } from './api/client';
import { useSession, useTokens } from './api/session-context';
import { useI18n } from './i18n/i18n';

/** The invitation secret travels in the fragment (#token=...), which never reaches a server log. */
function invitationToken(): string | null {
  return new URLSearchParams(window.location.hash.slice(1)).get('token');
}

/**
 * Where an invitation link leads: a signed-in person joins the organization (and switches to it);
 * someone new creates their account in it.
 */
export function AcceptInvitation() {
  const { t } = useI18n();
  const session = useSession();
  const tokens = useTokens();
  const [, navigate] = useLocation();
  const [problem, setProblem] = useState<string | null>(null);
  const token = invitationToken();
  const fail = (error: unknown) => setProblem(error instanceof ApiError ? error.message : String(error));

  async function join() {
    try {
      const { acceptInvitation } = await session.request<{ acceptInvitation: { organization: { id: string } } }>(
        'mutation ($token: String!) { acceptInvitation(token: $token) { organization { id } } }',
        { token },
      );
      const current = session.current;
      if (current !== null) session.set({ ...current, organizationId: acceptInvitation.organization.id });
      await session.refresh();
      navigate('/', { replace: true });
      window.location.hash = '';
    } catch (error) {
      fail(error);
    }
  }

  async function signUp(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    try {
      session.set(
        await authRequest<TokenPair>('/auth/signup', {
          email: form.get('email'),
          password: form.get('password'),
          displayName: form.get('displayName'),
          invitationToken: token,
        }),
      );
      navigate('/', { replace: true });
      window.location.hash = '';
    } catch (error) {
      fail(error);
    }
  }

  return (
    <main className="sign-in-page" id="content">
      <h1 className="brand-title">Bascule</h1>
      <section className="card stack" aria-labelledby="invitation-heading">
        <h2 id="invitation-heading">{t('invitation.title')}</h2>
        {problem !== null && (
          <p role="alert" className="error">
            {problem}
          </p>
        )}
        {token === null ? (
          <p role="alert" className="error">
            {t('invitation.missing')}
          </p>
        ) : tokens !== null ? (
          <button type="button" onClick={() => void join()}>
            {t('invitation.join')}
          </button>
        ) : (
          <>
            <p>{t('invitation.newAccount')}</p>
            <form className="stack" onSubmit={(event) => void signUp(event)}>
              <label>
                {t('invitation.displayName')}
                <input name="displayName" required maxLength={120} autoComplete="name" />
              </label>
              <label>
                {t('signIn.email')}
                <input name="email" type="email" required autoComplete="username" />
              </label>
              <label>
                {t('signIn.password')}
                <input name="password" type="password" required minLength={12} autoComplete="new-password" />
              </label>
              <button type="submit">{t('invitation.createAccount')}</button>
            </form>
            <p className="muted">{t('invitation.haveAccount')}</p>
          </>
        )}
      </section>
    </main>
  );
}
